using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Core.Pathways;

/// <summary>Collects the errors of one file, so that all of them are reported at once.</summary>
internal sealed class PathwayErrorList(string fileName)
{
    private readonly List<PathwayError> _errors = [];

    public int Count => _errors.Count;

    public void Add(int line, int column, string message) =>
        _errors.Add(new PathwayError(fileName, Math.Max(line, 1), Math.Max(column, 1), message));

    public void Add(Mark mark, string message) => Add(ToInt(mark.Line), ToInt(mark.Column), message);

    public void Add(YamlNode node, string message) => Add(node.Start, message);

    /// <summary>The errors in the order they occur in the file.</summary>
    public IReadOnlyList<PathwayError> InFileOrder() =>
        [.. _errors.OrderBy(error => error.Line).ThenBy(error => error.Column)];

    private static int ToInt(long value) => (int)Math.Clamp(value, 1, int.MaxValue);
}
