using CoachBot.Core.Pathways;

namespace CoachBot.Pathways;

/// <summary>The pathways read from a folder, and every problem found on the way.</summary>
/// <param name="Catalog">The valid pathways; files with errors are left out.</param>
/// <param name="FileErrors">Every error of every file, each naming the file (relative to the folder), line and column.</param>
/// <param name="DirectoryProblem">One sentence when the folder itself is missing, unreadable or holds no pathway
/// files; null otherwise.</param>
/// <param name="Warnings">One warning per file of the folder that is not read although it may be meant as a pathway
/// (<c>foo.yml</c>, <c>foo.txt</c>); the schema, READMEs and dotfiles are not named. They do not make the folder invalid.</param>
internal sealed record PathwayDirectoryResult(
    PathwayCatalog Catalog,
    IReadOnlyList<PathwayError> FileErrors,
    string? DirectoryProblem,
    IReadOnlyList<string> Warnings)
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
    public const string Extension = ".yaml";
    public const string SchemaFile = "pathway.schema.json";

    public static PathwayDirectoryResult Load(string directory)
    {
        var empty = new PathwayCatalog([]);
        if (File.Exists(directory))
        {
            return new(empty, [], $"The pathways folder '{directory}' is a file, not a folder: set Pathways:Directory to the folder that holds your pathway files (*.yaml).", []);
        }

        if (!Directory.Exists(directory))
        {
            return new(empty, [], $"The pathways folder '{directory}' does not exist: set Pathways:Directory to the folder that holds your pathway files (*.yaml).", []);
        }

        string[] paths;
        try
        {
            paths = Directory.GetFiles(directory, FilePattern);
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            return new(empty, [], $"The pathways folder '{directory}' cannot be read ({unreadable.Message}): set Pathways:Directory to a folder CoachBot may read.", []);
        }

        var ignored = IgnoredFiles(directory);
        if (paths.Length == 0)
        {
            return new(empty, [], $"The pathways folder '{directory}' holds no pathway files (*.yaml): add one, or set Pathways:Directory to the folder that holds them.", ignored);
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

        return new(new PathwayCatalog(pathways), errors, null, ignored);
    }

    /// <summary>
    /// A sentence per file in <paramref name="directory"/> that is skipped although an organiser may have meant it as a
    /// pathway: <c>.yml</c>, <c>.YAML</c>, any other extension. Not the schema, READMEs or dotfiles (editor and git files).
    /// </summary>
    private static List<string> IgnoredFiles(string directory)
    {
        string[] names;
        try
        {
            names = [.. Directory.GetFiles(directory).Select(path => Path.GetFileName(path))];
        }
        catch (Exception unreadable) when (unreadable is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        return [.. names
            .Where(name => !name.EndsWith(Extension, StringComparison.Ordinal)
                && !name.StartsWith('.')
                && !name.Equals(SchemaFile, StringComparison.Ordinal)
                && !name.StartsWith("README", StringComparison.OrdinalIgnoreCase))
            .Order(StringComparer.Ordinal)
            .Select(name => IgnoredSentence(directory, name))];
    }

    private static string IgnoredSentence(string directory, string name)
    {
        var shown = Path.Combine(directory, name);
        var stem = Path.GetFileNameWithoutExtension(name);
        // A YAML file by another spelling is surely meant as a pathway; anything else may be a note that belongs elsewhere.
        return Path.GetExtension(name).ToLowerInvariant() is ".yml" or ".yaml"
            ? $"{shown} is not read: pathway files end in .yaml; rename it to {stem}{Extension}."
            : $"{shown} is not read: pathway files end in .yaml; rename it to {stem}{Extension} if it is one, or move it out of the folder.";
    }
}
