using CoachBot.Core.Buddies;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>
/// A server is a boundary (its platform and guild id together: the same guild id on another platform is another
/// server), and a member's data is theirs alone: what one server or member reads, counts or deletes touches no other.
/// </summary>
public abstract partial class CoachStoreContract
{
    [SkippableFact]
    public async Task GetServerEnrolments_ListsOnlyThatServersEnrolments_NotTheSameGuildIdOnAnotherPlatform()
    {
        var here = await EnrolAsync("ada");
        await EnrolAsync("bob", guildId: "guild-2");
        await EnrolAsync("cy", platform: "slack");
        var adaElsewhere = await EnrolAsync("ada", guildId: "guild-2", pathwayId: "data-science");

        var enrolments = await Store.GetServerEnrolmentsAsync("discord", "guild-1", _none);

        var only = Assert.Single(enrolments);
        Assert.Equal((here.Id, "User ada"), (only.Enrolment.Id, only.Member.DisplayName));
        Assert.Equal(2, (await Store.GetServerEnrolmentsAsync("discord", "guild-2", _none)).Count);
        Assert.Contains(adaElsewhere.Id, (await Store.GetServerEnrolmentsAsync("discord", "guild-2", _none)).Select(entry => entry.Enrolment.Id));
        Assert.Equal("cy", Assert.Single(await Store.GetServerEnrolmentsAsync("slack", "guild-1", _none)).Member.UserId);
        Assert.Empty(await Store.GetServerEnrolmentsAsync("discord", "guild-3", _none));
    }

