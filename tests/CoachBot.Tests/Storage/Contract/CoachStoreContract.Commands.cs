using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>The commands' side: members, enrolments, completions, pauses, settings, check-ins, server settings.</summary>
public abstract partial class CoachStoreContract
{
    [SkippableFact]
    public async Task UpsertMember_TwiceForTheSameUser_KeepsOneMemberWithTheNewName()
    {
        var first = await Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", Now, _none);

        var second = await Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada L.", Now.AddDays(1), _none);

        Assert.Equal(first.Id, second.Id);
        Assert.Equal("Ada L.", second.DisplayName);
        Assert.Equal(Now, second.CreatedAt);
        Assert.Equal(second, await Store.FindMemberAsync(new MemberKey("discord", "42"), _none));
    }

    [SkippableFact]
    public async Task Instants_GivenInAnyOffset_AreReadBackAsTheSameInstant()
    {
        var local = new DateTimeOffset(2026, 12, 7, 12, 30, 0, TimeSpan.FromHours(2));

        var member = await Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", local, _none);

        Assert.Equal(local, (await Store.GetMemberAsync(member.Id, _none))!.CreatedAt);
        Assert.Equal(local, member.CreatedAt);
    }

    [SkippableFact]
    public async Task CreateEnrolment_RoundTripsEveryColumn_AndSetsTheTimeZone()
    {
        var member = await MemberAsync("42");
        var runs = new ScheduledRuns(Now.AddDays(7), Now.AddDays(4));

        var created = await Store.CreateEnrolmentAsync(member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), "Europe/Berlin", runs, Now, _none);

