using System.Text.RegularExpressions;
using CoachBot.TestSupport;
using CoachBot.Validation;

namespace CoachBot.Tests.Validation;

public sealed partial class ValidateCommandTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-validate-");
    private readonly StringWriter _output = new();
    private readonly StringWriter _error = new();

    public void Dispose()
    {
        _folder.Delete(recursive: true);
        _output.Dispose();
        _error.Dispose();
    }

    [Fact]
    public async Task RunAsync_WhenGivenTheShippedPathways_PrintsALinePerPathwayAndExitsZero()
    {
        var exitCode = await ValidateCommand.RunAsync([RepositoryRoot.PathwaysDirectory], _output, _error);

        Assert.Equal(CoachBotApp.ExitOk, exitCode);
        var lines = Lines(_output);
        Assert.Contains(lines, line => line.StartsWith("ai-safety ", StringComparison.Ordinal)
            && line.Contains("5 phases, 48 weeks", StringComparison.Ordinal));
        var summaries = lines.Count(line => SummaryLine().IsMatch(line));
        Assert.True(summaries >= 3, string.Join(Environment.NewLine, lines));
        Assert.Equal($"{summaries} valid pathways, no errors.", lines[^1]);
        Assert.Empty(_error.ToString());
    }

    [Fact]
    public async Task RunAsync_WithAYmlFile_WarnsThatItIsNotRead_AndStillExitsZeroForTheValidPathways()
    {
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "interpretability.yaml"), Path.Combine(_folder.FullName, "interpretability.yaml"));
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "ml-fundamentals.yaml"), Path.Combine(_folder.FullName, "foo.yml"));

        var exitCode = await ValidateCommand.RunAsync([_folder.FullName], _output, _error);

        Assert.Equal(CoachBotApp.ExitOk, exitCode);
        Assert.Contains($"{Path.Combine(_folder.FullName, "foo.yml")} is not read: pathway files end in .yaml; rename it to foo.yaml.", Lines(_output));
        Assert.Equal("1 valid pathway, no errors.", Lines(_output)[^1]);
    }

    [Fact]
    public async Task RunAsync_WhenACopyHasADuplicatedTaskIdAndAnUnknownKey_PrintsTwoLocatedErrorsAndExitsOne()
    {
        var lines = File.ReadAllLines(Path.Combine(RepositoryRoot.PathwaysDirectory, "ai-safety.yaml")).ToList();
        var secondIdLine = lines.FindIndex(line => line.Trim() == "- id: read-superintelligence") + 1;
        lines[secondIdLine - 1] = lines[secondIdLine - 1].Replace("read-superintelligence", "enroll-ml-course", StringComparison.Ordinal);
        lines.Add("mascot: a cat");
        await File.WriteAllLinesAsync(Path.Combine(_folder.FullName, "ai-safety.yaml"), lines);

        var exitCode = await ValidateCommand.RunAsync([_folder.FullName], _output, _error);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        var errors = Lines(_output).Where(line => ErrorLine().IsMatch(line)).ToList();
        Assert.Equal(2, errors.Count);
        Assert.StartsWith($"ai-safety.yaml:{secondIdLine}:13: Task id 'enroll-ml-course' is already used", errors[0], StringComparison.Ordinal);
        Assert.StartsWith($"ai-safety.yaml:{lines.Count}:1: Unknown key 'mascot'", errors[1], StringComparison.Ordinal);
        Assert.Equal("0 valid pathways; 2 errors in 1 file.", Lines(_output)[^1]);
    }

    [Fact]
    public async Task RunAsync_WhenSomeFilesAreValid_ListsThemAndStillExitsOne()
    {
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "ml-fundamentals.yaml"), Path.Combine(_folder.FullName, "ml-fundamentals.yaml"));
        await File.WriteAllTextAsync(Path.Combine(_folder.FullName, "broken.yaml"), "title: [unclosed\n");

        var exitCode = await ValidateCommand.RunAsync([_folder.FullName], _output, _error);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        var lines = Lines(_output);
        Assert.StartsWith("ml-fundamentals  Machine Learning Fundamentals", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("broken.yaml:", lines[1], StringComparison.Ordinal);
        Assert.Equal("1 valid pathway; 1 error in 1 file.", lines[^1]);
    }

    [Fact]
    public async Task RunAsync_WhenTheFolderDoesNotExist_SaysSoAndExitsOne()
    {
        var missing = Path.Combine(_folder.FullName, "nope");

        var exitCode = await ValidateCommand.RunAsync([missing], _output, _error);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Equal($"There is no folder '{missing}': pass the folder that holds your pathway files, e.g. `validate pathways`.", _error.ToString().Trim());
    }

    [Fact]
    public async Task RunAsync_WhenTheFolderHasNoPathwayFiles_SaysSoAndExitsOne()
    {
        var exitCode = await ValidateCommand.RunAsync([_folder.FullName], _output, _error);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Contains("holds no pathway files (*.yaml)", _error.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_WithoutAFolder_ChecksTheFolderTheBotReads_FromPathwaysDirectory()
    {
        // Before: validate checked ./pathways whatever Pathways__Directory the bot was given.
        var exitCode = await ValidateCommand.RunAsync([], _output, _error, configuredDirectory: RepositoryRoot.PathwaysDirectory);

        Assert.Equal(CoachBotApp.ExitOk, exitCode);
        Assert.Equal("3 valid pathways, no errors.", Lines(_output)[^1]);
    }

    [Fact]
    public async Task RunAsync_WithoutAFolder_WhenTheSettingNamesNoFolder_SaysWhichSettingToFix()
    {
        var missing = Path.Combine(_folder.FullName, "nope");

        var exitCode = await ValidateCommand.RunAsync([], _output, _error, configuredDirectory: missing);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Equal(
            $"There is no folder '{missing}' (set in Pathways__Directory): fix the setting, or pass the folder that holds your pathway files, e.g. `validate pathways`.",
            _error.ToString().Trim());
    }

    [Fact]
    public async Task RunAsync_WhenGivenTwoFolders_ExplainsTheUsageAndExitsOne()
    {
        var exitCode = await ValidateCommand.RunAsync(["a", "b"], _output, _error);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Contains("at most one folder", _error.ToString(), StringComparison.Ordinal);
    }

    private static string[] Lines(StringWriter writer) =>
        writer.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    [GeneratedRegex(@"^[a-z0-9-]+ +.+ · \d+ phases?, \d+ weeks?, \d+ tasks?$")]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"^ai-safety\.yaml:\d+:\d+: ")]
    private static partial Regex ErrorLine();
}
