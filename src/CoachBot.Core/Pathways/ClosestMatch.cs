namespace CoachBot.Core.Pathways;

/// <summary>Finds the known word a mistyped one was most likely meant to be (for "did you mean …?" hints).</summary>
internal static class ClosestMatch
{
    /// <returns>The candidate nearest to <paramref name="typed"/> by edit distance, ignoring case, or null when
    /// none is close enough to be a plausible typo (one edit per three letters, at least one).</returns>
    public static string? Find(string typed, IEnumerable<string> candidates)
    {
        var lowered = typed.ToLowerInvariant();
        var tolerance = Math.Max(1, lowered.Length / 3);
        return candidates
            .Select(candidate => (Candidate: candidate, Distance: EditDistance(lowered, candidate.ToLowerInvariant())))
            .Where(match => match.Distance <= tolerance)
            .OrderBy(match => match.Distance)
            .ThenBy(match => match.Candidate, StringComparer.Ordinal)
            .Select(match => match.Candidate)
            .FirstOrDefault();
    }

    /// <summary>Edit distance where inserting, deleting or replacing a letter, or swapping two neighbours
    /// ("titel" for "title"), each costs 1 (optimal string alignment).</summary>
    public static int EditDistance(string first, string second)
    {
        var distances = new int[first.Length + 1, second.Length + 1];
        for (var i = 0; i <= first.Length; i++)
        {
            distances[i, 0] = i;
        }

        for (var j = 0; j <= second.Length; j++)
        {
            distances[0, j] = j;
        }

        for (var i = 1; i <= first.Length; i++)
        {
            for (var j = 1; j <= second.Length; j++)
            {
                var cost = first[i - 1] == second[j - 1] ? 0 : 1;
                var best = Math.Min(distances[i - 1, j - 1] + cost, Math.Min(distances[i - 1, j] + 1, distances[i, j - 1] + 1));
                if (i > 1 && j > 1 && first[i - 1] == second[j - 2] && first[i - 2] == second[j - 1])
                {
                    best = Math.Min(best, distances[i - 2, j - 2] + 1);
                }

                distances[i, j] = best;
            }
        }

        return distances[first.Length, second.Length];
    }
}
