using System.Text.Json.Nodes;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;
using CoachBot.Scheduling;
using CoachBot.Storage;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// What the outbox keeps about members, on a real SQLite file: <c>/mydata delete</c> takes the member out of stored
/// digests (claimed and sent), sent texts are kept 7 days and rows 90, and <c>/mydata export</c> lists the member's messages.
/// </summary>
public sealed class OutboxPrivacyTests
{
    private const string Nickname = "Mallory Mole";
    private const string Note = "call me on 555-0100";
    private static readonly DateTimeOffset _mondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly TimeSpan _hour = TimeSpan.FromHours(1);

    [Fact]
    public async Task DeleteMemberData_AfterADigestWasClaimed_ItIsSentWithoutThem_AndStoredWithoutThem()
    {
        await using var harness = await GroupWithMalloryAndBobAsync();
        await harness.TickUntilAsync(_mondayMidnight.AddDays(7).AddHours(8), _hour);
        harness.Clock.Advance(TimeSpan.FromHours(1.5));
        var runner = harness.NewRunner();
        await runner.ClaimDueAsync(CancellationToken.None);
        // The claim only records that the digest is due: no text, no member's lines to redact yet.
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'digest' AND state = 'claimed' AND payload IS NULL"));

        await PressAsync(harness, "mallory", "delete-data");
        await runner.DeliverPendingAsync(CancellationToken.None);

        var digest = harness.Messenger.Messages.Last(message => message.Message.Title!.StartsWith("Weekly digest", StringComparison.Ordinal));
        Assert.Equal(_mondayMidnight.AddDays(7).AddHours(9.5), digest.At);
        var text = digest.Message.ToPlainText();
        Assert.DoesNotContain("Mallory", text, StringComparison.Ordinal);
        Assert.DoesNotContain("555", text, StringComparison.Ordinal);
        Assert.Contains("• bob — phase 1, week 2", text, StringComparison.Ordinal);
        var stored = await harness.Database.TextAsync("SELECT payload FROM deliveries WHERE kind = 'digest' AND state = 'sent' ORDER BY id DESC LIMIT 1;");
        Assert.Contains("bob — phase 1, week 2", StoredPayloads.PlainText(stored!), StringComparison.Ordinal);
        Assert.DoesNotContain("Mallory", stored, StringComparison.Ordinal);
    }

    [Fact]
    public async Task RecordingADigestsOutcome_RenderedBeforeAMemberDeletedTheirData_StoresItWithoutThem()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        var store = harness.Database.Store;
        var mallory = await store.UpsertMemberAsync(new MemberKey(SchedulingHarness.Platform, "mallory"), Nickname, _mondayMidnight, CancellationToken.None);
        var bob = await store.UpsertMemberAsync(new MemberKey(SchedulingHarness.Platform, "bob"), "bob", _mondayMidnight, CancellationToken.None);
        var line = $"  • {Nickname} — phase 1, week 1";
        var payload = System.Text.Json.JsonSerializer.Serialize(Reply.Public("Weekly digest", "course · 2 members\n" + line + "\n  • bob — phase 1, week 1"), ScheduledJsonContext.Default.Reply);
        var key = new DeliveryKey("server:test:guild-1", "digest", "2026-W50");
        await store.TryClaimDeliveryAsync(
            new NewDelivery(key, null, null, "digest-sent", _mondayMidnight, DeliveryState.Claimed, null, SchedulingHarness.Platform, SchedulingHarness.Guild),
            CancellationToken.None);
        var delivery = (await store.GetDeliveryAsync(key, CancellationToken.None))!;

        // Rendered and sent with Mallory; she deletes her data before the outcome is written.
        await store.DeleteMemberDataAsync(new MemberKey(SchedulingHarness.Platform, "mallory"), CancellationToken.None);
        await store.RecordDeliveryOutcomesAsync(
            [new DeliveryAttempt(delivery.Id, DeliveryState.Sent, _mondayMidnight, null, null, payload,
                new Dictionary<long, IReadOnlyList<string>> { [mallory.Id] = [line], [bob.Id] = ["  • bob — phase 1, week 1"] })],
            CancellationToken.None);

