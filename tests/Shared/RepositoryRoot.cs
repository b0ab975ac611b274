namespace CoachBot.TestSupport;

/// <summary>Finds folders of the repository from a test assembly's output folder.</summary>
internal static class RepositoryRoot
{
    /// <summary>The folder holding CoachBot.sln, found by walking up from the test assembly.</summary>
    public static string Path { get; } = Find();

    /// <summary>The shipped pathway files, <c>pathways/</c> at the repository root.</summary>
    public static string PathwaysDirectory => System.IO.Path.Combine(Path, "pathways");

    private static string Find()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(System.IO.Path.Combine(directory.FullName, "CoachBot.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException($"No CoachBot.sln above {AppContext.BaseDirectory}: run the tests from a clone of the repository.");
    }
}
