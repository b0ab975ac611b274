using System.Collections.Concurrent;
using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>
/// Several store instances on one database, as several processes sweeping at once: every slot is claimed by exactly
/// one, every delivery is leased by one at a time, and nothing is lost.
/// </summary>
public abstract partial class CoachStoreContract
{
    private const int RacedSlots = 200;

    [SkippableFact]
    public async Task TwoInstancesClaimingTheSameSlotsAtOnce_ClaimEachSlotExactlyOnce()
    {
        var enrolments = await DueEnrolmentsAsync(RacedSlots);
        var instances = new[] { Instance, await OpenAnotherStoreAsync() };

        // Each instance claims every slot, in chunks and in opposite orders, so that the two meet in the middle.
        var claims = instances.SelectMany((instance, index) =>
            (index == 0 ? enrolments : [.. Enumerable.Reverse(enrolments)])
                .Chunk(10)
                .Select(chunk => Task.Run(() => instance.Outbox.ClaimSlotsAsync(
                    [.. chunk.Select(enrolment => new SlotClaim(enrolment.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(enrolment, $"i{index}-{enrolment.Id}", Now)))],
                    _none))));
        var written = await Task.WhenAll(claims);

        Assert.Equal(RacedSlots, written.Sum());
        foreach (var enrolment in enrolments)
        {
            Assert.Equal(Now.AddDays(7), (await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextReminderAt);
            Assert.NotNull(await Outbox.GetDeliveryAsync(ReminderKey(enrolment), _none));
        }
    }

    [SkippableFact]
    public async Task TwoInstancesLeasingAtOnce_HandEachDeliveryToOneOfThem_AndEveryOneIsSentOnce()
    {
        var enrolments = await DueEnrolmentsAsync(RacedSlots);
        await Outbox.ClaimSlotsAsync(
            [.. enrolments.Select(enrolment => new SlotClaim(enrolment.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(enrolment, $"n-{enrolment.Id}", Now)))], _none);
        var instances = new[] { Instance, await OpenAnotherStoreAsync() };
        var leasedBy = new ConcurrentDictionary<long, ConcurrentBag<int>>();

        // Three senders per instance, each leasing small batches until nothing is left for it.
        async Task SendAsync(int instanceIndex)
        {
            var outbox = instances[instanceIndex].Outbox;
            while (await outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(5), 7, _none) is { Count: > 0 } batch)
            {
                foreach (var delivery in batch)
                {
                    leasedBy.GetOrAdd(delivery.Id, _ => []).Add(instanceIndex);
                    Assert.Equal($"n-{delivery.EnrolmentId}", delivery.Nonce);
                }

                await outbox.RecordDeliveryOutcomesAsync([.. batch.Select(delivery => new DeliveryAttempt(delivery.Id, DeliveryState.Sent, Now, null, null))], _none);
            }
        }

        await Task.WhenAll(Enumerable.Range(0, 6).Select(sender => Task.Run(() => SendAsync(sender % 2))));

        Assert.Equal(RacedSlots, leasedBy.Count);
        Assert.All(leasedBy.Values, holders => Assert.Single(holders));
        foreach (var enrolment in enrolments)
        {
            var row = await Outbox.GetDeliveryAsync(ReminderKey(enrolment), _none);
            Assert.Equal((DeliveryState.Sent, 1), (row!.State, row.Attempts));
        }

        Assert.Empty(await Outbox.LeaseDeliveriesAsync(Now.AddDays(1), Now.AddDays(2), 10, _none));
    }

    [SkippableFact]
    public async Task AMemberDeletingTheirDataWhileAnotherInstanceClaims_LeavesNoDeliveryOfThem()
    {
        var enrolments = await DueEnrolmentsAsync(40);
        var other = await OpenAnotherStoreAsync();

        var claiming = Task.Run(async () =>
        {
            foreach (var enrolment in enrolments)
            {
                await other.Outbox.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(enrolment, $"n-{enrolment.Id}", Now))], _none);
            }
        });
        var deleting = Task.Run(async () =>
        {
            for (var index = 0; index < enrolments.Count; index += 2)
            {
                await Store.DeleteMemberDataAsync(new MemberKey("discord", $"racer-{index}"), _none);
            }
        });
        await Task.WhenAll(claiming, deleting);

        var leased = await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 1000, _none);
        var kept = enrolments.Where((_, index) => index % 2 == 1).Select(enrolment => enrolment.Id).ToHashSet();
        Assert.All(leased, delivery => Assert.Contains(delivery.EnrolmentId!.Value, kept));
        Assert.Equal(kept.Count, leased.Count);
    }

    private async Task<List<EnrolmentRow>> DueEnrolmentsAsync(int count)
    {
        var enrolments = new List<EnrolmentRow>();
        for (var i = 0; i < count; i++)
        {
            var member = await MemberAsync($"racer-{i}");
            enrolments.Add(await Store.CreateEnrolmentAsync(member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), null, new ScheduledRuns(Now, null), Now, _none));
        }

        return enrolments;
    }
}
