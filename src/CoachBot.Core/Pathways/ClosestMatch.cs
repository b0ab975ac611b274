namespace CoachBot.Core.Pathways;

/// <summary>Finds the known word a mistyped one was most likely meant to be (for "did you mean …?" hints).</summary>
internal static class ClosestMatch
{
    /// <returns>The candidate nearest to <paramref name="typed"/> by edit distance, ignoring case, or null when
    /// none is close enough to be a plausible typo.</returns>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        var lowered = typed.ToLowerInvariant();
        var tolerance = Math.Max(2, lowered.Length / 3);
        return candidates
            .Select(candidate => (Candidate: candidate, Distance: EditDistance(lowered, candidate.ToLowerInvariant())))
            .Where(match => match.Distance <= tolerance)
            .OrderBy(match => match.Distance)
            .ThenBy(match => match.Candidate, StringComparer.Ordinal)
            .Select(match => match.Candidate)
            .FirstOrDefault();
    }

    /// <summary>Levenshtein distance (insertions, deletions and substitutions each cost 1).</summary>
    public static int EditDistance(string first, string second)
    {
        var previous = new int[second.Length + 1];
        var current = new int[second.Length + 1];
        for (var j = 0; j <= second.Length; j++)
        {
            previous[j] = j;
        }

        for (var i = 1; i <= first.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= second.Length; j++)
            {
                var substitution = previous[j - 1] + (first[i - 1] == second[j - 1] ? 0 : 1);
                current[j] = Math.Min(substitution, Math.Min(previous[j] + 1, current[j - 1] + 1));
            }

            (previous, current) = (current, previous);
        }

        return previous[second.Length];
    }
}
