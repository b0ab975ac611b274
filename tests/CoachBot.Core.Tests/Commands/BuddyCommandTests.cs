using CoachBot.Core.Commands;
using CoachBot.Core.Delivery;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// <c>/buddy</c> and the Nudge button through the router: pairing as members join, leave and ask again; a server and a
/// pathway are boundaries; a nudge is one a day per pair, held through the buddy's night, and only for a buddy.
/// The sending and the four-weekly regrouping run on SQLite in CoachBot.Tests.
/// </summary>
public sealed class BuddyCommandTests
{
    [Fact]
    public async Task The_first_to_join_waits_the_second_is_paired_a_third_makes_a_trio_and_a_fourth_waits()
    {
        var harness = new RouterHarness();
        foreach (var user in new[] { "ana", "bea", "cy", "dee" })
        {
            await harness.RunAsync(user, "enroll", ("pathway", "ai-safety"));
        }

        var first = (await harness.RunAsync("ana", "buddy", ("action", "join"))).ToPlainText();
        var second = (await harness.RunAsync("bea", "buddy", ("action", "join"))).ToPlainText();
        var third = (await harness.RunAsync("cy", "buddy", ("action", "join"))).ToPlainText();
        var fourth = (await harness.RunAsync("dee", "buddy", ("action", "join"))).ToPlainText();

        Assert.Contains("You are waiting for a buddy in ai-safety", first, StringComparison.Ordinal);
        Assert.Contains("Your buddy in ai-safety:\n  • ana — phase 1, week 1 · finished 0 of 1 task of week 1", second, StringComparison.Ordinal);
        Assert.Contains("Your buddies in ai-safety:", third, StringComparison.Ordinal);
        Assert.Contains("  • ana —", third, StringComparison.Ordinal);
        Assert.Contains("  • bea —", third, StringComparison.Ordinal);
        Assert.Contains("You are waiting for a buddy", fourth, StringComparison.Ordinal);
        Assert.Contains("Your buddies in ai-safety:", (await harness.RunAsync("ana", "buddy")).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task When_a_trio_loses_a_member_the_pair_left_takes_whoever_waits()
    {
        var harness = new RouterHarness();
        foreach (var user in new[] { "ana", "bea", "cy", "dee" })
        {
            await harness.RunAsync(user, "enroll", ("pathway", "ai-safety"));
            await harness.RunAsync(user, "buddy", ("action", "join"));
        }

        // ana+bea, then cy joins them (a trio), and dee waits: a trio takes no fourth.
        Assert.Contains("You are waiting for a buddy", (await harness.RunAsync("dee", "buddy")).ToPlainText(), StringComparison.Ordinal);
        var left = (await harness.RunAsync("ana", "buddy", ("action", "leave"))).ToPlainText();
        var dee = (await harness.RunAsync("dee", "buddy")).ToPlainText();

        Assert.Contains("You left the buddies of ai-safety", left, StringComparison.Ordinal);
        Assert.Contains("Your buddies in ai-safety:\n  • bea —", dee, StringComparison.Ordinal);
        Assert.Contains("  • cy —", dee, StringComparison.Ordinal);
        Assert.DoesNotContain("ana", dee, StringComparison.Ordinal);
        Assert.Contains("You have no buddy", (await harness.RunAsync("ana", "buddy")).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Asking_for_a_new_buddy_gives_another_one_never_the_same()
    {
        var harness = new RouterHarness();
        foreach (var user in new[] { "ana", "bea", "cy", "dee" })
        {
            await harness.RunAsync(user, "enroll", ("pathway", "ai-safety"));
            await harness.RunAsync(user, "buddy", ("action", "join"));
        }

        var renewed = (await harness.RunAsync("ana", "buddy", ("action", "new"))).ToPlainText();

        Assert.Contains("You asked for a new buddy.", renewed, StringComparison.Ordinal);
        // ana, bea and cy were a trio and dee waited: bea and cy stay a pair, and ana's new buddy is dee.
        Assert.Contains("Your buddy in ai-safety:\n  • dee —", renewed, StringComparison.Ordinal);
        Assert.DoesNotContain("bea", renewed, StringComparison.Ordinal);
        Assert.Contains("Your buddy in ai-safety:\n  • cy —", (await harness.RunAsync("bea", "buddy")).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Members_of_another_server_or_pathway_are_never_paired_or_shown()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ana", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("ana", "buddy", ("action", "join"));
        await harness.RunAsync("bea", "enroll", ("pathway", "web-dev"));
        await harness.RunAsync("bea", "buddy", ("action", "join"));
        var elsewhere = new MemberRef("test", "guild-2", "mal");
        await harness.Router.HandleAsync(new CommandRequest(elsewhere, "mal", false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" }), CancellationToken.None);
        var mal = await harness.Router.HandleAsync(new CommandRequest(elsewhere, "mal", false, "buddy", new Dictionary<string, string> { ["action"] = "join" }), CancellationToken.None);

        Assert.Contains("You are waiting for a buddy", mal.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("You are waiting for a buddy", (await harness.RunAsync("ana", "buddy")).ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("You are waiting for a buddy", (await harness.RunAsync("bea", "buddy")).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_pathway_enrolled_from_a_DM_has_no_buddies_and_leave_without_join_says_how()
    {
        var harness = new RouterHarness();
        var dm = new MemberRef("test", MemberRef.DirectMessageScope("ana"), "ana");
        await harness.Router.HandleAsync(new CommandRequest(dm, "ana", false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" }), CancellationToken.None);
        var fromDm = await harness.Router.HandleAsync(new CommandRequest(dm, "ana", false, "buddy", new Dictionary<string, string> { ["action"] = "join" }), CancellationToken.None);
        await harness.RunAsync("bea", "enroll", ("pathway", "ai-safety"));

        Assert.StartsWith("You enrolled in ai-safety from a DM", fromDm.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal("You have not joined the buddies of ai-safety; `/buddy join` does.", (await harness.RunAsync("bea", "buddy", ("action", "leave"))).ToPlainText());
        Assert.StartsWith("'dance' is not something `/buddy` does", (await harness.RunAsync("bea", "buddy", ("action", "dance"))).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Buddies_see_each_others_latest_evidence_and_the_export_holds_the_membership()
    {
        var harness = await PairAsync();
        await harness.RunAsync("bea", "done", ("task", "1"), ("note", "Set up PyTorch"), ("link", "https://example.org/nb"));

        var seen = (await harness.RunAsync("ana", "buddy")).ToPlainText();
        var export = (await harness.RunAsync("ana", "mydata", ("action", "export"))).Attachment!.Content;

        Assert.Contains("  • bea — phase 1, week 1 · finished 1 of 1 task of week 1\n    latest: Phase 1 task of week 1 — Set up PyTorch · <https://example.org/nb>", seen, StringComparison.Ordinal);
        Assert.Contains("\"buddy\": {", export, StringComparison.Ordinal);
        Assert.Contains("\"group_id\": 1", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nudge_is_scheduled_once_a_day_per_pair_and_the_buddy_cannot_nudge_back_the_same_day()
    {
        var harness = await PairAsync();
        var nudge = NudgeButton(await harness.RunAsync("ana", "buddy"));

        var sent = (await harness.PressAsync("ana", nudge)).ToPlainText();
        var again = (await harness.PressAsync("ana", nudge)).ToPlainText();
        var back = (await harness.PressAsync("bea", NudgeButton(await harness.RunAsync("bea", "buddy")))).ToPlainText();
        harness.Clock.Advance(TimeSpan.FromDays(1));
        var tomorrow = (await harness.PressAsync("bea", NudgeButton(await harness.RunAsync("bea", "buddy")))).ToPlainText();

        Assert.Equal("Nudge\n\nNudge sent: bea gets a friendly DM from you now.", sent);
        Assert.Contains("You and bea already had today's nudge", again, StringComparison.Ordinal);
        Assert.Contains("You and ana already had today's nudge", back, StringComparison.Ordinal);
        Assert.Contains("Nudge sent: ana", tomorrow, StringComparison.Ordinal);
        Assert.Equal(
            [(new DeliveryKey("pair:1-2", DuePlanner.NudgeKind, "2026-12-07"), 2L, (DateTimeOffset?)null), (new DeliveryKey("pair:1-2", DuePlanner.NudgeKind, "2026-12-08"), 1L, null)],
            harness.Store.Scheduled.Select(delivery => (delivery.Key, delivery.EnrolmentId!.Value, delivery.NotBefore)));
    }

    [Theory]
    [InlineData("2026-12-07T21:30:00Z", null)]
    [InlineData("2026-12-07T22:00:00Z", "2026-12-08T08:00:00Z")]
    [InlineData("2026-12-08T03:00:00Z", "2026-12-08T08:00:00Z")]
    [InlineData("2026-12-08T07:59:00Z", "2026-12-08T08:00:00Z")]
    public async Task A_nudge_at_night_in_the_buddys_zone_waits_for_their_morning(string pressedAt, string? arrives)
    {
        var harness = await PairAsync();
        harness.Clock.SetUtcNow(DateTimeOffset.Parse(pressedAt, System.Globalization.CultureInfo.InvariantCulture));

        var reply = (await harness.PressAsync("ana", NudgeButton(await harness.RunAsync("ana", "buddy")))).ToPlainText();

        var scheduled = Assert.Single(harness.Store.Scheduled);
        Assert.Equal(arrives is null ? null : DateTimeOffset.Parse(arrives, System.Globalization.CultureInfo.InvariantCulture), scheduled.NotBefore);
        Assert.Contains(arrives is null ? "Nudge sent" : "your nudge waits until", reply, StringComparison.Ordinal);
    }

    [Fact]
    public void Quiet_hours_follow_the_buddys_own_zone_across_a_clock_change()
    {
        var berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");

        // 23:30 on Saturday 27 March 2027 in Berlin: the next 08:00 is in summer time, 06:00 UTC.
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 6, 0, 0, TimeSpan.Zero), NudgeAction.AfterQuietHours(new DateTimeOffset(2027, 3, 27, 22, 30, 0, TimeSpan.Zero), berlin));
        Assert.Null(NudgeAction.AfterQuietHours(new DateTimeOffset(2027, 3, 28, 6, 0, 0, TimeSpan.Zero), berlin));
    }

    [Fact]
    public async Task Nudging_someone_who_is_not_your_buddy_or_a_paused_buddy_is_refused_and_nothing_is_sent()
    {
        var harness = await PairAsync();
        await harness.RunAsync("mal", "enroll", ("pathway", "ai-safety"));

        var stranger = (await harness.PressAsync("mal", "nudge:3:1")).ToPlainText();
        var forged = (await harness.PressAsync("mal", "nudge:1:2")).ToPlainText();
        await harness.RunAsync("bea", "pause");
        var paused = (await harness.PressAsync("ana", "nudge:1:2")).ToPlainText();

        Assert.Equal("They are not your buddy any more; `/buddy` shows who is.", stranger);
        Assert.Equal("That button belongs to someone else's pathway; use `/today` to see your own.", forged);
        Assert.StartsWith("bea is paused for now", paused, StringComparison.Ordinal);
        Assert.Empty(harness.Store.Scheduled);
    }

    private static async Task<RouterHarness> PairAsync()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ana", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("bea", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("ana", "buddy", ("action", "join"));
        await harness.RunAsync("bea", "buddy", ("action", "join"));
        return harness;
    }

    private static string NudgeButton(Reply reply) => Assert.Single(reply.Buttons, button => button.ActionId.StartsWith("nudge:", StringComparison.Ordinal)).ActionId;
}
