using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>
/// The cohort read (issue 15) that <c>/group</c>, the digest and the dashboard render from: exactly one server's
/// enrolments (its platform and guild id together), each with its own pauses, completions and check-ins in the order
/// they happened, the same rows the per-enrolment reads give.
/// </summary>
public abstract partial class CoachStoreContract
{
    [SkippableFact]
    public async Task GetCohort_HoldsExactlyTheServersEnrolments_EachWithItsOwnRows()
    {
        var adaSafety = await EnrolAsync("ada");
        var adaData = await EnrolAsync("ada", pathwayId: "data-science");
        var bob = await EnrolAsync("bob");
        var sameIdOnSlack = await EnrolAsync("cy", platform: "slack");
        var otherGuild = await EnrolAsync("dan", guildId: "guild-2");
        var inDm = await EnrolAsync("eve", guildId: "dm:eve");
        var everyone = new[] { adaSafety, adaData, bob, sameIdOnSlack, otherGuild, inDm };
        foreach (var (enrolment, index) in everyone.Select((enrolment, index) => (enrolment, index)))
        {
            await Store.AppendCompletionAsync(enrolment.Id, enrolment.PathwayId, $"task-{index}", CompletionKind.Done, Now.AddMinutes(index), _none);
            await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, index + 1, CheckInStatus.Behind, $"note {index}", Now), _none);
            await Store.StartPausesAsync([new PauseStart(enrolment.Id, new DateOnly(2026, 12, 8 + index), null, ScheduledRuns.None)], _none);
        }

        var cohort = await Store.GetCohortAsync("discord", "guild-1", _none);

        // Ordered as GetServerEnrolmentsAsync lists them: by pathway, then oldest first.
        Assert.Equal([adaSafety.Id, bob.Id, adaData.Id], cohort.Select(entry => entry.Enrolment.Id));
        Assert.Equal(["ada", "bob", "ada"], cohort.Select(entry => entry.Member.UserId));
        foreach (var entry in cohort)
        {
            Assert.Equal(entry.Enrolment, await Store.GetEnrolmentAsync(entry.Enrolment.Id, _none));
            Assert.Equal(entry.Member, await Store.GetMemberAsync(entry.Enrolment.MemberId, _none));
            // Each enrolment was given one row of each kind: exactly its own, as its own reads give them.
            Assert.Equal(entry.Enrolment.Id, Assert.Single(entry.Pauses).EnrolmentId);
            Assert.Equal(entry.Enrolment.Id, Assert.Single(entry.Completions).EnrolmentId);
            Assert.Equal(entry.Enrolment.Id, Assert.Single(entry.CheckIns).EnrolmentId);
            Assert.Equal(await Store.GetPausesAsync(entry.Enrolment.Id, _none), entry.Pauses);
            Assert.Equal(await Store.GetCompletionEventsAsync(entry.Enrolment.Id, _none), entry.Completions);
            Assert.Equal(await Store.GetCheckInsAsync(entry.Enrolment.Id, _none), entry.CheckIns);
            Assert.Null(entry.ReadFailure);
        }

        Assert.Equal(sameIdOnSlack.Id, Assert.Single(await Store.GetCohortAsync("slack", "guild-1", _none)).Enrolment.Id);
        Assert.Equal(otherGuild.Id, Assert.Single(await Store.GetCohortAsync("discord", "guild-2", _none)).Enrolment.Id);
    }

    [SkippableFact]
    public async Task GetCohort_OfADmScope_OrOfAServerWithNobody_IsEmpty()
    {
        await EnrolAsync("eve", guildId: "dm:eve");
        await EnrolAsync("ada", guildId: "guild-1");

        Assert.Empty(await Store.GetCohortAsync("discord", "dm:eve", _none));
        Assert.Empty(await Store.GetCohortAsync("discord", "guild-3", _none));
        Assert.Empty(await Store.GetCohortAsync("telegram", "guild-1", _none));
        Assert.DoesNotContain(await Store.GetCohortAsync("discord", "guild-1", _none), entry => entry.Member.UserId == "eve");
    }

    [SkippableFact]
    public async Task GetCohort_ListsEachEnrolmentsRows_InTheOrderTheyHappened_NotTheOrderWritten()
    {
        var ada = await EnrolAsync("ada");
        await Store.AppendCompletionAsync(ada.Id, "ai-safety", "late", CompletionKind.Done, Now.AddHours(2), _none);
        await Store.AppendCompletionAsync(ada.Id, "ai-safety", "early", CompletionKind.Done, Now.AddHours(1), _none);
        await Store.AppendCompletionAsync(ada.Id, "ai-safety", "early", CompletionKind.Undo, Now.AddHours(3), _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(ada.Id, 3, CheckInStatus.Blocked, null, Now), _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(ada.Id, 1, CheckInStatus.OnTrack, null, Now), _none);
        await Store.StartPausesAsync([new PauseStart(ada.Id, new DateOnly(2026, 12, 20), new DateOnly(2026, 12, 27), ScheduledRuns.None)], _none);
        await Store.StartPausesAsync([new PauseStart(ada.Id, new DateOnly(2026, 12, 9), new DateOnly(2026, 12, 11), ScheduledRuns.None)], _none);

        var entry = Assert.Single(await Store.GetCohortAsync("discord", "guild-1", _none));

        Assert.Equal([("early", CompletionKind.Done), ("late", CompletionKind.Done), ("early", CompletionKind.Undo)],
            entry.Completions.Select(done => (done.TaskId, done.Kind)));
        Assert.Equal([1, 3], entry.CheckIns.Select(answer => answer.Week));
        Assert.Equal([new DateOnly(2026, 12, 9), new DateOnly(2026, 12, 20)], entry.Pauses.Select(pause => pause.StartedOn));
    }

    [SkippableFact]
    public async Task GetCohort_AfterAMemberDeletedTheirData_HoldsNothingOfTheirs()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        foreach (var enrolment in new[] { ada, bob })
        {
            await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", "t1", CompletionKind.Done, Now, _none);
            await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, CheckInStatus.OnTrack, "fine", Now), _none);
        }

        Assert.True(await Store.DeleteMemberDataAsync(new MemberKey("discord", "bob"), _none));

        var entry = Assert.Single(await Store.GetCohortAsync("discord", "guild-1", _none));
        Assert.Equal(ada.Id, entry.Enrolment.Id);
        Assert.All(entry.Completions, done => Assert.Equal(ada.Id, done.EnrolmentId));
        Assert.Equal(ada.Id, Assert.Single(entry.CheckIns).EnrolmentId);
    }
}
