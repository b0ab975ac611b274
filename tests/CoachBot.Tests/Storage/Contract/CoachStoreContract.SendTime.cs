using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>
/// "The claim decides, the sender renders": the state a message is rendered from at send time, and the rendered text
/// stored with the send's outcome (kept, shown in /mydata export, redacted on /mydata delete).
/// </summary>
public abstract partial class CoachStoreContract
{
    [SkippableFact]
    public async Task GetEnrolmentStates_GivesEachAskedEnrolmentItsOwnMemberSettingsPausesAndCompletions_AndNobodyElses()
    {
        var ada = await EnrolAsync("ada");
        var adasOther = await EnrolAsync("ada", pathwayId: "career-change");
        var bob = await EnrolAsync("bob");
        var carol = await EnrolAsync("carol");
        var adasSettings = new ReminderSettings(true, DayOfWeek.Wednesday, new TimeOnly(18, 30), DayOfWeek.Friday, new TimeOnly(9, 0), false);
        await Store.SaveReminderSettingsAsync(ada.MemberId, adasSettings, "Europe/Berlin", new Dictionary<long, ScheduledRuns>(), _none);
        await Store.AppendCompletionAsync(ada.Id, "ai-safety", "t1", CompletionKind.Done, Now, _none);
        await Store.AppendCompletionAsync(ada.Id, "ai-safety", "t1", CompletionKind.Undo, Now.AddMinutes(1), _none);
        await Store.AppendCompletionAsync(adasOther.Id, "career-change", "other-pathway", CompletionKind.Done, Now, _none);
        await Store.AppendCompletionAsync(bob.Id, "ai-safety", "bobs-own", CompletionKind.Done, Now, _none);
        await Store.AppendCompletionAsync(carol.Id, "ai-safety", "carols-own", CompletionKind.Done, Now, _none);
        await Store.StartPausesAsync([new PauseStart(bob.Id, new DateOnly(2026, 12, 8), new DateOnly(2026, 12, 15), ScheduledRuns.None)], _none);
        await Store.StartPausesAsync([new PauseStart(carol.Id, new DateOnly(2026, 12, 9), null, ScheduledRuns.None)], _none);

        var states = (await Outbox.GetEnrolmentStatesAsync([bob.Id, ada.Id], _none)).ToDictionary(state => state.Enrolment.Id);

        Assert.Equal([ada.Id, bob.Id], states.Keys.Order());
        var adas = states[ada.Id];
        Assert.Equal(("ada", "Europe/Berlin"), (adas.Member.UserId, adas.Member.TimeZoneId));
        Assert.Equal(adasSettings, adas.Settings);
        Assert.Equal([("t1", CompletionKind.Done), ("t1", CompletionKind.Undo)], adas.Completions.Select(completion => (completion.TaskId, completion.Kind)));
        Assert.All(adas.Completions, completion => Assert.Equal(ada.Id, completion.EnrolmentId));
        Assert.Empty(adas.Pauses);
        var bobs = states[bob.Id];
        Assert.Equal("bob", bobs.Member.UserId);
        Assert.Equal(ReminderSettings.Default, bobs.Settings);
        Assert.Equal(["bobs-own"], bobs.Completions.Select(completion => completion.TaskId));
        Assert.Equal((bob.Id, new DateOnly(2026, 12, 8), (DateOnly?)new DateOnly(2026, 12, 15)), (Assert.Single(bobs.Pauses).EnrolmentId, bobs.Pauses[0].StartedOn, bobs.Pauses[0].UntilOn));
        Assert.Equal(EnrolmentState.Paused, bobs.Enrolment.State);
    }

    [SkippableFact]
    public async Task GetEnrolmentStates_LeavesOutDeletedAndUnknownEnrolments_AndAnEmptyAskIsEmpty()
    {
        var kept = await EnrolAsync("ada");
        var deleted = await EnrolAsync("bob");
        var ofDeletedMember = await EnrolAsync("carol");
        await Store.DeleteEnrolmentAsync(deleted.Id, _none);
        await Store.DeleteMemberDataAsync(new MemberKey("discord", "carol"), _none);

        var states = await Outbox.GetEnrolmentStatesAsync([deleted.Id, kept.Id, 987_654_321, ofDeletedMember.Id, kept.Id], _none);

        Assert.Equal(kept.Id, Assert.Single(states).Enrolment.Id);
        Assert.Empty(await Outbox.GetEnrolmentStatesAsync([], _none));
        Assert.Empty(await Outbox.GetEnrolmentStatesAsync([987_654_321, deleted.Id], _none));
    }

    [SkippableFact]
    public async Task GetEnrolmentStates_ReadsALargeAsk_InOneCall()
    {
        var enrolments = new List<EnrolmentRow>();
        for (var index = 0; index < 300; index++)
        {
            var enrolment = await EnrolAsync($"member-{index}");
            await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", $"task-of-{enrolment.Id}", CompletionKind.Done, Now, _none);
            enrolments.Add(enrolment);
        }

        // 5,000 ids: the 300 that exist among ids that never did, as a sender asking for a large batch after deletions.
        var asked = enrolments.Select(enrolment => enrolment.Id).Concat(Enumerable.Range(1, 4_700).Select(offset => 1_000_000L + offset)).ToList();
        var states = await Outbox.GetEnrolmentStatesAsync(asked, _none);

        Assert.Equal(enrolments.Select(enrolment => enrolment.Id).Order(), states.Select(state => state.Enrolment.Id).Order());
        Assert.All(states, state => Assert.Equal($"task-of-{state.Enrolment.Id}", Assert.Single(state.Completions).TaskId));
    }

