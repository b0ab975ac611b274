using CoachBot.Pathways;
using CoachBot.TestSupport;

namespace CoachBot.Tests.Pathways;

public sealed class PathwayDirectoryTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-pathways-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Load_WhenGivenTheShippedFolder_ReturnsEveryPathwayInIdOrder()
    {
        var result = PathwayDirectory.Load(RepositoryRoot.PathwaysDirectory);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(["ai-safety", "interpretability", "ml-fundamentals"], result.Catalog.All.Select(pathway => pathway.Id));
        Assert.True(result.Catalog.TryGet("ai-safety", out _));
    }

    [Fact]
    public void Load_WhenOneFileIsBroken_KeepsTheOthersAndReportsTheBrokenOneByName()
    {
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "interpretability.yaml"), Path.Combine(_folder.FullName, "interpretability.yaml"));
        File.WriteAllText(Path.Combine(_folder.FullName, "broken.yaml"), "title: x\n");
        File.WriteAllText(Path.Combine(_folder.FullName, "notes.txt"), "not a pathway");

        var result = PathwayDirectory.Load(_folder.FullName);

        Assert.False(result.IsValid);
        Assert.Equal(["interpretability"], result.Catalog.All.Select(pathway => pathway.Id));
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, error => Assert.StartsWith("broken.yaml:1:1: ", error, StringComparison.Ordinal));
    }

    [Fact]
    public void Load_WithFilesThatAreNotRead_WarnsOncePerFileSayingHowToRenameIt_ButNotForTheSchemaReadmesOrDotfiles()
    {
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "interpretability.yaml"), Path.Combine(_folder.FullName, "interpretability.yaml"));
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "interpretability.yaml"), Path.Combine(_folder.FullName, "foo.yml"));
        File.WriteAllText(Path.Combine(_folder.FullName, "Bar.YAML"), "title: x\n");
        File.WriteAllText(Path.Combine(_folder.FullName, "notes.txt"), "not a pathway");
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "pathway.schema.json"), Path.Combine(_folder.FullName, "pathway.schema.json"));
        File.WriteAllText(Path.Combine(_folder.FullName, "README.md"), "# Our pathways");
        File.WriteAllText(Path.Combine(_folder.FullName, ".editorconfig"), "root = true");

        var result = PathwayDirectory.Load(_folder.FullName);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.Equal(["interpretability"], result.Catalog.All.Select(pathway => pathway.Id));
        Assert.Equal(
            [
                $"{Path.Combine(_folder.FullName, "Bar.YAML")} is not read: pathway files end in .yaml; rename it to Bar.yaml.",
                $"{Path.Combine(_folder.FullName, "foo.yml")} is not read: pathway files end in .yaml; rename it to foo.yaml.",
                $"{Path.Combine(_folder.FullName, "notes.txt")} is not read: pathway files end in .yaml; rename it to notes.yaml if it is one, or move it out of the folder.",
            ],
            result.Warnings);
    }

    [Fact]
    public void Load_WhenTheOnlyPathwayIsAYmlFile_StillWarnsAboutIt()
    {
        File.Copy(Path.Combine(RepositoryRoot.PathwaysDirectory, "interpretability.yaml"), Path.Combine(_folder.FullName, "foo.yml"));

        var result = PathwayDirectory.Load(_folder.FullName);

        Assert.NotNull(result.DirectoryProblem);
        Assert.Equal([$"{Path.Combine(_folder.FullName, "foo.yml")} is not read: pathway files end in .yaml; rename it to foo.yaml."], result.Warnings);
    }

    [Fact]
    public void Load_WhenTheFolderIsMissing_GivesOneSentenceNamingTheSetting()
    {
        var result = PathwayDirectory.Load(Path.Combine(_folder.FullName, "missing"));

        var error = Assert.Single(result.Errors);
        Assert.Contains("Pathways:Directory", error, StringComparison.Ordinal);
        Assert.Empty(result.Catalog.All);
    }

    [Fact]
    public void Load_WhenTheFolderHasNoPathwayFiles_GivesOneSentenceNamingTheSetting()
    {
        var result = PathwayDirectory.Load(_folder.FullName);

        var error = Assert.Single(result.Errors);
        Assert.Contains("holds no pathway files", error, StringComparison.Ordinal);
        Assert.Contains("Pathways:Directory", error, StringComparison.Ordinal);
    }

    [Fact]
    public void Load_WhenTheSettingNamesAFile_SaysItIsAFileNotThatItIsMissing()
    {
        var file = Path.Combine(_folder.FullName, "ai-safety.yaml");
        File.WriteAllText(file, "title: x\n");

        var result = PathwayDirectory.Load(file);

        Assert.Equal(
            $"The pathways folder '{file}' is a file, not a folder: set Pathways:Directory to the folder that holds your pathway files (*.yaml).",
            Assert.Single(result.Errors));
    }
}