    [SkippableFact]
    public async Task GetServerStats_CountsOnlyThatServer_NotTheSameGuildIdOnAnotherPlatform()
    {
        var here = await EnrolAsync("ada");
        var sameIdElsewhere = await EnrolAsync("ada", platform: "slack");
        var otherGuild = await EnrolAsync("bob", guildId: "guild-2");
        foreach (var enrolment in new[] { here, sameIdElsewhere, otherGuild, sameIdElsewhere })
        {
            await Store.AppendCompletionAsync(enrolment.Id, "ai-safety", $"t{enrolment.Id}", CompletionKind.Done, Now, _none);
            await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, CheckInStatus.OnTrack, null, Now), _none);
        }

        await SendAsync(here, "n-here", Now);
        await SendAsync(sameIdElsewhere, "n-slack", Now);
        await SendAsync(otherGuild, "n-other", Now);

        Assert.Equal(new ServerStats(1, 1, 1, 1, 1), await Store.GetServerStatsAsync("discord", "guild-1", Now.AddDays(-7), _none));
        Assert.Equal(new ServerStats(1, 1, 2, 1, 1), await Store.GetServerStatsAsync("slack", "guild-1", Now.AddDays(-7), _none));
        Assert.Equal(new ServerStats(0, 0, 0, 0, 0), await Store.GetServerStatsAsync("discord", "guild-3", Now.AddDays(-7), _none));
        Assert.Equal(new ServerStats(1, 1, 0, 0, 0), await Store.GetServerStatsAsync("discord", "guild-1", Now.AddMinutes(1), _none));
    }

    [SkippableFact]
    public async Task CountQuarantined_CountsOnlyThatServer_AndEverythingWhenAskedForNone()
    {
        var here = await EnrolAsync("ada", new ScheduledRuns(Now, null));
        var sameIdElsewhere = await EnrolAsync("ada", new ScheduledRuns(Now, null), platform: "slack");
        var backOff = new QuarantineBackOff(TimeSpan.FromMinutes(5), TimeSpan.FromHours(1));

        await Outbox.QuarantineAsync(SlotFailure(here, "discord"), backOff, _none);
        await Outbox.QuarantineAsync(SlotFailure(sameIdElsewhere, "slack"), backOff, _none);
        await Outbox.QuarantineAsync(new QuarantineFailure("server:discord:guild-2", "digest", "discord", "guild-2", null, null, "boom", Now), backOff, _none);

        Assert.Equal(1, await Store.CountQuarantinedAsync("discord", "guild-1", _none));
        Assert.Equal(1, await Store.CountQuarantinedAsync("slack", "guild-1", _none));
        Assert.Equal(1, await Store.CountQuarantinedAsync("discord", "guild-2", _none));
        Assert.Equal(0, await Store.CountQuarantinedAsync("discord", "guild-3", _none));
        Assert.Equal(3, await Store.CountQuarantinedAsync(null, null, _none));
    }

    [SkippableFact]
    public async Task ServerSchedules_AreKeptPerServerAndPlatform_AndLeaveTheGroupChannelAndItsMarkAlone()
    {
        await Store.SetGroupChannelAsync("discord", "g1", "111", Now, _none);
        await Outbox.MarkGroupChannelBrokenAsync("discord", "g1", "111", "Missing Access", Now, _none);

        await Store.SaveServerScheduleAsync("discord", "g1", "Europe/Berlin", DayOfWeek.Sunday, new TimeOnly(23, 30), Now, _none);
        await Store.SaveServerScheduleAsync("slack", "g1", null, DayOfWeek.Friday, new TimeOnly(0, 0), Now, _none);

        Assert.Equal(
            new ServerSettings("discord", "g1", "111", Now, "Missing Access", "Europe/Berlin", DayOfWeek.Sunday, new TimeOnly(23, 30)),
            await Store.GetServerSettingsAsync("discord", "g1", _none));
        Assert.Equal(new ServerSettings("slack", "g1", null, null, null, null, DayOfWeek.Friday, new TimeOnly(0, 0)), await Store.GetServerSettingsAsync("slack", "g1", _none));
        Assert.Null(await Store.GetServerSettingsAsync("discord", "g2", _none));

        // Back to the bot's defaults; the channel set afterwards keeps the schedule.
        await Store.SaveServerScheduleAsync("discord", "g1", null, null, null, Now, _none);
        await Store.SetGroupChannelAsync("slack", "g1", "222", Now, _none);
        Assert.Equal(new ServerSettings("discord", "g1", "111", Now, "Missing Access"), await Store.GetServerSettingsAsync("discord", "g1", _none));
        Assert.Equal(DayOfWeek.Friday, (await Outbox.GetServersWithGroupChannelAsync(_none)).Single(server => server.Platform == "slack").DigestDay);
    }

    [SkippableFact]
    public async Task TheDigestChartSwitch_IsKeptPerServerAndPlatform_AndLeavesTheRestOfTheSettingsAlone()
    {
        await Store.SetGroupChannelAsync("discord", "g1", "111", Now, _none);
        await Store.SaveServerScheduleAsync("discord", "g1", "Europe/Berlin", DayOfWeek.Sunday, new TimeOnly(23, 30), Now, _none);

        await Store.SetDigestChartOffAsync("discord", "g1", off: true, Now, _none);
        await Store.SetDigestChartOffAsync("slack", "g1", off: true, Now, _none);
        await Store.SetDigestChartOffAsync("slack", "g1", off: false, Now, _none);

        Assert.Equal(
            new ServerSettings("discord", "g1", "111", null, null, "Europe/Berlin", DayOfWeek.Sunday, new TimeOnly(23, 30), DigestChartOff: true),
            await Store.GetServerSettingsAsync("discord", "g1", _none));
        Assert.False((await Store.GetServerSettingsAsync("slack", "g1", _none))!.DigestChartOff);
        Assert.Null(await Store.GetServerSettingsAsync("discord", "g2", _none));

        // A channel set afterwards keeps the switch.
        await Store.SetGroupChannelAsync("discord", "g1", "333", Now, _none);
        Assert.True((await Store.GetServerSettingsAsync("discord", "g1", _none))!.DigestChartOff);
    }

    [SkippableFact]
    public async Task GroupChannels_AreKeptPerServerAndPlatform_AndMarkingOneBrokenLeavesTheOthers()
    {
        await Store.SetGroupChannelAsync("discord", "g1", "111", Now, _none);
        await Store.SetGroupChannelAsync("slack", "g1", "111", Now, _none);
        await Store.SetGroupChannelAsync("discord", "g2", "111", Now, _none);

        var marked = await Outbox.MarkGroupChannelBrokenAsync("discord", "g1", "111", "Missing Access", Now.AddMinutes(1), _none);
        var markedAgain = await Outbox.MarkGroupChannelBrokenAsync("discord", "g1", "111", "Missing Access", Now.AddMinutes(2), _none);

        Assert.True(marked);
        Assert.False(markedAgain);
        Assert.Equal(new ServerSettings("discord", "g1", "111", Now.AddMinutes(1), "Missing Access"), await Store.GetServerSettingsAsync("discord", "g1", _none));
        Assert.False((await Store.GetServerSettingsAsync("slack", "g1", _none))!.IsGroupChannelBroken);
        Assert.False((await Store.GetServerSettingsAsync("discord", "g2", _none))!.IsGroupChannelBroken);
        Assert.Equal(
            [("discord", "g1"), ("discord", "g2"), ("slack", "g1")],
            (await Outbox.GetServersWithGroupChannelAsync(_none)).Select(server => (server.Platform, server.GuildId)).Order());
    }

    [SkippableFact]
    public async Task MarkGroupChannelBroken_ForAChannelSinceReplaced_ChangesNothing_AndSettingAChannelClearsTheMark()
    {
        await Store.SetGroupChannelAsync("discord", "g1", "111", Now, _none);
        await Outbox.MarkGroupChannelBrokenAsync("discord", "g1", "111", "Missing Access", Now, _none);
        await Store.SetGroupChannelAsync("discord", "g1", "222", Now.AddMinutes(1), _none);

        var stale = await Outbox.MarkGroupChannelBrokenAsync("discord", "g1", "111", "Missing Access", Now.AddMinutes(2), _none);
        await Store.SetGroupChannelAsync("discord", "g1", null, Now.AddMinutes(3), _none);

        Assert.False(stale);
        Assert.Equal(new ServerSettings("discord", "g1", null), await Store.GetServerSettingsAsync("discord", "g1", _none));
        Assert.Empty(await Outbox.GetServersWithGroupChannelAsync(_none));
    }

    [SkippableFact]
    public async Task TheSameUserIdOnAnotherPlatform_IsAnotherMember_WhoseDataOutlivesTheFirstsDeletion()
    {
        var discord = await EnrolAsync("42");
        var slack = await EnrolAsync("42", platform: "slack");
        await FillEveryTableAsync(discord);
        await FillEveryTableAsync(slack);

        var deleted = await Store.DeleteMemberDataAsync(new MemberKey("discord", "42"), _none);
        var deletedAgain = await Store.DeleteMemberDataAsync(new MemberKey("discord", "42"), _none);

        Assert.NotEqual(discord.MemberId, slack.MemberId);
        Assert.True(deleted);
        Assert.False(deletedAgain);
        var kept = await Store.ExportMemberDataAsync(new MemberKey("slack", "42"), _none);
        Assert.Equal(slack.MemberId, kept!.Member.Id);
        Assert.Equal([slack.Id], kept.Enrolments.Select(enrolment => enrolment.Enrolment.Id));
        Assert.Equal(2, kept.Messages.Count);
        Assert.Null(await Store.GetEnrolmentAsync(discord.Id, _none));
        Assert.Null(await Outbox.GetDeliveryAsync(ReminderKey(discord), _none));
        Assert.NotNull(await Outbox.GetDeliveryAsync(ReminderKey(slack), _none));
    }

    [SkippableFact]
    public async Task CalendarLinks_AreOneAMember_ReplacedByANewOne_AndGoWithTheMember()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        await Store.SaveCalendarLinkAsync(ada.MemberId, "hash-1", Now, _none);
        await Store.SaveCalendarLinkAsync(bob.MemberId, "hash-bob", Now, _none);

        await Store.SaveCalendarLinkAsync(ada.MemberId, "hash-2", Now.AddDays(1), _none);

        Assert.Null(await Store.FindMemberByCalendarLinkAsync("hash-1", _none));
        Assert.Equal("ada", (await Store.FindMemberByCalendarLinkAsync("hash-2", _none))?.UserId);
        Assert.Equal(Now.AddDays(1), await Store.GetCalendarLinkCreatedAtAsync(ada.MemberId, _none));
        Assert.True(await Store.DeleteCalendarLinkAsync(ada.MemberId, _none));
        Assert.False(await Store.DeleteCalendarLinkAsync(ada.MemberId, _none));
        Assert.Null(await Store.GetCalendarLinkCreatedAtAsync(ada.MemberId, _none));
        Assert.True(await Store.DeleteMemberDataAsync(new MemberKey("discord", "bob"), _none));
        Assert.Null(await Store.FindMemberByCalendarLinkAsync("hash-bob", _none));
    }

    [SkippableFact]
    public async Task ExtraReminders_AreOneAWeek_SentByTheOutboxAtTheirTime_AndSkipCallsOffOnlyWhatIsNotSent()
    {
        var ada = await EnrolAsync("ada");
        var remindAt = Now.AddDays(1);
        NewDelivery Choice(string period, DeliveryState state) =>
            new(new DeliveryKey($"enrolment:{ada.Id}", "snooze", period), ada.MemberId, ada.Id, "nonce-" + period, Now, state, null, "discord", "guild-1")
            {
                NotBefore = state == DeliveryState.Claimed ? remindAt : null,
            };

        var first = await Store.ChooseExtraReminderAsync(Choice("2026-W50", DeliveryState.Claimed), _none);
        var second = await Store.ChooseExtraReminderAsync(Choice("2026-W50", DeliveryState.Claimed) with { NotBefore = Now.AddDays(3) }, _none);
        var notYet = await Outbox.LeaseDeliveriesAsync(remindAt.AddTicks(-TimeSpan.TicksPerMillisecond), remindAt.AddMinutes(2), 10, _none);
        var due = await Outbox.LeaseDeliveriesAsync(remindAt, remindAt.AddMinutes(2), 10, _none);

        Assert.Equal(new ExtraReminderChoice(ExtraReminderResult.Scheduled, remindAt), first);
        Assert.Equal(new ExtraReminderChoice(ExtraReminderResult.AlreadyScheduled, remindAt), second);
        Assert.Empty(notYet);
        var leased = Assert.Single(due);
        Assert.Equal((ada.Id, Now), (leased.EnrolmentId, leased.ClaimedAt));
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(leased.Id, DeliveryState.Sent, remindAt, null, null)], _none);
        Assert.Equal(ExtraReminderResult.AlreadySent, (await Store.ChooseExtraReminderAsync(Choice("2026-W50", DeliveryState.Skipped), _none)).Result);

        // Another week: skip calls off the reminder asked for, which the outbox then never hands out.
        await Store.ChooseExtraReminderAsync(Choice("2026-W51", DeliveryState.Claimed), _none);
        Assert.Equal(new ExtraReminderChoice(ExtraReminderResult.CalledOff, remindAt), await Store.ChooseExtraReminderAsync(Choice("2026-W51", DeliveryState.Skipped), _none));
        Assert.Equal(ExtraReminderResult.AlreadySkipped, (await Store.ChooseExtraReminderAsync(Choice("2026-W51", DeliveryState.Claimed), _none)).Result);
        Assert.Equal(ExtraReminderResult.Skipped, (await Store.ChooseExtraReminderAsync(Choice("2026-W52", DeliveryState.Skipped), _none)).Result);
        Assert.Empty(await Outbox.LeaseDeliveriesAsync(Now.AddDays(30), Now.AddDays(31), 10, _none));
    }

    [SkippableFact]
    public async Task Replans_AreOneACheckIn_FirstStands_ReachEveryReader_AndGoWithTheEnrolment()
    {
        var ada = await EnrolAsync("ada", new ScheduledRuns(Now, Now));
        var bob = await EnrolAsync("bob", new ScheduledRuns(Now, Now));
        var shift = new ReplanRow(0, ada.Id, 4, new DateOnly(2026, 12, 7), ReplanKind.Shift, 3, 100, Now);
        var pace = new ReplanRow(0, ada.Id, 5, new DateOnly(2026, 12, 14), ReplanKind.Pace, 0, 150, Now.AddDays(7));

        var (first, firstIsNew) = await Store.SaveReplanAsync(shift, _none);
        var again = await Store.SaveReplanAsync(shift with { Kind = ReplanKind.KeepGoing, DecidedAt = Now.AddHours(1) }, _none);
        await Store.SaveReplanAsync(pace, _none);

        Assert.True(firstIsNew);
        Assert.Equal(shift with { Id = first.Id }, first);
        Assert.Equal((first, false), again);
        var stored = await Store.GetReplansAsync(ada.Id, _none);
        Assert.Equal([(ReplanKind.Shift, 3, 100), (ReplanKind.Pace, 0, 150)], stored.Select(replan => (replan.Kind, replan.ShiftWeeks, replan.PacePercent)));
        Assert.Empty(await Store.GetReplansAsync(bob.Id, _none));
        Assert.Equal(stored, (await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, Now, 10, _none)).Single(due => due.Enrolment.Id == ada.Id).Replans);
        Assert.Empty((await Outbox.GetEnrolmentStatesAsync([bob.Id], _none)).Single().Replans);
        Assert.Equal(stored, (await Store.GetCohortAsync("discord", "guild-1", _none)).Single(entry => entry.Enrolment.Id == ada.Id).Replans);
        Assert.Equal(stored, (await Store.ExportMemberDataAsync(new MemberKey("discord", "ada"), _none))!.Enrolments.Single().Replans);

        await Store.DeleteEnrolmentAsync(ada.Id, _none);
        Assert.Empty(await Store.GetReplansAsync(ada.Id, _none));
    }

    [SkippableFact]
    public async Task BuddyPools_ChangeUnderALock_TwoJoinsAtOnceInTwoProcessesArePaired_AndThePoolIsABoundary()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        var cy = await EnrolAsync("cy", guildId: "guild-2");
        var pool = new BuddyPoolKey("discord", "guild-1", "ai-safety");
        var elsewhere = new BuddyPoolKey("discord", "guild-2", "ai-safety");
        var other = await OpenAnotherStoreAsync();
        static IReadOnlyList<BuddyAssignment> PairTheWaiting(IReadOnlyList<BuddyRow> rows)
        {
            var waiting = BuddyPairing.Waiting(rows);
            return waiting.Count == 2 ? [new BuddyAssignment(waiting[0], 7), new BuddyAssignment(waiting[1], 7)] : [];
        }

        await Task.WhenAll(
            Task.Run(() => Store.ChangeBuddiesAsync(pool, new BuddyMembership(Joins: ada.Id), PairTheWaiting, Now, _none)),
            Task.Run(() => other.Store.ChangeBuddiesAsync(pool, new BuddyMembership(Joins: bob.Id), PairTheWaiting, Now, _none)));
        await Store.ChangeBuddiesAsync(elsewhere, new BuddyMembership(Joins: cy.Id), PairTheWaiting, Now, _none);

        var rows = await Store.GetBuddyPoolAsync(pool, _none);
        Assert.Equal([(7L, Now), (7L, Now)], rows.Select(row => (row.GroupId!.Value, row.PairedAt!.Value)));
        Assert.Equal([ada.MemberId, bob.MemberId], rows.Select(row => row.MemberId).Order());
        var buddies = await Outbox.GetBuddiesAsync([ada.Id, bob.Id, cy.Id], _none);
        Assert.Equal([bob.Id], buddies[ada.Id]);
        Assert.Equal([ada.Id], buddies[bob.Id]);
        Assert.False(buddies.ContainsKey(cy.Id));
        Assert.Equal([pool], await Outbox.GetBuddyPoolsToRegroupAsync(Now, _none));
        Assert.Empty(await Outbox.GetBuddyPoolsToRegroupAsync(Now.AddMilliseconds(-1), _none));
        Assert.Equal(rows.Single(row => row.EnrolmentId == ada.Id), (await Store.ExportMemberDataAsync(new MemberKey("discord", "ada"), _none))!.Enrolments.Single().Buddy);

        var after = await Store.ChangeBuddiesAsync(pool, new BuddyMembership(Leaves: bob.Id), _ => [], Now, _none);
        Assert.Equal([ada.Id], after.Select(row => row.EnrolmentId));
        Assert.Empty(await Outbox.GetBuddiesAsync([ada.Id], _none));
    }

    [SkippableFact]
    public async Task ScheduledMessages_AreOneAKey_AndTheOutboxSendsThemFromTheirTime()
    {
        var ada = await EnrolAsync("ada");
        var at = Now.AddHours(3);
        var nudge = new NewDelivery(new DeliveryKey("pair:1-2", "nudge", "2026-12-07"), ada.MemberId, ada.Id, "nonce-nudge", Now, DeliveryState.Claimed, null, "discord", "guild-1")
        {
            NotBefore = at,
        };

        Assert.True(await Store.ScheduleMessageAsync(nudge, _none));
        Assert.False(await Store.ScheduleMessageAsync(nudge with { NotBefore = null }, _none));
        Assert.Empty(await Outbox.LeaseDeliveriesAsync(at.AddMilliseconds(-1), at.AddMinutes(1), 10, _none));
        Assert.Equal("pair:1-2", Assert.Single(await Outbox.LeaseDeliveriesAsync(at, at.AddMinutes(1), 10, _none)).Key.Subject);
    }

    [SkippableFact]
    public async Task CompletionEvidence_IsKeptWithItsCompletion_AndExported()
    {
        var ada = await EnrolAsync("ada");
        await Store.AppendCompletionAsync(ada.Id, "ai-safety", "plain", CompletionKind.Done, Now, _none);
        await Store.AppendCompletionAsync(ada.Id, "ai-safety", "with-evidence", CompletionKind.Done, Now.AddMinutes(1), "Zoë's notes: ✓ ünïcode", "https://example.org/notes?a=1&b=2", _none);
        await Store.AppendCompletionAsync(ada.Id, "ai-safety", "link-only", CompletionKind.Done, Now.AddMinutes(2), null, "http://example.org", _none);

        var events = await Store.GetCompletionEventsAsync(ada.Id, _none);
        var exported = (await Store.ExportMemberDataAsync(new MemberKey("discord", "ada"), _none))!.Enrolments.Single().Completions;

        Assert.Equal(
            [("plain", null, null), ("with-evidence", "Zoë's notes: ✓ ünïcode", "https://example.org/notes?a=1&b=2"), ("link-only", null, "http://example.org")],
            events.Select(completion => (completion.TaskId, completion.Note, completion.Link)));
        Assert.Equal(events, exported);
    }

    [SkippableFact]
    public async Task ExportMemberData_HoldsOnlyThatMembersRows()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        await FillEveryTableAsync(ada);
        await FillEveryTableAsync(bob);
        await Store.AppendCompletionAsync(bob.Id, "ai-safety", "bobs-own", CompletionKind.Done, Now, _none);

        var data = await Store.ExportMemberDataAsync(new MemberKey("discord", "ada"), _none);

        var enrolment = Assert.Single(data!.Enrolments);
        Assert.Equal(ada.Id, enrolment.Enrolment.Id);
        Assert.All(enrolment.Completions, completion => Assert.Equal(ada.Id, completion.EnrolmentId));
        Assert.DoesNotContain(enrolment.Completions, completion => completion.TaskId == "bobs-own");
        Assert.All(enrolment.CheckIns, answer => Assert.Equal(ada.Id, answer.EnrolmentId));
        Assert.Equal(2, data.Messages.Count);
        Assert.Null(await Store.ExportMemberDataAsync(new MemberKey("discord", "nobody"), _none));
    }

    [SkippableFact]
    public async Task DeleteMemberData_DeletesTheDashboardLinksTheyAskedFor_AndNoOneElses()
    {
        await EnrolAsync("olga");
        await Dashboard.SaveSignInLinkAsync(new SignInLink("olgas", "discord", "guild-1", "olga", Now, Now.AddMinutes(10)), _none);
        await Dashboard.SaveSignInLinkAsync(new SignInLink("olgas-on-slack", "slack", "guild-1", "olga", Now, Now.AddMinutes(10)), _none);
        await Dashboard.SaveSignInLinkAsync(new SignInLink("pauls", "discord", "guild-1", "paul", Now, Now.AddMinutes(10)), _none);

        Assert.True(await Store.DeleteMemberDataAsync(new MemberKey("discord", "olga"), _none));

        Assert.Equal(SignInOutcome.Unknown, (await Dashboard.RedeemSignInLinkAsync("olgas", Now, _none)).Outcome);
        Assert.Equal(SignInOutcome.SignedIn, (await Dashboard.RedeemSignInLinkAsync("olgas-on-slack", Now, _none)).Outcome);
        Assert.Equal(SignInOutcome.SignedIn, (await Dashboard.RedeemSignInLinkAsync("pauls", Now, _none)).Outcome);
    }

    [SkippableFact]
    public async Task DeleteMemberData_TakesTheMemberOutOfAClaimedDigest_AndKeepsTheOthersLines()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob");
        var digest = new NewDelivery(
            new DeliveryKey("server:discord:guild-1", "digest", "2026-W50"), null, null, "digest-1", Now, DeliveryState.Claimed,
            Payload(Reply.Public("Weekly digest", "Ada: 3 tasks done\nBob: 1 task done")), "discord", "guild-1",
            new Dictionary<long, IReadOnlyList<string>> { [ada.MemberId] = ["Ada: 3 tasks done"], [bob.MemberId] = ["Bob: 1 task done"] });
        await Outbox.TryClaimDeliveryAsync(digest, _none);

        await Store.DeleteMemberDataAsync(new MemberKey("discord", "ada"), _none);

        var text = PlainText(Assert.Single(await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none)).Payload);
        Assert.DoesNotContain("Ada: 3 tasks done", text, StringComparison.Ordinal);
        Assert.Contains("Bob: 1 task done", text, StringComparison.Ordinal);
    }

    private async Task SendAsync(EnrolmentRow enrolment, string nonce, DateTimeOffset at)
    {
        await Outbox.TryClaimDeliveryAsync(Claimed(enrolment, nonce, at), _none);
        var row = (await Outbox.GetDeliveryAsync(ReminderKey(enrolment), _none))!;
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(row.Id, DeliveryState.Sent, at, null, null)], _none);
    }

    private static QuarantineFailure SlotFailure(EnrolmentRow enrolment, string platform, DateTimeOffset? at = null) =>
        new($"enrolment:{enrolment.Id}", "reminder", platform, enrolment.GuildId, enrolment.Id, enrolment.NextReminderAt, "boom", at ?? Now);
}
