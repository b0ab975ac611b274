using CoachBot.TestSupport;
using CoachBot.Validation;

namespace CoachBot.Tests.Docs;

/// <summary>The pathway guide's <c>validate</c> example is what validate prints for the edit the guide describes.</summary>
public sealed class DocValidateExampleTests : IDisposable
{
    private const string Command = "$ dotnet run --project src/CoachBot -- validate my-folder\n";

    private readonly DirectoryInfo _myFolder = Directory.CreateTempSubdirectory("coachbot-doc-validate-");

    public void Dispose() => _myFolder.Delete(recursive: true);

    [Fact]
    public async Task PathwaysGuide_ValidateExample_IsWhatValidatePrintsForTheEditItDescribes()
    {
        var guide = (await File.ReadAllTextAsync(Path.Combine(RepositoryRoot.Path, "docs", "pathways.md"))).ReplaceLineEndings("\n");
        var start = guide.IndexOf(Command, StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/pathways.md no longer shows `validate my-folder`; update this test with the example.");
        start += Command.Length;
        var shown = guide[start..guide.IndexOf("```", start, StringComparison.Ordinal)].TrimEnd('\n');

        // The edit the guide describes: the task at line 106 takes the id of the one at line 96, and a key no pathway has.
        var lines = (await File.ReadAllLinesAsync(Path.Combine(RepositoryRoot.PathwaysDirectory, "ai-safety.yaml"))).ToList();
        Assert.Equal("      - id: start-learning-blog", lines[105]);
        Assert.Equal("      - id: set-up-pytorch", lines[95]);
        lines[105] = "      - id: set-up-pytorch";
        lines.Add("mascot: owl");
        await File.WriteAllLinesAsync(Path.Combine(_myFolder.FullName, "ai-safety.yaml"), lines);
        using var output = new StringWriter();
        using var error = new StringWriter();

        var exitCode = await ValidateCommand.RunAsync([_myFolder.FullName], output, error);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Equal(shown, output.ToString().ReplaceLineEndings("\n").TrimEnd('\n'));
        Assert.Empty(error.ToString());
    }
}
