using System.Diagnostics.CodeAnalysis;

namespace CoachBot.Core.Pathways;

/// <summary>The pathways an instance offers, by id, in id order.</summary>
public sealed class PathwayCatalog
{
    private readonly Dictionary<string, Pathway> _byId;

    public PathwayCatalog(IEnumerable<Pathway> pathways)
    {
        ArgumentNullException.ThrowIfNull(pathways);
        All = [.. pathways.OrderBy(pathway => pathway.Id, StringComparer.Ordinal)];
        _byId = All.ToDictionary(pathway => pathway.Id, StringComparer.Ordinal);
    }

    public IReadOnlyList<Pathway> All { get; }

    public bool TryGet(string id, [NotNullWhen(true)] out Pathway? pathway) => _byId.TryGetValue(id, out pathway);
}
