using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Storage;
using CoachBot.Testing;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// Buddies through the sweep on a real SQLite file, with runners that come and go like processes: the weekly reminder
/// names the buddy's week and carries a Nudge button; a nudge arrives exactly once, never at night where the buddy
/// lives; and every four weeks each pool is grouped afresh, one pool's failure costing the others nothing.
/// </summary>
public sealed class BuddySweepTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task The_reminder_names_the_buddys_week_and_its_nudge_arrives_once_through_a_crash_and_restarts()
    {
        await using var harness = await PairAsync("ana", "bea");
        await harness.RunAsync("cy", "enroll", ("pathway", "course"));
        harness.Clock.SetUtcNow(MondayMidnight.AddDays(3));
        await harness.RunAsync("bea", "done", ("task", "c1w1"), ("note", "Read it twice"));
        harness.Clock.SetUtcNow(MondayMidnight.AddDays(7).AddHours(8));
        await harness.TickUntilAsync(MondayMidnight.AddDays(7).AddHours(9), TimeSpan.FromMinutes(30));

        var reminder = Assert.Single(harness.Messenger.DmsTo("ana"), message => message.Message.Title?.StartsWith("Weekly reminder", StringComparison.Ordinal) == true);
        Assert.Contains("Your buddy this week:\n  • bea — phase 1, week 2 · finished 1 of 1 task of week 1\n    latest: Read chapter one — Read it twice", reminder.Message.ToPlainText(), StringComparison.Ordinal);
        var nudge = Assert.Single(reminder.Message.Buttons, button => button.Label == "Nudge bea").ActionId;
        Assert.DoesNotContain("buddy", Assert.Single(harness.Messenger.DmsTo("cy"), message => message.Message.Title?.StartsWith("Weekly", StringComparison.Ordinal) == true).Message.ToPlainText(), StringComparison.Ordinal);

        harness.Clock.SetUtcNow(MondayMidnight.AddDays(7).AddHours(10));
        Assert.Contains("Nudge sent", (await harness.PressAsync("ana", nudge)).ToPlainText(), StringComparison.Ordinal);
        using var process = new CancellationTokenSource();
        harness.Messenger.CrashAt = (harness.Messenger.Calls + 1, process);
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => harness.NewRunner().RunDueWorkAsync(process.Token));
        harness.Messenger.CrashAt = null;
        Assert.Contains("already had today's nudge", (await harness.PressAsync("ana", nudge)).ToPlainText(), StringComparison.Ordinal);
        await harness.TickUntilAsync(MondayMidnight.AddDays(8), TimeSpan.FromMinutes(30));

        var received = Assert.Single(Nudges(harness, "bea"));
        Assert.Equal(MondayMidnight.AddDays(7).AddHours(10), received.At);
        Assert.StartsWith("ana is cheering you on.", received.Message.Blocks[0], StringComparison.Ordinal);
        Assert.Empty(Nudges(harness, "ana"));
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'nudge' AND state = 'sent'"));

        // Bea's stored copy named ana; once ana deletes her data it does not.
        Assert.Contains("ana is cheering", await harness.Database.TextAsync("SELECT payload FROM deliveries WHERE kind = 'nudge';"), StringComparison.Ordinal);
        await harness.Database.Store.DeleteMemberDataAsync(new MemberKey(SchedulingHarness.Platform, "ana"), CancellationToken.None);
        Assert.DoesNotContain("ana", await harness.Database.TextAsync("SELECT payload FROM deliveries WHERE kind = 'nudge';"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nudge_pressed_at_night_in_the_buddys_zone_arrives_at_their_eight_oclock()
    {
        await using var harness = await PairAsync("ana", "bea", beaZone: "Asia/Tokyo");
        // 15:00 UTC is midnight in Tokyo: the nudge waits for 08:00 there, 23:00 UTC.
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(15));
        var reply = (await harness.PressAsync("ana", await NudgeActionAsync(harness, "ana"))).ToPlainText();
        await harness.TickUntilAsync(MondayMidnight.AddDays(1).AddHours(1), TimeSpan.FromMinutes(15));

        Assert.Contains("waits until Tue 8 Dec 2026 08:00 Asia/Tokyo", reply, StringComparison.Ordinal);
        Assert.Equal(MondayMidnight.AddHours(23), Assert.Single(Nudges(harness, "bea")).At);
    }

    [Fact]
    public async Task A_nudge_from_a_member_who_deleted_their_data_before_it_went_is_not_sent()
    {
        await using var harness = await PairAsync("ana", "bea", beaZone: "Asia/Tokyo");
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(15));
        await harness.PressAsync("ana", await NudgeActionAsync(harness, "ana"));
        await harness.Database.Store.DeleteMemberDataAsync(new MemberKey(SchedulingHarness.Platform, "ana"), CancellationToken.None);

        await harness.TickUntilAsync(MondayMidnight.AddDays(1).AddHours(1), TimeSpan.FromMinutes(15));

        Assert.Empty(Nudges(harness, "bea"));
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'nudge' AND state = 'skipped' AND last_error = 'The buddy who sent it left.'"));
        Assert.Contains("You are waiting for a buddy", (await harness.RunAsync("bea", "buddy")).ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_nudge_whose_sender_left_is_never_signed_by_a_newcomer_who_got_the_senders_old_enrolment_id()
    {
        // bea enrols first, ana second: ana's enrolment has the highest id, which SQLite gives again once it is deleted.
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync("bea", "Asia/Tokyo");
        await harness.EnrolAsync("ana");
        await harness.RunAsync("bea", "buddy", ("action", "join"));
        await harness.RunAsync("ana", "buddy", ("action", "join"));
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(15));
        await harness.PressAsync("ana", await NudgeActionAsync(harness, "ana"));
        await harness.Database.Store.DeleteMemberDataAsync(new MemberKey(SchedulingHarness.Platform, "ana"), CancellationToken.None);
        await harness.EnrolAsync("mallory");

        await harness.TickUntilAsync(MondayMidnight.AddDays(1).AddHours(1), TimeSpan.FromMinutes(15));

        Assert.DoesNotContain(harness.Messenger.DmsTo("bea"), message => message.Message.ToPlainText().Contains("mallory", StringComparison.Ordinal));
        Assert.Empty(Nudges(harness, "bea"));
    }

    [Fact]
    public async Task When_the_buddies_cannot_be_read_reminders_still_go_without_buddy_lines_and_a_nudge_waits_for_the_next_try()
    {
        await using var harness = await PairAsync("ana", "bea");
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(8));
        await harness.PressAsync("ana", await NudgeActionAsync(harness, "ana"));
        var store = new SqliteCoachStore(new SqliteConnectionFactory(harness.Database.ConnectionString));
        var buddiesFail = FaultyStore.Wrap<IDeliveryOutbox>(store, (method, _) => method == nameof(IDeliveryOutbox.GetBuddiesAsync));
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));

        await SqliteDueWorkRunner.Create(harness.Database.ConnectionString, SchedulingHarness.Pathways, harness.Messenger, harness.Clock, harness.Metrics, store: store, outbox: buddiesFail)
            .RunDueWorkAsync(CancellationToken.None);
        var remindersFirst = harness.Messenger.Messages.Select(message => message.Message.ToPlainText()).ToList();
        await harness.TickUntilAsync(MondayMidnight.AddHours(12), TimeSpan.FromMinutes(15));

        Assert.Equal(2, remindersFirst.Count(text => text.StartsWith("Weekly reminder", StringComparison.Ordinal)));
        Assert.All(remindersFirst, text => Assert.DoesNotContain("Your buddy", text, StringComparison.Ordinal));
        Assert.Single(Nudges(harness, "bea"));
    }

    [Fact]
    public async Task Every_four_weeks_each_pool_is_grouped_afresh_by_week_and_one_failing_pool_costs_the_others_nothing()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        // In guild-1: ana and bea started four weeks ago, cy and dee today; they joined in the order that pairs ana with cy.
        foreach (var (user, start) in new[] { ("ana", "2026-11-09"), ("cy", "2026-12-07"), ("bea", "2026-11-09"), ("dee", "2026-12-07") })
        {
            await harness.RunAsync(user, "enroll", ("pathway", "course"), ("start", start));
            await harness.RunAsync(user, "buddy", ("action", "join"));
        }

        var elsewhere = new MemberRef(SchedulingHarness.Platform, "guild-2", "eve");
        var fay = elsewhere with { UserId = "fay" };
        foreach (var member in new[] { elsewhere, fay })
        {
            await Run(harness, member, "enroll", ("pathway", "course"));
            await Run(harness, member, "buddy", ("action", "join"));
        }

        Assert.Contains("• cy —", (await harness.RunAsync("ana", "buddy")).ToPlainText(), StringComparison.Ordinal);
        await harness.RunAsync("dee", "pause");

        // Four weeks on, guild-2's cohort cannot be read for one tick: guild-1 is regrouped all the same.
        harness.Clock.SetUtcNow(MondayMidnight.AddDays(28).AddMinutes(1));
        var store = new SqliteCoachStore(new SqliteConnectionFactory(harness.Database.ConnectionString));
        var guild2Fails = FaultyStore.Wrap<ICoachStore>(store, (method, args) => method == nameof(ICoachStore.GetCohortAsync) && (string?)args[1] == "guild-2");
        await SqliteDueWorkRunner.Create(harness.Database.ConnectionString, SchedulingHarness.Pathways, harness.Messenger, harness.Clock, harness.Metrics, store: guild2Fails, outbox: store)
            .RegroupBuddiesAsync(harness.Clock.GetUtcNow(), CancellationToken.None);

        var ana = (await harness.RunAsync("ana", "buddy")).ToPlainText();
        Assert.Contains("Your buddies in course:", ana, StringComparison.Ordinal);
        Assert.Contains("• bea —", ana, StringComparison.Ordinal);
        Assert.Contains("• cy —", ana, StringComparison.Ordinal);
        Assert.Contains("You are waiting for a buddy", (await harness.RunAsync("dee", "buddy")).ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(2, await harness.Database.ScalarAsync("SELECT count(*) FROM buddies WHERE guild_id = 'guild-2' AND paired_at < '2027'"));

        await harness.NewRunner().RegroupBuddiesAsync(harness.Clock.GetUtcNow(), CancellationToken.None);
        Assert.Equal(0, await harness.Database.ScalarAsync("SELECT count(*) FROM buddies WHERE paired_at < '2027'"));
    }

    private static async Task<SchedulingHarness> PairAsync(string first, string second, string? beaZone = null)
    {
        var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        await harness.EnrolAsync(first);
        await harness.EnrolAsync(second, beaZone);
        await harness.RunAsync(first, "buddy", ("action", "join"));
        await harness.RunAsync(second, "buddy", ("action", "join"));
        return harness;
    }

    private static async Task<string> NudgeActionAsync(SchedulingHarness harness, string user) =>
        Assert.Single((await harness.RunAsync(user, "buddy")).Buttons, button => button.ActionId.StartsWith("nudge:", StringComparison.Ordinal)).ActionId;

    private static Task<Reply> Run(SchedulingHarness harness, MemberRef member, string command, params (string Name, string Value)[] options) =>
        harness.Router.HandleAsync(new CommandRequest(member, member.UserId, false, command, options.ToDictionary(option => option.Name, option => option.Value)), CancellationToken.None);

    private static List<ReceivedMessage> Nudges(SchedulingHarness harness, string user) =>
        [.. harness.Messenger.DmsTo(user).Where(message => message.Message.Title?.StartsWith("👋", StringComparison.Ordinal) == true)];
}