        var read = await Store.GetEnrolmentAsync(created.Id, _none);
        Assert.Equal(new EnrolmentRow(created.Id, member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), EnrolmentState.Active, Now, Now.AddDays(7), Now.AddDays(4)), read);
        Assert.Equal("Europe/Berlin", (await Store.GetMemberAsync(member.Id, _none))!.TimeZoneId);
        Assert.Equal([created], await Store.GetEnrolmentsAsync(member.Id, _none));
    }

    [SkippableFact]
    public async Task CompletionEvents_ComeBackInTheOrderTheyHappened()
    {
        var enrolment = await EnrolAsync("42");
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, Now, _none);
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Undo, Now.AddMinutes(1), _none);

        var events = await Store.GetCompletionEventsAsync(enrolment.Id, _none);

        Assert.Equal([CompletionKind.Done, CompletionKind.Undo], events.Select(e => e.Kind));
        Assert.All(events, e => Assert.Equal(("ai-safety", "t1"), (e.PathwayId, e.TaskId)));
    }

    [SkippableFact]
    public async Task Pauses_StartAndEnd_UpdateStateAndNextRunsTogether()
    {
        var enrolment = await EnrolAsync("42");

        await Store.StartPausesAsync([new PauseStart(enrolment.Id, new DateOnly(2026, 12, 14), null, ScheduledRuns.None)], _none);
        var paused = await Store.GetEnrolmentAsync(enrolment.Id, _none);
        await Store.EndPausesAsync([new PauseEnd(enrolment.Id, new DateOnly(2026, 12, 21), new ScheduledRuns(Now.AddDays(21), null))], _none);

        var resumed = await Store.GetEnrolmentAsync(enrolment.Id, _none);
        var pause = Assert.Single(await Store.GetPausesAsync(enrolment.Id, _none));
        Assert.Equal((EnrolmentState.Paused, (DateTimeOffset?)null), (paused!.State, paused.NextReminderAt));
        Assert.Equal((EnrolmentState.Active, (DateTimeOffset?)Now.AddDays(21)), (resumed!.State, resumed.NextReminderAt));
        Assert.Equal(new PauseRow(pause.Id, enrolment.Id, new DateOnly(2026, 12, 14), null, new DateOnly(2026, 12, 21)), pause);
    }

    [SkippableFact]
    public async Task ReminderSettings_DefaultUntilSaved_ThenRoundTrip()
    {
        var enrolment = await EnrolAsync("42");
        var settings = new ReminderSettings(false, DayOfWeek.Friday, new TimeOnly(18, 0), DayOfWeek.Sunday, new TimeOnly(20, 30), CheckInsEnabled: false);

        var before = await Store.GetReminderSettingsAsync(enrolment.MemberId, _none);
        await Store.SaveReminderSettingsAsync(enrolment.MemberId, settings, "America/New_York",
            new Dictionary<long, ScheduledRuns> { [enrolment.Id] = new(null, Now.AddDays(6)) }, _none);

        Assert.Equal(ReminderSettings.Default, before);
        Assert.Equal(settings, await Store.GetReminderSettingsAsync(enrolment.MemberId, _none));
        Assert.Null((await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextReminderAt);
        Assert.Equal("America/New_York", (await Store.GetMemberAsync(enrolment.MemberId, _none))!.TimeZoneId);
    }

    [SkippableFact]
    public async Task CheckIns_ANoteAfterAStatus_KeepsTheStatus()
    {
        var enrolment = await EnrolAsync("42");

        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 3, CheckInStatus.Blocked, null, Now), _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 3, null, "Stuck on maths", Now.AddMinutes(1)), _none);

        var answer = Assert.Single(await Store.GetCheckInsAsync(enrolment.Id, _none));
        Assert.Equal(new CheckInAnswer(enrolment.Id, 3, CheckInStatus.Blocked, "Stuck on maths", Now.AddMinutes(1)), answer);
    }

    [SkippableFact]
    public async Task ServerSettings_SetTwice_KeepsTheLatestChannel()
    {
        await Store.SetGroupChannelAsync("discord", "g1", "111", Now, _none);
        await Store.SetGroupChannelAsync("discord", "g1", "222", Now, _none);

        Assert.Equal(new ServerSettings("discord", "g1", "222"), await Store.GetServerSettingsAsync("discord", "g1", _none));
        Assert.Single(await Outbox.GetServersWithGroupChannelAsync(_none));
        Assert.Null(await Store.GetServerSettingsAsync("discord", "g2", _none));
    }

    [SkippableFact]
    public async Task ServerStats_CountThisServersActivitySince()
    {
        var enrolment = await EnrolAsync("42");
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, Now, _none);
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t0", CompletionKind.Done, Now.AddDays(-30), _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, CheckInStatus.OnTrack, null, Now), _none);

        var stats = await Store.GetServerStatsAsync("discord", "guild-1", Now.AddDays(-7), _none);

        Assert.Equal(new ServerStats(1, 1, 1, 1, 0), stats);
    }

    [SkippableFact]
    public async Task ExportMemberData_HoldsEveryRowOfTheMember()
    {
        var enrolment = await EnrolAsync("42");
        await FillEveryTableAsync(enrolment);

        var data = await Store.ExportMemberDataAsync(new MemberKey("discord", "42"), _none);

        var only = Assert.Single(data!.Enrolments);
        Assert.Equal((1, 1, 1), (only.Completions.Count, only.Pauses.Count, only.CheckIns.Count));
        Assert.False(data.ReminderSettings.RemindersEnabled);
        Assert.Equal(["fallback", "reminder"], data.Messages.Select(message => message.Kind).Order(StringComparer.Ordinal));
    }

    [SkippableFact]
    public async Task DeleteMemberData_LeavesNothingOfThatMember_AndKeepsOthers()
    {
        var other = await EnrolAsync("other");
        await FillEveryTableAsync(await EnrolAsync("42"));
        await FillEveryTableAsync(other);

        var deleted = await Store.DeleteMemberDataAsync(new MemberKey("discord", "42"), _none);

        Assert.True(deleted);
        Assert.Null(await Store.FindMemberAsync(new MemberKey("discord", "42"), _none));
        Assert.Null(await Store.ExportMemberDataAsync(new MemberKey("discord", "42"), _none));
        var kept = await Store.ExportMemberDataAsync(new MemberKey("discord", "other"), _none);
        var keptEnrolment = Assert.Single(kept!.Enrolments);
        Assert.Equal((1, 1, 1, 2), (keptEnrolment.Completions.Count, keptEnrolment.Pauses.Count, keptEnrolment.CheckIns.Count, kept.Messages.Count));
        Assert.Equal([other.Id], (await Store.GetServerEnrolmentsAsync("discord", "guild-1", _none)).Select(entry => entry.Enrolment.Id));
    }

    [SkippableFact]
    public async Task CompletionsOfATaskRemovedFromThePathway_AreKeptAndReported()
    {
        var enrolment = await EnrolAsync("42");
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "kept", CompletionKind.Done, Now, _none);
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "removed-later", CompletionKind.Done, Now, _none);
        var editedPathway = TestPathway.With("ai-safety", 2, "kept", "new-task");

        var snapshot = await EnrolmentSnapshot.LoadAsync(Store, enrolment, editedPathway, TimeZoneInfo.Utc, Now.AddDays(1), _none);

        Assert.Equal(2, (await Store.GetCompletionEventsAsync(enrolment.Id, _none)).Count);
        Assert.Equal((1, 2, 1), (snapshot.Progress.Done, snapshot.Progress.Total, snapshot.Progress.OrphanedCompletions));
    }

    private async Task FillEveryTableAsync(EnrolmentRow enrolment)
    {
        await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, Now, _none);
        await Store.StartPausesAsync([new PauseStart(enrolment.Id, new DateOnly(2026, 12, 8), null, ScheduledRuns.None)], _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, CheckInStatus.OnTrack, "fine", Now), _none);
        await Store.SaveReminderSettingsAsync(enrolment.MemberId, ReminderSettings.Default with { RemindersEnabled = false }, null,
            new Dictionary<long, ScheduledRuns>(), _none);
        await Outbox.TryClaimDeliveryAsync(
            new NewDelivery(ReminderKey(enrolment), enrolment.MemberId, enrolment.Id, $"n-{enrolment.Id}", Now), _none);
        await Outbox.TryClaimDeliveryAsync(
            new NewDelivery(new DeliveryKey($"member:{enrolment.MemberId}", "fallback", "2026-W50"), enrolment.MemberId, null, $"m-{enrolment.Id}", Now), _none);
    }
}