    [SkippableFact]
    public async Task AClaimedRowHasNoText_TheOutcomeStoresTheRenderedText_AndALaterOutcomeWithoutTextKeepsIt()
    {
        var enrolment = await EnrolAsync("ada", new ScheduledRuns(Now, null));
        var rendered = Payload(Reply.Public("Week 1", "Read chapter 2 (ticked off after the claim)"));
        await Outbox.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, Now, Now.AddDays(7), Claimed(enrolment, "n", Now, payload: null))], _none);

        var claimed = Assert.Single(await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none));
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(claimed.Id, DeliveryState.Claimed, Now, Now.AddMinutes(5), "429", rendered)], _none);
        var retried = Assert.Single(await Outbox.LeaseDeliveriesAsync(Now.AddMinutes(5), Now.AddMinutes(7), 10, _none));
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(retried.Id, DeliveryState.Claimed, Now.AddMinutes(5), Now.AddMinutes(10), "429 again")], _none);
        var retriedAgain = Assert.Single(await Outbox.LeaseDeliveriesAsync(Now.AddMinutes(10), Now.AddMinutes(12), 10, _none));
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(retriedAgain.Id, DeliveryState.Sent, Now.AddMinutes(10), null, null)], _none);

        Assert.Null(claimed.Payload);
        Assert.Equal(rendered, retried.Payload);
        Assert.Equal(rendered, retriedAgain.Payload);
        var message = Assert.Single((await Store.ExportMemberDataAsync(new MemberKey("discord", "ada"), _none))!.Messages);
        Assert.Equal(DeliveryState.Sent, message.State);
        Assert.Contains("Read chapter 2 (ticked off after the claim)", message.Text, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task MemberLinesStoredWithTheOutcome_AreRedactedByThatMembersDeletion_AndNobodyElses()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        await EnrolAsync("carol");
        var digest = await ClaimTextlessDigestAsync();

        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(digest.Id, DeliveryState.Claimed, Now, Now, "429",
            Payload(Reply.Public("Weekly digest", "Ada: 3 tasks done\nBob: 1 task done")),
            new Dictionary<long, IReadOnlyList<string>> { [ada.MemberId] = ["Ada: 3 tasks done"], [bob.MemberId] = ["Bob: 1 task done"] })], _none);
        await Store.DeleteMemberDataAsync(new MemberKey("discord", "carol"), _none);
        var afterCarol = PlainText(Assert.Single(await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none)).Payload);
        await Store.DeleteMemberDataAsync(new MemberKey("discord", "ada"), _none);
        var afterAda = PlainText(Assert.Single(await Outbox.LeaseDeliveriesAsync(Now.AddMinutes(2), Now.AddMinutes(4), 10, _none)).Payload);

        Assert.Contains("Ada: 3 tasks done", afterCarol, StringComparison.Ordinal);
        Assert.Contains("Bob: 1 task done", afterCarol, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada: 3 tasks done", afterAda, StringComparison.Ordinal);
        Assert.Contains("Bob: 1 task done", afterAda, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task AnOutcomeRenderedBeforeAMemberDeletedTheirData_IsStoredWithoutTheirLines()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        var digest = await ClaimTextlessDigestAsync();
        var lines = new Dictionary<long, IReadOnlyList<string>> { [ada.MemberId] = ["Ada: 3 tasks done"], [bob.MemberId] = ["Bob: 1 task done"] };

        // Rendered while Ada was still here; she deletes her data before the outcome is written.
        await Store.DeleteMemberDataAsync(new MemberKey("discord", "ada"), _none);
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(digest.Id, DeliveryState.Claimed, Now, Now, "429",
            Payload(Reply.Public("Weekly digest", "Ada: 3 tasks done\nBob: 1 task done")), lines)], _none);
        await Store.DeleteMemberDataAsync(new MemberKey("discord", "bob"), _none);

        var text = PlainText(Assert.Single(await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none)).Payload);
        Assert.DoesNotContain("Ada: 3 tasks done", text, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob: 1 task done", text, StringComparison.Ordinal);
        Assert.Contains("Weekly digest", text, StringComparison.Ordinal);
    }

    /// <summary>A server's digest as the claim now writes it: the key and where it goes, no text and no lines yet; leased once.</summary>
    private async Task<PendingDelivery> ClaimTextlessDigestAsync()
    {
        var key = new DeliveryKey("server:discord:guild-1", "digest", "2026-W50");
        Assert.True(await Outbox.TryClaimDeliveryAsync(new NewDelivery(key, null, null, "digest-1", Now, DeliveryState.Claimed, null, "discord", "guild-1"), _none));
        var leased = Assert.Single(await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(1), 10, _none));
        Assert.Null(leased.Payload);
        return leased;
    }
}
