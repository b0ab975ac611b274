using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Buddies;

/// <summary>A member of a buddy pool as the pairing sees them: where they are in the pathway, and whether they are paused.</summary>
public sealed record BuddyCandidate(long EnrolmentId, int Week, bool IsPaused);

/// <summary>
/// How buddies are grouped: by similar week, in pairs, three together when the count is odd. Paused members wait (they
/// are no one's buddy until they are back). Pure: the store asks it inside its transaction.
/// </summary>
public static class BuddyPairing
{
    /// <summary>Every four weeks a pool is grouped afresh, so members meet others at their week.</summary>
    public static readonly TimeSpan RegroupAfter = TimeSpan.FromDays(28);

    /// <summary>
    /// Groups members in the order of their week (then of their enrolment): consecutive pairs, the last three together
    /// when the count is odd. One member alone forms no group.
    /// </summary>
    public static IReadOnlyList<IReadOnlyList<long>> Group(IEnumerable<BuddyCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var ordered = candidates.OrderBy(candidate => candidate.Week).ThenBy(candidate => candidate.EnrolmentId).Select(candidate => candidate.EnrolmentId).ToList();
        var groups = new List<IReadOnlyList<long>>();
        for (var at = 0; ordered.Count - at >= 2;)
        {
            var size = ordered.Count - at == 3 ? 3 : 2;
            groups.Add(ordered[at..(at + size)]);
            at += size;
        }

        return groups;
    }

