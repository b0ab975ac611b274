using CoachBot.Core.Pathways;

namespace CoachBot.Pathways;

/// <summary>The pathways read from a folder, and every problem found on the way.</summary>
/// <param name="Catalog">The valid pathways; files with errors are left out.</param>
/// <param name="FileErrors">Every error of every file, each naming the file (relative to the folder), line and column.</param>
/// <param name="DirectoryProblem">One sentence when the folder itself is missing, unreadable or holds no pathway
/// files; null otherwise.</param>
internal sealed record PathwayDirectoryResult(
    PathwayCatalog Catalog,
    IReadOnlyList<PathwayError> FileErrors,
    string? DirectoryProblem)
{
    public bool IsValid => DirectoryProblem is null && FileErrors.Count == 0;

    /// <summary>Every problem as a line to show the organiser: the folder problem, or <c>file:line:column: message</c>.</summary>
    public IReadOnlyList<string> Errors =>
        DirectoryProblem is not null ? [DirectoryProblem] : [.. FileErrors.Select(error => error.ToString())];
}

/// <summary>Reads every <c>*.yaml</c> file of a pathways folder (<c>Pathways:Directory</c>) in name order.</summary>
internal static class PathwayDirectory
{
    public const string FilePattern = "*.yaml";

    public static PathwayDirectoryResult Load(string directory)
    {
        var empty = new PathwayCatalog([]);
        if (!Directory.Exists(directory))
        {
            return new(empty, [], $"The pathways folder '{directory}' does not exist: set Pathways:Directory to the folder that holds your pathway files (*.yaml).");
        }

        string[] paths;
        try
        {
            paths = Directory.GetFiles(directory, FilePattern);
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            return new(empty, [], $"The pathways folder '{directory}' cannot be read ({unreadable.Message}): set Pathways:Directory to a folder CoachBot may read.");
        }

        if (paths.Length == 0)
        {
            return new(empty, [], $"The pathways folder '{directory}' holds no pathway files (*.yaml): add one, or set Pathways:Directory to the folder that holds them.");
        }

        var pathways = new List<Pathway>();
        var errors = new List<PathwayError>();
        foreach (var path in paths.Order(StringComparer.Ordinal))
        {
            var fileName = Path.GetFileName(path);
            string yaml;
            try
            {
                yaml = File.ReadAllText(path);
            }
            catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
            {
                errors.Add(new PathwayError(fileName, 1, 1, $"The file cannot be read ({unreadable.Message}): check that CoachBot may read it."));
                continue;
            }

            var result = PathwayParser.Parse(fileName, yaml);
            errors.AddRange(result.Errors);
            if (result.Pathway is not null)
            {
                pathways.Add(result.Pathway);
            }
        }

        return new(new PathwayCatalog(pathways), errors, null);
    }
}
