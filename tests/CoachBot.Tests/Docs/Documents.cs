using CoachBot.TestSupport;

namespace CoachBot.Tests.Docs;

/// <summary>The repository's Markdown documents, as paths relative to its root with '/' separators.</summary>
internal static class Documents
{
    private static readonly string[] _skippedFolders = ["bin", "obj", ".git", "node_modules", "TestResults"];

    public static IEnumerable<string> All() =>
        Directory.EnumerateFiles(RepositoryRoot.Path, "*.md", SearchOption.AllDirectories)
            .Select(path => Path.GetRelativePath(RepositoryRoot.Path, path).Replace('\\', '/'))
            .Where(path => !path.Split('/').Any(part => _skippedFolders.Contains(part)))
            .Order(StringComparer.Ordinal);
}