    /// <summary>The members of the pool who have no buddy now: in no group, or alone in theirs (the others left).</summary>
    public static IReadOnlyList<long> Waiting(IReadOnlyList<BuddyRow> pool)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var sizes = GroupSizes(pool);
        return [.. pool.Where(row => row.GroupId is not { } group || sizes[group] < 2).Select(row => row.EnrolmentId)];
    }

    /// <summary>The other members of <paramref name="enrolmentId"/>'s group (none while they wait).</summary>
    public static IReadOnlyList<long> BuddiesOf(IReadOnlyList<BuddyRow> pool, long enrolmentId)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var own = pool.FirstOrDefault(row => row.EnrolmentId == enrolmentId)?.GroupId;
        return own is null ? [] : [.. pool.Where(row => row.GroupId == own && row.EnrolmentId != enrolmentId).Select(row => row.EnrolmentId)];
    }

    /// <summary>
    /// Places the members waiting (and not paused): in pairs by week; one left over joins the pair whose week is closest
    /// (a trio), or waits when there is none. <paramref name="apart"/> lists who must not be put together (a member who
    /// asked for a new buddy and the buddy they had). Members not in <paramref name="candidates"/> (their pathway is not
    /// loaded) are left as they are.
    /// </summary>
    public static IReadOnlyList<BuddyAssignment> Place(
        IReadOnlyList<BuddyRow> pool, IReadOnlyDictionary<long, BuddyCandidate> candidates, IReadOnlyCollection<(long, long)>? apart = null)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(candidates);
        apart ??= [];
        bool Apart(long first, long second) => apart.Contains((first, second)) || apart.Contains((second, first));
        var waiting = Waiting(pool)
            .Select(id => candidates.GetValueOrDefault(id))
            .OfType<BuddyCandidate>()
            .Where(candidate => !candidate.IsPaused)
            .OrderBy(candidate => candidate.Week)
            .ThenBy(candidate => candidate.EnrolmentId)
            .ToList();
        var nextGroup = pool.Select(row => row.GroupId ?? 0).DefaultIfEmpty(0).Max() + 1;
        // Each member's group as placing goes on, so a pair that took a third is a trio for the next one.
        var groupOf = pool.ToDictionary(row => row.EnrolmentId, row => row.GroupId);
        while (waiting.Count > 0)
        {
            var first = waiting[0];
            waiting.RemoveAt(0);
            if (waiting.FirstOrDefault(other => !Apart(first.EnrolmentId, other.EnrolmentId)) is { } partner)
            {
                waiting.Remove(partner);
                groupOf[first.EnrolmentId] = nextGroup;
                groupOf[partner.EnrolmentId] = nextGroup;
                nextGroup++;
                continue;
            }

            var closestPair = groupOf
                .Where(member => member.Value is not null && member.Key != first.EnrolmentId)
                .GroupBy(member => member.Value!.Value, member => member.Key)
                .Where(group => group.Count() == 2 && group.All(member => !Apart(first.EnrolmentId, member)))
                .OrderBy(group => group.Average(member => Math.Abs((candidates.GetValueOrDefault(member)?.Week ?? first.Week) - first.Week)))
                .ThenBy(group => group.Key)
                .FirstOrDefault();
            groupOf[first.EnrolmentId] = closestPair?.Key;
        }

        return [.. pool.Where(row => groupOf[row.EnrolmentId] != row.GroupId).Select(row => new BuddyAssignment(row.EnrolmentId, groupOf[row.EnrolmentId]))];
    }

    /// <summary>
    /// A member asks for another buddy: they and the buddies they had wait, then everyone waiting is placed, never
    /// with whom they just had; the member waits when nobody else can take them.
    /// </summary>
    public static IReadOnlyList<BuddyAssignment> NewBuddy(IReadOnlyList<BuddyRow> pool, long enrolmentId, IReadOnlyDictionary<long, BuddyCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(pool);
        var former = BuddiesOf(pool, enrolmentId);
        if (former.Count == 0)
        {
            return Place(pool, candidates);
        }

        // A trio loses one member and stays a pair; a pair leaves the other waiting too.
        List<long> leaving = former.Count == 1 ? [enrolmentId, .. former] : [enrolmentId];
        var loosened = pool.Select(row => leaving.Contains(row.EnrolmentId) ? row with { GroupId = null } : row).ToList();
        var placed = Place(loosened, candidates, [.. former.Select(buddy => (enrolmentId, buddy))]).ToDictionary(assignment => assignment.EnrolmentId, assignment => assignment.GroupId);
        return
        [
            .. loosened
                .Select(row => new BuddyAssignment(row.EnrolmentId, placed.TryGetValue(row.EnrolmentId, out var group) ? group : row.GroupId))
                .Where(assignment => pool.First(row => row.EnrolmentId == assignment.EnrolmentId).GroupId != assignment.GroupId),
        ];
    }

    /// <summary>Everyone afresh (every four weeks): the members not paused grouped by week, the paused ones waiting.</summary>
    public static IReadOnlyList<BuddyAssignment> Regroup(IReadOnlyList<BuddyRow> pool, IReadOnlyDictionary<long, BuddyCandidate> candidates)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(candidates);
        var groups = Group(pool.Select(row => candidates.GetValueOrDefault(row.EnrolmentId)).OfType<BuddyCandidate>().Where(candidate => !candidate.IsPaused));
        var assignments = pool.ToDictionary(row => row.EnrolmentId, row => (long?)null);
        for (var index = 0; index < groups.Count; index++)
        {
            foreach (var member in groups[index])
            {
                assignments[member] = index + 1;
            }
        }

        // A member whose row cannot be read now is left out of the new groups and waits.
        return [.. assignments.Select(pair => new BuddyAssignment(pair.Key, pair.Value))];
    }

    private static Dictionary<long, int> GroupSizes(IReadOnlyList<BuddyRow> pool) =>
        pool.Where(row => row.GroupId is not null).GroupBy(row => row.GroupId!.Value).ToDictionary(group => group.Key, group => group.Count());
}

/// <summary>The members of a pool as candidates for pairing, worked out from their server's cohort.</summary>
public static class BuddyCandidates
{
    /// <summary>
    /// Each enrolment of <paramref name="pathwayId"/> in <paramref name="cohort"/> that can be shown, with the week it is
    /// in and whether it is paused; one that cannot (a damaged row) is left out and keeps its group as it is.
    /// </summary>
    public static IReadOnlyDictionary<long, BuddyCandidate> From(
        IReadOnlyList<CohortEnrolment> cohort, string pathwayId, PathwayCatalog pathways, CoachSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        var here = cohort.Where(entry => string.Equals(entry.Enrolment.PathwayId, pathwayId, StringComparison.Ordinal)).ToList();
        return CohortView.Rows(here, pathways, settings, now)
            .Where(row => row.CanBeShown)
            .ToDictionary(
                row => row.Enrolment.Id,
                row => new BuddyCandidate(row.Enrolment.Id, row.Snapshot!.Position.OverallWeek, row.Snapshot.Position.IsPaused));
    }
}
