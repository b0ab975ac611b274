using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using CoachBot.Operations;
using CoachBot.Options;
using CoachBot.TestSupport;
using Microsoft.Extensions.Logging.Abstractions;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CoachBot.Tests.Operations;

/// <summary>No Docker daemon runs the tests, so these read the Dockerfile and check it against the repository.</summary>
public sealed partial class DockerfileTests
{
    private static readonly IReadOnlyList<Instruction> Instructions = Parse(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "Dockerfile")));

    public static TheoryData<string> CopiedPaths() => [.. Instructions.Where(instruction => instruction.IsCopyFromContext).SelectMany(instruction => instruction.Sources).Distinct(StringComparer.Ordinal)];

    public static TheoryData<string> SolutionProjects() => [.. ProjectsOfSolution()];

    [Theory]
    [MemberData(nameof(CopiedPaths))]
    public void Copy_EverySourcePath_ExistsInTheRepository(string source)
    {
        var path = Path.Combine(RepositoryRoot.Path, source);

        Assert.True(File.Exists(path) || Directory.Exists(path), $"The Dockerfile copies '{source}', which is not in the repository.");
    }

    [Theory]
    [MemberData(nameof(SolutionProjects))]
    public void RestoreStage_CopiesEveryProjectFileOfTheSolution(string project)
    {
        var restoreSources = Stage("restore").Where(instruction => instruction.IsCopyFromContext).SelectMany(instruction => instruction.Sources);

        Assert.Contains(project, restoreSources);
    }

    [Fact]
    public void RestoreStage_CopiesOnlyFiles_SoSourceEditsKeepTheRestoreLayerCached()
    {
        var directories = Stage("restore")
            .Where(instruction => instruction.IsCopyFromContext)
            .SelectMany(instruction => instruction.Sources)
            .Where(source => Directory.Exists(Path.Combine(RepositoryRoot.Path, source)));

        Assert.Empty(directories);
    }

    [Theory]
    [MemberData(nameof(SolutionProjects))]
    public void BuildStage_CopiesTheFolderOfEveryProjectOfTheSolution(string project)
    {
        var folders = Stage("build").Where(instruction => instruction.IsCopyFromContext).SelectMany(instruction => instruction.Sources);

        Assert.Contains(folders, folder => folder.EndsWith('/') && project.StartsWith(folder, StringComparison.Ordinal));
    }

    [Fact]
    public void Stages_RestoreThenBuildThenTestThenPublish_AndTheRuntimeImageTakesThePublishOutput()
    {
        var froms = Instructions.Where(instruction => instruction.Keyword == "FROM").Select(instruction => instruction.Arguments).ToList();

        Assert.Equal(
            // ASP.NET Core's runtime image, not the plain one: the host serves the dashboard and needs that shared framework.
            ["mcr.microsoft.com/dotnet/sdk:${DOTNET_VERSION} AS restore", "restore AS build", "build AS test", "test AS publish", "mcr.microsoft.com/dotnet/aspnet:${DOTNET_VERSION} AS runtime"],
            froms);
        Assert.Contains(Stage("test"), instruction => instruction.Keyword == "RUN" && instruction.Arguments.StartsWith("dotnet test CoachBot.sln", StringComparison.Ordinal));
        Assert.Contains(Stage("runtime"), instruction => instruction.Keyword == "COPY" && instruction.Arguments == "--from=publish /app ./");
    }

    [Fact]
    public void Runtime_RunsAsNonRoot_WithTheDatabaseOnTheDataVolume_AndPathwaysInApp()
    {
        var runtime = Stage("runtime");
        var environment = string.Join(' ', runtime.Where(instruction => instruction.Keyword == "ENV").Select(instruction => instruction.Arguments));

        Assert.Contains(runtime, instruction => instruction.Keyword == "USER" && instruction.Arguments == "$APP_UID");
        Assert.Contains(runtime, instruction => instruction.Keyword == "VOLUME" && instruction.Arguments == "[\"/data\"]");
        Assert.Contains("ConnectionStrings__CoachBot=\"Data Source=/data/coachbot.db\"", environment, StringComparison.Ordinal);
        Assert.Contains("Pathways__Directory=/app/pathways", environment, StringComparison.Ordinal);
        Assert.Contains(runtime, instruction => instruction.IsCopyFromContext && instruction.Arguments == "pathways/ /app/pathways/");
    }

    [Fact]
    public async Task HealthCheck_RunsTheHealthModeOfTheDllThatIsPublished()
    {
        var command = HealthCheckCommandLine();
        var folder = Directory.CreateTempSubdirectory("coachbot-docker-health-");
        try
        {
            var healthFile = Path.Combine(folder.FullName, "healthy");
            new HealthFile(MsOptions.Create(new HealthOptions { File = healthFile }), TimeProvider.System, NullLogger<HealthFile>.Instance).MarkAlive();

            var exitCode = await CoachBotApp.RunAsync([.. command[2..], "--file", healthFile]);

            Assert.Equal("dotnet", command[0]);
            Assert.Equal("/app/" + PublishedDllName(), command[1]);
            Assert.True(File.Exists(Path.Combine(AppContext.BaseDirectory, PublishedDllName())), $"{PublishedDllName()} is not in the build output.");
            Assert.Equal(HealthCheckCommand.Mode, command[2]);
            Assert.Equal(CoachBotApp.ExitOk, exitCode);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    [Fact]
    public void Entrypoint_StartsThePublishedDll()
    {
        var entrypoint = Assert.Single(Instructions, instruction => instruction.Keyword == "ENTRYPOINT");

        Assert.Equal(["dotnet", "/app/" + PublishedDllName()], JsonSerializer.Deserialize<string[]>(entrypoint.Arguments)!);
    }

    [Fact]
    public void HealthFile_OfTheImage_IsTheDefaultTheBotUses()
    {
        var environment = string.Join(' ', Stage("runtime").Where(instruction => instruction.Keyword == "ENV").Select(instruction => instruction.Arguments));

        Assert.Contains("Health__File=/tmp/coachbot-healthy", environment, StringComparison.Ordinal);
    }

    [Fact]
    public void DockerIgnore_KeepsBuildOutputAndDatabasesOutOfTheContext()
    {
        var ignored = File.ReadAllLines(Path.Combine(RepositoryRoot.Path, ".dockerignore"));

        Assert.Contains("**/bin/", ignored);
        Assert.Contains("**/obj/", ignored);
        Assert.Contains("*.db", ignored);
    }

    private static string[] HealthCheckCommandLine()
    {
        var healthCheck = Assert.Single(Instructions, instruction => instruction.Keyword == "HEALTHCHECK");
        var json = healthCheck.Arguments[(healthCheck.Arguments.IndexOf("CMD ", StringComparison.Ordinal) + 4)..];
        return JsonSerializer.Deserialize<string[]>(json)!;
    }

    /// <summary>The AssemblyName of the executable project: the dll that publish puts in /app.</summary>
    private static string PublishedDllName()
    {
        var project = XDocument.Load(Path.Combine(RepositoryRoot.Path, "src", "CoachBot", "CoachBot.csproj"));
        var assemblyName = project.Descendants("AssemblyName").Select(element => element.Value).SingleOrDefault() ?? "CoachBot";
        Assert.Equal(typeof(CoachBotApp).Assembly.GetName().Name, assemblyName);
        return assemblyName + ".dll";
    }

    private static IEnumerable<string> ProjectsOfSolution() =>
        ProjectLine().Matches(File.ReadAllText(Path.Combine(RepositoryRoot.Path, "CoachBot.sln")))
            .Select(match => match.Groups["path"].Value.Replace('\\', '/'));

    private static List<Instruction> Stage(string name)
    {
        var stage = new List<Instruction>();
        var inside = false;
        foreach (var instruction in Instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                inside = instruction.Arguments.EndsWith(" AS " + name, StringComparison.Ordinal);
            }
            else if (inside)
            {
                stage.Add(instruction);
            }
        }

        Assert.NotEmpty(stage);
        return stage;
    }

    /// <summary>Instructions with continuation lines joined and comments dropped.</summary>
    private static List<Instruction> Parse(string dockerfile)
    {
        var instructions = new List<Instruction>();
        var pending = "";
        foreach (var rawLine in dockerfile.ReplaceLineEndings("\n").Split('\n'))
        {
            var line = rawLine.Trim();
            if (line.StartsWith('#') || (line.Length == 0 && pending.Length == 0))
            {
                continue;
            }

            if (line.EndsWith('\\'))
            {
                pending += line[..^1].Trim() + " ";
                continue;
            }

            var whole = (pending + line).Trim();
            pending = "";
            if (whole.Length == 0)
            {
                continue;
            }

            var space = whole.IndexOf(' ', StringComparison.Ordinal);
            instructions.Add(new Instruction(whole[..space].ToUpperInvariant(), whole[(space + 1)..].Trim()));
        }

        return instructions;
    }

    [GeneratedRegex("""^Project\("\{FAE04EC0-301F-11D3-BF4B-00C04F79EFBC\}"\) = "[^"]+", "(?<path>[^"]+\.csproj)""", RegexOptions.Multiline)]
    private static partial Regex ProjectLine();

    internal sealed record Instruction(string Keyword, string Arguments)
    {
        public bool IsCopyFromContext => Keyword == "COPY" && !Arguments.StartsWith("--from=", StringComparison.Ordinal);

        /// <summary>The source paths of a COPY (every argument but the last, options left out).</summary>
        public IReadOnlyList<string> Sources
        {
            get
            {
                var parts = Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(part => !part.StartsWith("--", StringComparison.Ordinal)).ToArray();
                return parts[..^1];
            }
        }
    }
}