        var stored = await harness.Database.TextAsync("SELECT payload FROM deliveries WHERE nonce = 'digest-sent';");
        Assert.DoesNotContain("Mallory", stored, StringComparison.Ordinal);
        Assert.Contains(ScheduledMessages.RedactedLine, StoredPayloads.PlainText(stored!), StringComparison.Ordinal);
        Assert.Contains("bob", stored, StringComparison.Ordinal);
        Assert.Equal(1, await harness.Database.ScalarAsync($"SELECT count(*) FROM delivery_members WHERE member_id = {bob.Id};"));
        Assert.Equal(1, await harness.Database.ScalarAsync("SELECT count(*) FROM delivery_members;"));
    }

    [Fact]
    public async Task DeleteMemberData_RedactsTheMemberFromSentDigests_EvenAfterTheyChangedTheirName()
    {
        await using var harness = await GroupWithMalloryAndBobAsync();
        await harness.TickUntilAsync(_mondayMidnight.AddDays(7).AddHours(12), _hour);
        Assert.Equal(2, await harness.DeliveriesAsync("kind = 'digest' AND state = 'sent'"));
        Assert.Contains(Nickname, await harness.Database.TextAsync("SELECT group_concat(payload) FROM deliveries WHERE kind = 'digest';"), StringComparison.Ordinal);
        await harness.Router.HandleAsync(
            new CommandRequest(SchedulingHarness.Member("mallory"), "Someone Else", false, "today", new Dictionary<string, string>()), CancellationToken.None);

        await PressAsync(harness, "mallory", "delete-data");

        var stored = await harness.Database.TextAsync("SELECT group_concat(payload, '|') FROM deliveries WHERE kind = 'digest';");
        Assert.DoesNotContain("Mallory", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("555", stored, StringComparison.Ordinal);
        Assert.Contains("bob", stored, StringComparison.Ordinal);
        // Left: bob's lines in the second digest (the first one's text, older than 7 days, is already dropped).
        Assert.Equal(1, await harness.Database.ScalarAsync("SELECT count(*) FROM delivery_members;"));
        Assert.Equal(2, await harness.DeliveriesAsync("kind = 'digest' AND state = 'sent'"));
    }

    [Fact]
    public async Task ClaimingADigest_RenderedBeforeAMemberDeletedTheirData_StoresItWithoutThem()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        var store = harness.Database.Store;
        var mallory = await store.UpsertMemberAsync(new MemberKey(SchedulingHarness.Platform, "mallory"), Nickname, _mondayMidnight, CancellationToken.None);
        var line = $"  • {Nickname} — phase 1, week 1";
        var payload = System.Text.Json.JsonSerializer.Serialize(Reply.Public("Weekly digest", "course · 2 members\n" + line + "\n  • bob — phase 1, week 1"), ScheduledJsonContext.Default.Reply);

        await store.DeleteMemberDataAsync(new MemberKey(SchedulingHarness.Platform, "mallory"), CancellationToken.None);
        await store.TryClaimDeliveryAsync(
            new NewDelivery(new DeliveryKey("server:test:guild-1", "digest", "2026-W50"), null, null, "digest-race", _mondayMidnight, DeliveryState.Claimed, payload,
                SchedulingHarness.Platform, SchedulingHarness.Guild, new Dictionary<long, IReadOnlyList<string>> { [mallory.Id] = [line] }),
            CancellationToken.None);

        var stored = await harness.Database.TextAsync("SELECT payload FROM deliveries WHERE nonce = 'digest-race';");
        Assert.DoesNotContain("Mallory", stored, StringComparison.Ordinal);
        Assert.Contains("bob", stored, StringComparison.Ordinal);
        Assert.Equal(0, await harness.Database.ScalarAsync("SELECT count(*) FROM delivery_members;"));
    }

    [Fact]
    public async Task Sweep_KeepsASentMessagesTextForSevenDays_ThenOnlyItsKeyAndOutcome()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        await harness.EnrolAsync("alice");
        const string FirstReminder = "SELECT payload FROM deliveries WHERE kind = 'reminder' ORDER BY claimed_at LIMIT 1;"; // "" when NULL

        await harness.TickUntilAsync(_mondayMidnight.AddDays(7).AddHours(8), _hour);
        Assert.Contains("Weekly reminder", await harness.Database.TextAsync(FirstReminder), StringComparison.Ordinal);

        await harness.TickUntilAsync(_mondayMidnight.AddDays(7).AddHours(10), _hour);

        Assert.Equal("", await harness.Database.TextAsync(FirstReminder));
        Assert.Equal(2, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent' AND sent_at IS NOT NULL"));
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'reminder' AND payload IS NOT NULL"));
    }

    [Fact]
    public async Task Sweep_DeletesFinishedRowsOlderThan90Days_InBatches_AndNeverAClaimedOne()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        var store = harness.Database.Store;
        for (var i = 0; i < 2_500; i++)
        {
            await store.TryClaimDeliveryAsync(Old(i, DeliveryState.Skipped, _mondayMidnight.AddDays(-91)), CancellationToken.None);
        }

        await store.TryClaimDeliveryAsync(Old(10_000, DeliveryState.Claimed, _mondayMidnight.AddDays(-91)), CancellationToken.None);
        await store.TryClaimDeliveryAsync(Old(10_001, DeliveryState.Skipped, _mondayMidnight.AddDays(-89)), CancellationToken.None);
        var runner = harness.NewRunner(options: new DueWorkOptions { PruneBatch = 1000, PruneBatchesPerTick = 2 });

        await runner.PruneOutboxAsync(CancellationToken.None);
        var afterOneTick = await harness.DeliveriesAsync("1 = 1");
        await runner.PruneOutboxAsync(CancellationToken.None);

        Assert.Equal(2_500 + 2 - 2_000, afterOneTick);
        Assert.Equal(2, await harness.DeliveriesAsync("1 = 1"));
        Assert.Equal(1, await harness.DeliveriesAsync("state = 'claimed'"));
    }

    [Fact]
    public async Task Sweep_WhenRetentionFails_StillSendsEveryReminder()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        await harness.EnrolAsync("alice");
        await harness.Database.ScalarAsync("""
            CREATE TRIGGER refuse_text_drop BEFORE UPDATE OF payload ON deliveries WHEN NEW.payload IS NULL
            BEGIN SELECT RAISE(ABORT, 'retention refused'); END;
            """);
        var runner = harness.NewRunner(options: new DueWorkOptions { KeepSentFor = TimeSpan.Zero });

        await harness.TickUntilAsync(_mondayMidnight.AddDays(14).AddHours(10), _hour, runner);

        Assert.Equal(3, harness.Messenger.DmsTo("alice").Count(message => message.Message.Title!.StartsWith("Weekly reminder", StringComparison.Ordinal)));
        Assert.Equal(3, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent' AND payload IS NOT NULL"));
    }

    [Fact]
    public async Task Export_ListsTheMessagesSentToTheMember_WithKindWhenOutcome_AndTextWhileKept()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        await harness.EnrolAsync("alice");
        await harness.TickUntilAsync(_mondayMidnight.AddHours(10), _hour);

        var first = await ExportedMessagesAsync(harness, "alice");
        await harness.TickUntilAsync(_mondayMidnight.AddDays(8), _hour);
        var later = await ExportedMessagesAsync(harness, "alice");

        var reminder = Assert.Single(first)!;
        var oldest = later[0]!;
        Assert.Equal("reminder", reminder["kind"]!.GetValue<string>());
        Assert.Equal("sent", reminder["state"]!.GetValue<string>());
        Assert.NotNull(reminder["sent_at"]);
        Assert.StartsWith("Weekly reminder", reminder["text"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(reminder["period"]!.GetValue<string>(), oldest["period"]!.GetValue<string>());
        Assert.Null(oldest["text"]);
        Assert.Contains(later, message => message!["kind"]!.GetValue<string>() == "checkin");
    }

    private static async Task<SchedulingHarness> GroupWithMalloryAndBobAsync()
    {
        var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        await harness.Database.Store.SetGroupChannelAsync(SchedulingHarness.Platform, SchedulingHarness.Guild, "group", _mondayMidnight, CancellationToken.None);
        await harness.Router.HandleAsync(
            new CommandRequest(SchedulingHarness.Member("mallory"), Nickname, false, "enroll", new Dictionary<string, string> { ["pathway"] = "course" }),
            CancellationToken.None);
        await harness.EnrolAsync("bob");
        await harness.TickUntilAsync(_mondayMidnight.AddDays(4).AddHours(18), _hour);
        await PressAsync(harness, "mallory", "checkin:1:1:blocked");
        await PressAsync(harness, "mallory", "checkin-note:1:1", Note);
        return harness;
    }

    private static Task<Reply> PressAsync(SchedulingHarness harness, string user, string actionId, string? text = null) =>
        harness.Router.HandleActionAsync(new ActionRequest(SchedulingHarness.Member(user), Nickname, false, actionId, text), CancellationToken.None);

    private static async Task<JsonArray> ExportedMessagesAsync(SchedulingHarness harness, string user)
    {
        var export = await harness.RunAsync(user, "mydata", ("action", "export"));
        return JsonNode.Parse(export.Attachment!.Content)!["messages"]!.AsArray();
    }

    private static NewDelivery Old(int number, DeliveryState state, DateTimeOffset claimedAt) =>
        new(new DeliveryKey($"server:test:{number}", "digest", "2026-W01"), null, null, $"old-{number}", claimedAt, state);
}
