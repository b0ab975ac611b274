using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// Re-plan through the router: offered by a check-in only after two check-ins far behind, one button that is recorded
/// with its date and moves what <c>/today</c> and <c>/progress</c> say, and refused with a sentence for anyone or
/// anything else. ai-safety here has 6 weeks, one task a week (phases of 2, 3 and 1 weeks).
/// </summary>
public sealed class ReplanActionTests
{
    // RouterHarness's clock: Monday 7 Dec 2026 10:00 UTC. Enrolled four weeks earlier and nothing done: in week 5, behind
    // by 4 tasks now and by 3 a week ago, with one task a week.
    private const string FourWeeksAgo = "2026-11-09";

    [Fact]
    public async Task Two_check_ins_far_behind_bring_the_offer_with_what_each_choice_does()
    {
        var harness = await BehindAsync();

        var checkIn = await harness.RunAsync("ada", "checkin");

        var text = checkIn.ToPlainText();
        Assert.Contains("You are behind by 4 tasks, more than a week's worth, for two check-ins in a row.", text, StringComparison.Ordinal);
        Assert.Contains("Shift: the rest of your schedule moves back 4 weeks, to week 1; planned finish Sun 17 Jan 2027.", text, StringComparison.Ordinal);
        Assert.Contains("Lighter pace: each remaining week takes longer (1.25× → Thu 24 Dec 2026, 1.5× → Sun 27 Dec 2026, 2× → Sun 3 Jan 2027).", text, StringComparison.Ordinal);
        Assert.Contains("Keep going: the plan stays; planned finish Sun 20 Dec 2026.", text, StringComparison.Ordinal);
        Assert.Equal(
            ["replan:1:4:shift", "replan:1:4:125", "replan:1:4:150", "replan:1:4:200", "replan:1:4:keep"],
            checkIn.Buttons.Where(button => button.ActionId.StartsWith("replan:", StringComparison.Ordinal)).Select(button => button.ActionId));
    }

    [Fact]
    public async Task Behind_at_one_check_in_only_or_by_a_single_week_brings_no_offer()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"), ("start", "2026-11-23"));
        await harness.RunAsync("bea", "enroll", ("pathway", "ai-safety"), ("start", FourWeeksAgo));
        foreach (var task in new[] { "p1w1", "p1w2", "p2w1" })
        {
            await harness.RunAsync("bea", "done", ("task", task));
        }

