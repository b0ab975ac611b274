using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>
/// A batch of claims or outcomes gives what the same items would give one after another, however the store runs it
/// (a statement per item, or one set-based statement per batch).
/// </summary>
public abstract partial class CoachStoreContract
{
    [SkippableFact]
    public async Task ClaimSlots_OneMixedBatch_ClaimsEachSlotAsClaimsOneAfterAnotherWould()
    {
        var ada = await EnrolAsync("ada", new ScheduledRuns(Now, Now.AddDays(1)));
        var bob = await EnrolAsync("bob", new ScheduledRuns(Now, null));
        var carol = await EnrolAsync("carol", new ScheduledRuns(Now, null));
        var dan = await EnrolAsync("dan", new ScheduledRuns(Now, null));
        var backOff = new QuarantineBackOff(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));
        var bobsRetry = await Outbox.QuarantineAsync(SlotFailure(bob, "discord"), backOff, _none);
        await Outbox.QuarantineAsync(SlotFailure(carol, "discord") with { ExpectedAt = null }, backOff, _none);
        var adasCheckIn = new NewDelivery(new DeliveryKey($"enrolment:{ada.Id}", "checkin", "week-1"), ada.MemberId, ada.Id, "ada-checkin", Now, DeliveryState.Claimed, null, "discord", "guild-1");

        var written = await Outbox.ClaimSlotsAsync(
        [
            new SlotClaim(ada.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(ada, "ada-1", Now, payload: null)),
            new SlotClaim(bob.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(bob, "bob-stale", Now)),
            new SlotClaim(carol.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(carol, "carol-skipped", Now) with { State = DeliveryState.Skipped }),
            new SlotClaim(ada.Id, ScheduledKind.CheckIn, Now.AddDays(1), Now.AddDays(8), adasCheckIn),
            new SlotClaim(dan.Id, ScheduledKind.Reminder, Now, null, null),
            new SlotClaim(ada.Id, ScheduledKind.Reminder, Now.AddDays(7), Now.AddDays(14), Claimed(ada, "ada-2", Now, period: "2026-W51", payload: null)),
        ], _none);

        Assert.Equal(4, written);
        var adaNow = (await Store.GetEnrolmentAsync(ada.Id, _none))!;
        Assert.Equal((Now.AddDays(14), Now.AddDays(8)), (adaNow.NextReminderAt, adaNow.NextCheckInAt));
        Assert.Equal(bobsRetry, (await Store.GetEnrolmentAsync(bob.Id, _none))!.NextReminderAt);
        Assert.Equal(Now.AddDays(7), (await Store.GetEnrolmentAsync(carol.Id, _none))!.NextReminderAt);
        Assert.Null((await Store.GetEnrolmentAsync(dan.Id, _none))!.NextReminderAt);
        Assert.Null(await Outbox.GetDeliveryAsync(ReminderKey(bob), _none));
        Assert.Equal(DeliveryState.Skipped, (await Outbox.GetDeliveryAsync(ReminderKey(carol), _none))!.State);
        Assert.NotNull(await Outbox.GetQuarantinedAsync($"enrolment:{bob.Id}", "reminder", _none));
        Assert.Null(await Outbox.GetQuarantinedAsync($"enrolment:{carol.Id}", "reminder", _none));
        Assert.Equal(["ada-1", "ada-2", "ada-checkin"],
            (await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none)).Select(delivery => delivery.Nonce).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task RecordDeliveryOutcomes_ABatchNamingADeliveryTwice_CountsBothAttempts_AndTheLaterOneStands()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        await Outbox.TryClaimDeliveryAsync(Claimed(ada, "ada", Now), _none);
        await Outbox.TryClaimDeliveryAsync(Claimed(bob, "bob", Now), _none);
        var adas = (await Outbox.GetDeliveryAsync(ReminderKey(ada), _none))!;
        var bobs = (await Outbox.GetDeliveryAsync(ReminderKey(bob), _none))!;

        await Outbox.RecordDeliveryOutcomesAsync(
        [
            new DeliveryAttempt(adas.Id, DeliveryState.Claimed, Now, Now.AddMinutes(5), "429"),
            new DeliveryAttempt(bobs.Id, DeliveryState.Failed, Now, null, "403"),
            new DeliveryAttempt(adas.Id, DeliveryState.Sent, Now.AddMinutes(5), null, null),
        ], _none);

        var adaNow = (await Outbox.GetDeliveryAsync(ReminderKey(ada), _none))!;
        var bobNow = (await Outbox.GetDeliveryAsync(ReminderKey(bob), _none))!;
        Assert.Equal((DeliveryState.Sent, 2, (DateTimeOffset?)Now.AddMinutes(5), (string?)null), (adaNow.State, adaNow.Attempts, adaNow.SentAt, adaNow.LastError));
        Assert.Equal((DeliveryState.Failed, 1, "403"), (bobNow.State, bobNow.Attempts, bobNow.LastError));
        Assert.Empty(await Outbox.LeaseDeliveriesAsync(Now.AddHours(1), Now.AddHours(2), 10, _none));
    }
}
