using CoachBot.Core.Buddies;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Tests.Buddies;

/// <summary>The pairing rules, pure: pairs by similar week, a trio when odd, the paused wait, and a new buddy is never the old one.</summary>
public sealed class BuddyPairingTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    [Fact]
    public void An_even_count_makes_pairs_of_neighbouring_weeks()
    {
        var groups = BuddyPairing.Group([Candidate(1, 9), Candidate(2, 1), Candidate(3, 10), Candidate(4, 2)]);

        Assert.Equal([[2L, 4L], [1L, 3L]], groups.Select(group => group.ToArray()));
    }

    [Fact]
    public void An_odd_count_ends_in_a_trio_and_one_member_alone_forms_no_group()
    {
        Assert.Equal([[1L, 2L], [3L, 4L, 5L]], BuddyPairing.Group([.. Enumerable.Range(1, 5).Select(id => Candidate(id, id))]).Select(group => group.ToArray()));
        Assert.Equal([[1L, 2L, 3L]], BuddyPairing.Group([Candidate(1, 1), Candidate(2, 1), Candidate(3, 1)]).Select(group => group.ToArray()));
        Assert.Empty(BuddyPairing.Group([Candidate(1, 1)]));
    }

    [Fact]
    public void Two_waiting_members_are_paired_and_a_third_joins_the_pair_closest_in_week()
    {
        BuddyRow[] pool = [Row(1, group: 1), Row(2, group: 1), Row(3, group: 2), Row(4, group: 2), Row(5)];
        var candidates = Candidates((1, 1), (2, 1), (3, 7), (4, 8), (5, 6));

        var placed = BuddyPairing.Place(pool, candidates);

        Assert.Equal([new BuddyAssignment(5, 2)], placed);
        Assert.Equal([new BuddyAssignment(5, 3), new BuddyAssignment(6, 3)], BuddyPairing.Place([.. pool[..4], Row(5), Row(6)], Candidates((5, 1), (6, 9))));
    }

    [Fact]
    public void A_paused_member_waits_and_is_no_ones_new_buddy()
    {
        BuddyRow[] pool = [Row(1), Row(2), Row(3)];
        var candidates = new Dictionary<long, BuddyCandidate> { [1] = Candidate(1, 1), [2] = new(2, 1, IsPaused: true), [3] = Candidate(3, 2) };

        Assert.Equal([new BuddyAssignment(1, 1), new BuddyAssignment(3, 1)], BuddyPairing.Place(pool, candidates));
        Assert.Equal([new BuddyAssignment(1, 1), new BuddyAssignment(2, null), new BuddyAssignment(3, 1)], BuddyPairing.Regroup(pool, candidates));
    }

    [Fact]
    public void A_member_left_alone_by_a_leaver_counts_as_waiting()
    {
        BuddyRow[] pool = [Row(1, group: 4), Row(2)];

        Assert.Equal([1L, 2L], BuddyPairing.Waiting(pool));
        Assert.Equal([new BuddyAssignment(1, 5), new BuddyAssignment(2, 5)], BuddyPairing.Place(pool, Candidates((1, 3), (2, 3))));
    }

    [Fact]
    public void Asking_for_a_new_buddy_never_gives_back_the_old_one()
    {
        BuddyRow[] pair = [Row(1, group: 1), Row(2, group: 1)];
        Assert.Equal([new BuddyAssignment(1, null), new BuddyAssignment(2, null)], BuddyPairing.NewBuddy(pair, 1, Candidates((1, 1), (2, 1))));

        BuddyRow[] twoPairs = [.. pair, Row(3, group: 2), Row(4, group: 2)];
        var moved = BuddyPairing.NewBuddy(twoPairs, 1, Candidates((1, 1), (2, 1), (3, 2), (4, 2)));
        Assert.Equal([new BuddyAssignment(1, 2), new BuddyAssignment(2, null)], moved);

        BuddyRow[] trio = [Row(1, group: 1), Row(2, group: 1), Row(3, group: 1), Row(4)];
        Assert.Equal([new BuddyAssignment(1, 2), new BuddyAssignment(4, 2)], BuddyPairing.NewBuddy(trio, 1, Candidates((1, 1), (2, 1), (3, 1), (4, 5))));
    }

    private static BuddyCandidate Candidate(long id, int week) => new(id, week, IsPaused: false);

    private static Dictionary<long, BuddyCandidate> Candidates(params (long Id, int Week)[] members) =>
        members.ToDictionary(member => member.Id, member => Candidate(member.Id, member.Week));

    private static BuddyRow Row(long enrolmentId, long? group = null) => new(enrolmentId, enrolmentId * 10, group, Now, group is null ? null : Now);
}