        Assert.DoesNotContain("re-plan", (await harness.RunAsync("ada", "checkin")).ToPlainText(), StringComparison.Ordinal);
        Assert.DoesNotContain("re-plan", (await harness.RunAsync("bea", "checkin")).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Shift_moves_the_member_back_to_their_earliest_open_week_and_progress_keeps_the_history()
    {
        var harness = await BehindAsync();

        var reply = (await harness.PressAsync("ada", "replan:1:4:shift")).ToPlainText();
        var today = (await harness.RunAsync("ada", "today")).ToPlainText();
        var progress = (await harness.RunAsync("ada", "progress")).ToPlainText();

        Assert.Contains("Re-planned: your schedule moved back 4 weeks.", reply, StringComparison.Ordinal);
        Assert.Contains("Planned finish: Sun 17 Jan 2027.", reply, StringComparison.Ordinal);
        Assert.Contains("week 1 of 6", today, StringComparison.Ordinal);
        Assert.DoesNotContain("Overdue", today, StringComparison.Ordinal);
        Assert.Contains("Re-plans:\n  • Mon 7 Dec 2026 — moved back 4 weeks (check-in of week 4)", progress, StringComparison.Ordinal);
        Assert.Contains("Planned finish: Sun 17 Jan 2027", progress, StringComparison.Ordinal);
        Assert.Contains("on track", progress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_first_choice_of_a_check_in_stands()
    {
        var harness = await BehindAsync();
        await harness.PressAsync("ada", "replan:1:4:150");

        var second = (await harness.PressAsync("ada", "replan:1:4:shift")).ToPlainText();

        Assert.Contains("You already chose for the check-in of week 4: Mon 7 Dec 2026 — lighter pace 1.5× (check-in of week 4).", second, StringComparison.Ordinal);
        var replan = Assert.Single(await harness.Store.GetReplansAsync(1, CancellationToken.None));
        Assert.Equal(150, replan.PacePercent);
    }

    [Fact]
    public async Task A_pace_is_only_ever_made_lighter_and_after_a_choice_the_next_check_in_does_not_ask_again()
    {
        var harness = await BehindAsync();
        await harness.PressAsync("ada", "replan:1:4:150");
        harness.Clock.Advance(TimeSpan.FromDays(7));

        var faster = (await harness.PressAsync("ada", "replan:1:5:125")).ToPlainText();
        var checkIn = (await harness.RunAsync("ada", "checkin")).ToPlainText();

        Assert.Equal("You already follow ai-safety at 1.5×; a re-plan only ever makes the pace lighter.", faster);
        Assert.DoesNotContain("Want to re-plan?", checkIn, StringComparison.Ordinal);
        Assert.Single(await harness.Store.GetReplansAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task Another_members_re_plan_button_is_refused_and_changes_nothing_of_theirs()
    {
        var harness = await BehindAsync();
        await harness.RunAsync("mallory", "enroll", ("pathway", "ai-safety"));

        var reply = (await harness.PressAsync("mallory", "replan:1:4:shift")).ToPlainText();

        Assert.Equal("That button belongs to someone else's pathway; use `/today` to see your own.", reply);
        Assert.Empty(await harness.Store.GetReplansAsync(1, CancellationToken.None));
        Assert.Contains("week 5 of 6", (await harness.RunAsync("ada", "today")).ToPlainText(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("replan:1:0:shift")]
    [InlineData("replan:1:7:shift")]
    [InlineData("replan:1:-4:shift")]
    [InlineData("replan:1:4:175")]
    [InlineData("replan:1:4:100")]
    [InlineData("replan:1:4:99999999999")]
    [InlineData("replan:1:4")]
    [InlineData("replan:1:4:shift:extra")]
    [InlineData("replan:1:4:SHIFT")]
    public async Task A_forged_or_damaged_re_plan_button_gets_a_sentence_and_changes_nothing(string actionId)
    {
        var harness = await BehindAsync();

        var reply = (await harness.PressAsync("ada", actionId)).ToPlainText();

        Assert.Contains("out of date", reply, StringComparison.Ordinal);
        Assert.Empty(await harness.Store.GetReplansAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task While_paused_a_re_plan_is_refused_with_what_to_do()
    {
        var harness = await BehindAsync();
        await harness.RunAsync("ada", "pause");

        var reply = (await harness.PressAsync("ada", "replan:1:4:shift")).ToPlainText();

        Assert.Equal("ai-safety is paused; `/resume` first, then re-plan at the next check-in if you still need to.", reply);
        Assert.Empty(await harness.Store.GetReplansAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task The_export_holds_the_re_plans_and_others_progress_does_not_show_them()
    {
        var harness = await BehindAsync();
        await harness.RunAsync("bea", "enroll", ("pathway", "ai-safety"));
        await harness.PressAsync("ada", "replan:1:4:keep");

        var export = (await harness.RunAsync("ada", "mydata", ("action", "export"))).Attachment!.Content;
        var seenByBea = (await harness.RunAsync("bea", "progress", ("member", "ada"))).ToPlainText();

        Assert.Contains("\"replans\"", export, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("\"kind\": \"keep-going\"", export, StringComparison.Ordinal);
        Assert.DoesNotContain("Re-plans", seenByBea, StringComparison.Ordinal);
    }

    private static async Task<RouterHarness> BehindAsync()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"), ("start", FourWeeksAgo));
        return harness;
    }
}
