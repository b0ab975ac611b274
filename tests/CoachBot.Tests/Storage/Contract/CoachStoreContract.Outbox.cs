using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>The sweep's side: due enrolments, claims, leases, outcomes, the next scheduled time.</summary>
public abstract partial class CoachStoreContract
{
    [SkippableFact]
    public async Task GetDueEnrolments_ReturnsOnlyThoseDue_EarliestFirst()
    {
        var late = await EnrolAsync("1", new ScheduledRuns(Now.AddHours(-1), null));
        var early = await EnrolAsync("2", new ScheduledRuns(Now.AddHours(-2), null));
        await EnrolAsync("3", new ScheduledRuns(Now.AddHours(1), null));
        await EnrolAsync("4", ScheduledRuns.None);

        var due = await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, Now, 10, _none);

        Assert.Equal([early.Id, late.Id], due.Select(row => row.Enrolment.Id));
        Assert.Empty(await Outbox.GetDueEnrolmentsAsync(ScheduledKind.CheckIn, Now, 10, _none));
    }

    [SkippableFact]
    public async Task Deliveries_AreClaimedOncePerKey_AndRecordAttempts()
    {
        var enrolment = await EnrolAsync("42");
        var key = ReminderKey(enrolment);

        var first = await Outbox.TryClaimDeliveryAsync(new NewDelivery(key, enrolment.MemberId, enrolment.Id, "nonce-1", Now), _none);
        var second = await Outbox.TryClaimDeliveryAsync(new NewDelivery(key, enrolment.MemberId, enrolment.Id, "nonce-2", Now), _none);
        var claimed = (await Outbox.GetDeliveryAsync(key, _none))!;
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(claimed.Id, DeliveryState.Failed, Now, null, "timeout")], _none);
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(claimed.Id, DeliveryState.Sent, Now.AddMinutes(1), null, null)], _none);

        var row = await Outbox.GetDeliveryAsync(key, _none);
        Assert.True(first);
        Assert.False(second);
        Assert.Equal((DeliveryState.Sent, 2, "nonce-1", (DateTimeOffset?)Now.AddMinutes(1)), (row!.State, row.Attempts, row.Nonce, row.SentAt));
    }

    [SkippableFact]
    public async Task ClaimSlots_MovesTheNextRunOnlyFromTheExpectedValue_AndWritesTheDeliveryOnlyThen()
    {
        var enrolment = await EnrolAsync("alice", new ScheduledRuns(Now, Now.AddDays(4)));
        var delivery = Claimed(enrolment, "nonce-1", Now);

        var stale = await Outbox.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, Now.AddMinutes(-1), Now.AddDays(7), delivery)], _none);
        var current = await Outbox.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), delivery)], _none);
        var again = await Outbox.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, Now.AddDays(7), Now.AddDays(14), delivery)], _none);

        Assert.Equal((0, 1, 0), (stale, current, again));
        Assert.Equal(Now.AddDays(14), (await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextReminderAt);
        Assert.Equal(Now.AddDays(4), (await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextCheckInAt);
        Assert.Equal(DeliveryState.Claimed, (await Outbox.GetDeliveryAsync(delivery.Key, _none))!.State);
    }

    [SkippableFact]
    public async Task LeaseDeliveries_HandsEachPendingDeliveryToOneCallerUntilTheLeaseEnds()
    {
        var enrolment = await EnrolAsync("alice");
        var key = ReminderKey(enrolment);
        await Outbox.TryClaimDeliveryAsync(Claimed(enrolment, "nonce-1", Now, payload: "{\"x\":1}"), _none);

        var first = await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none);
        var meanwhile = await Outbox.LeaseDeliveriesAsync(Now.AddMinutes(1), Now.AddMinutes(3), 10, _none);
        var afterLease = await Outbox.LeaseDeliveriesAsync(Now.AddMinutes(2), Now.AddMinutes(4), 10, _none);
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(afterLease[0].Id, DeliveryState.Sent, Now.AddMinutes(2), null, null)], _none);
        var afterSent = await Outbox.LeaseDeliveriesAsync(Now.AddHours(1), Now.AddHours(2), 10, _none);

        var leased = Assert.Single(first);
        Assert.Equal((key, "nonce-1", "{\"x\":1}", "discord", "guild-1", 0), (leased.Key, leased.Nonce, leased.Payload, leased.Platform, leased.GuildId, leased.Attempts));
        Assert.Empty(meanwhile);
        Assert.Single(afterLease);
        Assert.Empty(afterSent);
        Assert.Equal((DeliveryState.Sent, 1), ((await Outbox.GetDeliveryAsync(key, _none))!.State, (await Outbox.GetDeliveryAsync(key, _none))!.Attempts));
    }

    [SkippableFact]
    public async Task GetNextScheduledAt_IsTheEarliestSlotOrPendingAttempt()
    {
        await EnrolAsync("alice", new ScheduledRuns(Now.AddDays(3), Now.AddDays(2)));
        var bob = await EnrolAsync("bob", new ScheduledRuns(null, null));
        await Outbox.TryClaimDeliveryAsync(new NewDelivery(ReminderKey(bob), bob.MemberId, bob.Id, "n", Now.AddDays(1)), _none);

        var next = await Outbox.GetNextScheduledAtAsync(_none);

        Assert.Equal(Now.AddDays(1), next);
    }
}
