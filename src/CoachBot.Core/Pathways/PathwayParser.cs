namespace CoachBot.Core.Pathways;

/// <summary>A problem in a pathway file, located at a 1-based line and column, with what to do about it.</summary>
public sealed record PathwayError(string File, int Line, int Column, string Message)
{
    public override string ToString() => $"{File}:{Line}:{Column}: {Message}";
}

/// <summary>Either a valid pathway or every error found in its file.</summary>
public sealed record PathwayParseResult(Pathway? Pathway, IReadOnlyList<PathwayError> Errors)
{
    public bool IsValid => Pathway is not null && Errors.Count == 0;
}

/// <summary>Parses the text of one pathway file (YAML, format v1). Never throws on bad input.</summary>
public static class PathwayParser
{
    /// <param name="fileName">The file's name, e.g. <c>ai-safety.yaml</c>; its name without extension is the pathway id.</param>
    /// <param name="yaml">The file's text.</param>
    public static PathwayParseResult Parse(string fileName, string yaml) =>
        throw new NotImplementedException("The strict pathway loader lands with issue 2.");
}
