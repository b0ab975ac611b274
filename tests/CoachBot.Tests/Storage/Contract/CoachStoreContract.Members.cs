using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>What the commands change about a member and their enrolments beyond the basics.</summary>
public abstract partial class CoachStoreContract
{
    [SkippableFact]
    public async Task DmChannelAndDmClosed_AreSetAndCleared()
    {
        var member = await MemberAsync("ada");

        await Store.SetDmChannelAsync(member.Id, "dm-1", _none);
        await Store.SetDmClosedAsync(member.Id, Now, _none);
        var closed = await Store.GetMemberAsync(member.Id, _none);
        await Store.SetDmClosedAsync(member.Id, null, _none);
        await Store.SetDmChannelAsync(member.Id, null, _none);

        Assert.Equal(("dm-1", (DateTimeOffset?)Now), (closed!.DmChannelId, closed.DmClosedAt));
        Assert.Equal(member, await Store.GetMemberAsync(member.Id, _none));
        Assert.Null(await Store.GetMemberAsync(member.Id + 1000, _none));
    }

    [SkippableFact]
    public async Task CreateEnrolment_ForAPathwayTheMemberAlreadyHas_RefusesAndChangesNothing()
    {
        var first = await EnrolAsync("ada");

        await Assert.ThrowsAsync<AlreadyEnrolledException>(() => Store.CreateEnrolmentAsync(
            first.MemberId, "guild-2", "ai-safety", new DateOnly(2027, 1, 4), "Asia/Tokyo", ScheduledRuns.None, Now, _none));

        Assert.Equal([first], await Store.GetEnrolmentsAsync(first.MemberId, _none));
        Assert.Null((await Store.GetMemberAsync(first.MemberId, _none))!.TimeZoneId);
    }

    [SkippableFact]
    public async Task CreateEnrolment_WithRetimedEnrolments_MovesTheOthersToo_AndListsOldestFirst()
    {
        var first = await EnrolAsync("ada", new ScheduledRuns(Now.AddDays(1), Now.AddDays(2)));

        var second = await Store.CreateEnrolmentAsync(first.MemberId, "guild-1", "data-science", new DateOnly(2026, 12, 14), "Asia/Tokyo",
            new ScheduledRuns(Now.AddDays(7), null), new Dictionary<long, ScheduledRuns> { [first.Id] = new(Now.AddHours(15), Now.AddHours(40)) }, Now, _none);

        Assert.Equal([first.Id, second.Id], (await Store.GetEnrolmentsAsync(first.MemberId, _none)).Select(enrolment => enrolment.Id));
        Assert.Equal(new ScheduledRuns(Now.AddHours(15), Now.AddHours(40)), Runs(await Store.GetEnrolmentAsync(first.Id, _none)));
        Assert.Equal("Asia/Tokyo", (await Store.GetMemberAsync(first.MemberId, _none))!.TimeZoneId);
    }

    [SkippableFact]
    public async Task DeleteEnrolment_RemovesItAndWhatHangsOffIt_AndLeavesTheMembersOtherEnrolment()
    {
        var gone = await EnrolAsync("ada", new ScheduledRuns(Now, null));
        var kept = await Store.CreateEnrolmentAsync(gone.MemberId, "guild-1", "data-science", new DateOnly(2026, 12, 7), null, new ScheduledRuns(Now.AddDays(1), null), Now, _none);
        await FillEveryTableAsync(gone);

        await Store.DeleteEnrolmentAsync(gone.Id, _none);

        Assert.Null(await Store.GetEnrolmentAsync(gone.Id, _none));
        Assert.Empty(await Store.GetCompletionEventsAsync(gone.Id, _none));
        Assert.Empty(await Store.GetPausesAsync(gone.Id, _none));
        Assert.Empty(await Store.GetCheckInsAsync(gone.Id, _none));
        Assert.Null(await Outbox.GetDeliveryAsync(ReminderKey(gone), _none));
        Assert.Equal([kept], await Store.GetEnrolmentsAsync(gone.MemberId, _none));
        Assert.Empty(await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, Now, 10, _none));
    }

    [SkippableFact]
    public async Task EndPauses_EndsOnlyTheOpenPause_AndGetDueEnrolmentsCarriesPausesCompletionsAndSettings()
    {
        var enrolment = await EnrolAsync("ada");
        var settings = ReminderSettings.Default with { ReminderDay = DayOfWeek.Sunday };
        await Store.SaveReminderSettingsAsync(enrolment.MemberId, settings, null, new Dictionary<long, ScheduledRuns>(), _none);
        await Store.StartPausesAsync([new PauseStart(enrolment.Id, new DateOnly(2026, 12, 1), new DateOnly(2026, 12, 3), ScheduledRuns.None)], _none);
        await Store.StartPausesAsync([new PauseStart(enrolment.Id, new DateOnly(2026, 12, 10), null, ScheduledRuns.None)], _none);
        await Store.EndPausesAsync([new PauseEnd(enrolment.Id, new DateOnly(2026, 12, 12), new ScheduledRuns(Now, null))], _none);
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, Now.AddMinutes(-2), _none);
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t2", CompletionKind.Done, Now.AddMinutes(-1), _none);

        var due = Assert.Single(await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, Now, 10, _none));

        Assert.Equal([(DateOnly?)null, new DateOnly(2026, 12, 12)], due.Pauses.Select(pause => pause.EndedOn));
        Assert.Equal(["t1", "t2"], due.Completions.Select(completion => completion.TaskId));
        Assert.Equal(settings, due.Settings);
        Assert.Equal(enrolment.MemberId, due.Member.Id);
        Assert.Equal(EnrolmentState.Active, due.Enrolment.State);
    }
}
