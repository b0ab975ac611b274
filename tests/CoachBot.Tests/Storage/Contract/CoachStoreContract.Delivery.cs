using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>Exactly once: claims that cannot be made twice, leases that expire, outcomes, quarantine and retention.</summary>
public abstract partial class CoachStoreContract
{
    [SkippableFact]
    public async Task ClaimSlots_TheSameClaimTwice_WritesOneDelivery_AndMovesTheSlotOnce()
    {
        var enrolment = await EnrolAsync("ada", new ScheduledRuns(Now, Now));
        SlotClaim[] claim =
        [
            new(enrolment.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(enrolment, "r-1", Now)),
            new(enrolment.Id, ScheduledKind.CheckIn, Now, Now.AddDays(7), new NewDelivery(
                new DeliveryKey($"enrolment:{enrolment.Id}", "checkin", "2026-W50"), enrolment.MemberId, enrolment.Id, "c-1", Now)),
        ];

        var first = await Outbox.ClaimSlotsAsync(claim, _none);
        var second = await Outbox.ClaimSlotsAsync(claim, _none);

        Assert.Equal((2, 0), (first, second));
        Assert.Equal(new ScheduledRuns(Now.AddDays(7), Now.AddDays(7)), Runs(await Store.GetEnrolmentAsync(enrolment.Id, _none)));
        Assert.Equal(2, (await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none)).Count);
    }

    [SkippableFact]
    public async Task ClaimSlots_WhenTheDeliveryKeyExists_StillMovesTheSlot_AndKeepsTheFirstNonce()
    {
        var enrolment = await EnrolAsync("ada", new ScheduledRuns(Now, null));
        await Outbox.TryClaimDeliveryAsync(Claimed(enrolment, "first", Now), _none);

        var written = await Outbox.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(enrolment, "second", Now))], _none);

        Assert.Equal(0, written);
        Assert.Equal(Now.AddDays(7), (await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextReminderAt);
        Assert.Equal("first", (await Outbox.GetDeliveryAsync(ReminderKey(enrolment), _none))!.Nonce);
    }

    [SkippableFact]
    public async Task ASkippedDelivery_IsRecordedButNeverLeased()
    {
        var enrolment = await EnrolAsync("ada");
        await Outbox.TryClaimDeliveryAsync(Claimed(enrolment, "n", Now) with { State = DeliveryState.Skipped }, _none);

        Assert.Empty(await Outbox.LeaseDeliveriesAsync(Now.AddDays(1), Now.AddDays(2), 10, _none));
        Assert.Equal(DeliveryState.Skipped, (await Outbox.GetDeliveryAsync(ReminderKey(enrolment), _none))!.State);
        Assert.Null(await Outbox.GetNextScheduledAtAsync(_none));
    }

    [SkippableFact]
    public async Task AnExpiredLease_IsTakenOverByAnotherInstance_WithTheSameNonceAndTheAttemptsSoFar()
    {
        var enrolment = await EnrolAsync("ada");
        await Outbox.TryClaimDeliveryAsync(Claimed(enrolment, "nonce-1", Now), _none);
        var other = await OpenAnotherStoreAsync();

        var crashed = Assert.Single(await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none));
        var whileHeld = await other.Outbox.LeaseDeliveriesAsync(Now.AddMinutes(1), Now.AddMinutes(3), 10, _none);
        var takenOver = Assert.Single(await other.Outbox.LeaseDeliveriesAsync(Now.AddMinutes(2), Now.AddMinutes(4), 10, _none));
        await other.Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(takenOver.Id, DeliveryState.Sent, Now.AddMinutes(2), null, null)], _none);

        Assert.Empty(whileHeld);
        Assert.Equal((crashed.Id, "nonce-1", 0), (takenOver.Id, takenOver.Nonce, takenOver.Attempts));
        var row = await Outbox.GetDeliveryAsync(ReminderKey(enrolment), _none);
        Assert.Equal((DeliveryState.Sent, 1, (DateTimeOffset?)Now.AddMinutes(2)), (row!.State, row.Attempts, row.SentAt));
    }

    [SkippableFact]
    public async Task Outcomes_ARetryComesBackAtItsTime_AGiveUpNeverDoes_AndEachKeepsItsError()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        await Outbox.TryClaimDeliveryAsync(Claimed(ada, "a", Now), _none);
        await Outbox.TryClaimDeliveryAsync(Claimed(bob, "b", Now), _none);
        var leased = await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none);
        var adaLease = leased.Single(delivery => delivery.Nonce == "a");
        var bobLease = leased.Single(delivery => delivery.Nonce == "b");

        await Outbox.RecordDeliveryOutcomesAsync(
        [
            new DeliveryAttempt(adaLease.Id, DeliveryState.Claimed, Now.AddMinutes(1), Now.AddMinutes(10), "429 rate limited"),
            new DeliveryAttempt(bobLease.Id, DeliveryState.Failed, Now.AddMinutes(1), null, "Cannot send messages to this user"),
        ], _none);

        var next = await Outbox.GetNextScheduledAtAsync(_none);
        var early = await Outbox.LeaseDeliveriesAsync(Now.AddMinutes(9), Now.AddMinutes(11), 10, _none);
        var retry = Assert.Single(await Outbox.LeaseDeliveriesAsync(Now.AddMinutes(10), Now.AddMinutes(12), 10, _none));
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(retry.Id, DeliveryState.Claimed, Now.AddMinutes(11), Now.AddDays(2), "still 429")], _none);
        var later = await Outbox.LeaseDeliveriesAsync(Now.AddDays(1), Now.AddDays(2), 10, _none);

        Assert.Equal(Now.AddMinutes(10), next);
        Assert.Empty(early);
        Assert.Equal(("a", 1), (retry.Nonce, retry.Attempts));
        Assert.Empty(later);
        var adaRow = await Outbox.GetDeliveryAsync(ReminderKey(ada), _none);
        var bobRow = await Outbox.GetDeliveryAsync(ReminderKey(bob), _none);
        Assert.Equal((DeliveryState.Claimed, 2, "still 429", (DateTimeOffset?)null), (adaRow!.State, adaRow.Attempts, adaRow.LastError, adaRow.SentAt));
        Assert.Equal((DeliveryState.Failed, 1, "Cannot send messages to this user"), (bobRow!.State, bobRow.Attempts, bobRow.LastError));
    }

    [SkippableFact]
    public async Task LeaseDeliveries_TakesAtMostTheLimit_EarliestFirst_AndTheRestNextTime()
    {
        var enrolments = new List<EnrolmentRow>();
        for (var i = 0; i < 5; i++)
        {
            var enrolment = await EnrolAsync($"m{i}");
            enrolments.Add(enrolment);
            await Outbox.TryClaimDeliveryAsync(Claimed(enrolment, $"n{i}", Now.AddMinutes(-i)), _none);
        }

        var first = await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 2, _none);
        var second = await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none);

        Assert.Equal(["n3", "n4"], first.Select(delivery => delivery.Nonce).Order(StringComparer.Ordinal));
        Assert.Equal(["n0", "n1", "n2"], second.Select(delivery => delivery.Nonce).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task Quarantine_BacksOffDoublingUpToTheMax_MovesTheSlotOutOfTheQueue_AndAClaimReleasesIt()
    {
        var enrolment = await EnrolAsync("ada", new ScheduledRuns(Now, null));
        var backOff = new QuarantineBackOff(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(15));
        var subject = $"enrolment:{enrolment.Id}";

        var first = await Outbox.QuarantineAsync(SlotFailure(enrolment, "discord"), backOff, _none);
        var dueMeanwhile = await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, Now.AddMinutes(4), 10, _none);
        var second = await Outbox.QuarantineAsync(SlotFailure(enrolment with { NextReminderAt = first }, "discord", first) with { Error = "again" }, backOff, _none);
        var third = await Outbox.QuarantineAsync(SlotFailure(enrolment with { NextReminderAt = second }, "discord", second), backOff, _none);
        var item = await Outbox.GetQuarantinedAsync(subject, "reminder", _none);
        var due = Assert.Single(await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, third, 10, _none));
        await Outbox.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, third, Now.AddDays(7), Claimed(enrolment, "n", third))], _none);

        Assert.Equal((Now.AddMinutes(5), Now.AddMinutes(15), Now.AddMinutes(30)), (first, second, third));
        Assert.Empty(dueMeanwhile);
        Assert.Equal(new QuarantinedItem(subject, "reminder", 3, Now, third, "boom"), item);
        Assert.Equal(third, due.Enrolment.NextReminderAt);
        Assert.Null(await Outbox.GetQuarantinedAsync(subject, "reminder", _none));
        Assert.Equal(0, await Store.CountQuarantinedAsync(null, null, _none));
    }

    [SkippableFact]
    public async Task Quarantine_WhenTheSlotMovedMeanwhile_LeavesTheNewTime_AndReleaseTakesADigestOut()
    {
        var enrolment = await EnrolAsync("ada", new ScheduledRuns(Now, null));
        var backOff = new QuarantineBackOff(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
        await Store.SetNextRunsAsync(enrolment.Id, new ScheduledRuns(Now.AddDays(1), null), _none);
        var digest = new QuarantineFailure("server:discord:guild-1", "digest", "discord", "guild-1", null, null, "boom", Now);

        await Outbox.QuarantineAsync(SlotFailure(enrolment, "discord"), backOff, _none);
        await Outbox.QuarantineAsync(digest, backOff, _none);
        await Outbox.ReleaseQuarantineAsync(digest.Subject, digest.Slot, _none);
        await Outbox.ReleaseQuarantineAsync("server:discord:nowhere", "digest", _none);

        Assert.Equal(Now.AddDays(1), (await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextReminderAt);
        Assert.Null(await Outbox.GetQuarantinedAsync(digest.Subject, digest.Slot, _none));
        Assert.NotNull(await Outbox.GetQuarantinedAsync($"enrolment:{enrolment.Id}", "reminder", _none));
        Assert.Equal(1, await Store.CountQuarantinedAsync("discord", "guild-1", _none));
    }

    [SkippableFact]
    public async Task PruneOutbox_DropsOldTextsAndRows_KeepsRecentOnesAndEveryClaimedOne()
    {
        var member = await MemberAsync("ada");
        async Task<long> MessageAsync(string period, DateTimeOffset at, DeliveryState state)
        {
            var key = new DeliveryKey($"member:{member.Id}", "fallback", period);
            await Outbox.TryClaimDeliveryAsync(new NewDelivery(key, member.Id, null, "n-" + period, at, DeliveryState.Claimed, Payload(Reply.Public(period))), _none);
            var row = (await Outbox.GetDeliveryAsync(key, _none))!;
            if (state != DeliveryState.Claimed)
            {
                await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(row.Id, state, at, null, null)], _none);
            }

            return row.Id;
        }

        await MessageAsync("ancient", Now.AddDays(-100), DeliveryState.Sent);
        await MessageAsync("old-failed", Now.AddDays(-100), DeliveryState.Failed);
        await MessageAsync("week-old", Now.AddDays(-8), DeliveryState.Sent);
        await MessageAsync("recent", Now.AddDays(-1), DeliveryState.Sent);
        await MessageAsync("stuck", Now.AddDays(-100), DeliveryState.Claimed);

        var pruned = await Outbox.PruneOutboxAsync(Now.AddDays(-7), Now.AddDays(-90), batchSize: 10, maxBatches: 5, _none);
        var again = await Outbox.PruneOutboxAsync(Now.AddDays(-7), Now.AddDays(-90), batchSize: 10, maxBatches: 5, _none);

        var messages = (await Store.ExportMemberDataAsync(new MemberKey("discord", "ada"), _none))!.Messages.ToDictionary(message => message.Period);
        Assert.Equal(["recent", "stuck", "week-old"], messages.Keys.Order(StringComparer.Ordinal));
        Assert.Null(messages["week-old"].Text);
        Assert.Equal((DeliveryState.Sent, "recent"), (messages["recent"].State, messages["recent"].Text));
        Assert.Equal((DeliveryState.Claimed, "stuck"), (messages["stuck"].State, messages["stuck"].Text));
        Assert.Equal(2, pruned.RowsDeleted);
        Assert.InRange(pruned.TextsDropped, 1, 3);
        Assert.Equal(new OutboxPruned(0, 0), again);
    }

    [SkippableFact]
    public async Task PruneOutbox_DoesNoMoreThanItsBatchesAtOnce_AndTheNextCallGoesOn()
    {
        var member = await MemberAsync("ada");
        for (var i = 0; i < 5; i++)
        {
            var key = new DeliveryKey($"member:{member.Id}", "fallback", $"p{i}");
            await Outbox.TryClaimDeliveryAsync(new NewDelivery(key, member.Id, null, $"n{i}", Now.AddDays(-100), DeliveryState.Skipped), _none);
        }

        var first = await Outbox.PruneOutboxAsync(Now.AddDays(-7), Now.AddDays(-90), batchSize: 2, maxBatches: 1, _none);
        var second = await Outbox.PruneOutboxAsync(Now.AddDays(-7), Now.AddDays(-90), batchSize: 2, maxBatches: 5, _none);

        Assert.Equal((2, 3), (first.RowsDeleted, second.RowsDeleted));
        Assert.Empty((await Store.ExportMemberDataAsync(new MemberKey("discord", "ada"), _none))!.Messages);
    }

    [SkippableFact]
    public async Task GetNextScheduledAt_IsNullWhenNothingIsScheduled_AndIgnoresFinishedDeliveries()
    {
        var empty = await Outbox.GetNextScheduledAtAsync(_none);
        var enrolment = await EnrolAsync("ada", new ScheduledRuns(null, Now.AddDays(5)));
        await SendAsync(enrolment, "n", Now.AddDays(-1));

        Assert.Null(empty);
        Assert.Equal(Now.AddDays(5), await Outbox.GetNextScheduledAtAsync(_none));
    }

    private static ScheduledRuns Runs(EnrolmentRow? enrolment) => new(enrolment!.NextReminderAt, enrolment.NextCheckInAt);
}
