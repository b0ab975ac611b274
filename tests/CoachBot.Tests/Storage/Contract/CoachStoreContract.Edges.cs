using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>Odd values at the edges: the first and last days a date can hold, names no one expects, the largest ids, empty lists.</summary>
public abstract partial class CoachStoreContract
{
    private static readonly DateTimeOffset _firstInstant = new(1, 1, 1, 0, 0, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset _lastInstant = new(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero);

    [SkippableFact]
    public async Task TheFirstAndLastDays_RoundTripInDatesAndInstants_AndOrderAsTheyShould()
    {
        var member = await Store.UpsertMemberAsync(new MemberKey("discord", "ada"), "Ada", _firstInstant, _none);
        var early = await Store.CreateEnrolmentAsync(member.Id, "guild-1", "first", DateOnly.MinValue, null, new ScheduledRuns(_firstInstant, _lastInstant), _firstInstant, _none);
        var late = await Store.CreateEnrolmentAsync(member.Id, "guild-1", "last", DateOnly.MaxValue, null, new ScheduledRuns(_lastInstant, null), _lastInstant, _none);
        var paused = await Store.CreateEnrolmentAsync(member.Id, "guild-1", "paused", DateOnly.MinValue, null, ScheduledRuns.None, _firstInstant, _none);
        await Store.StartPausesAsync([new PauseStart(paused.Id, DateOnly.MinValue, DateOnly.MaxValue, ScheduledRuns.None)], _none);
        await Store.AppendCompletionAsync(early.Id, "first", "t", CompletionKind.Done, _lastInstant, _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(early.Id, int.MaxValue, CheckInStatus.Behind, null, _firstInstant), _none);

        Assert.Equal(
            new EnrolmentRow(early.Id, member.Id, "guild-1", "first", DateOnly.MinValue, EnrolmentState.Active, _firstInstant, _firstInstant, _lastInstant),
            await Store.GetEnrolmentAsync(early.Id, _none));
        Assert.Equal((DateOnly.MaxValue, _lastInstant), ((await Store.GetEnrolmentAsync(late.Id, _none))!.StartDate, (await Store.GetEnrolmentAsync(late.Id, _none))!.EnrolledAt));
        Assert.Equal(_firstInstant, (await Store.GetMemberAsync(member.Id, _none))!.CreatedAt);
        Assert.Equal((DateOnly.MinValue, (DateOnly?)DateOnly.MaxValue), (Assert.Single(await Store.GetPausesAsync(paused.Id, _none)).StartedOn, Assert.Single(await Store.GetPausesAsync(paused.Id, _none)).UntilOn));
        Assert.Equal(_lastInstant, Assert.Single(await Store.GetCompletionEventsAsync(early.Id, _none)).OccurredAt);
        Assert.Equal(int.MaxValue, Assert.Single(await Store.GetCheckInsAsync(early.Id, _none)).Week);
        Assert.Equal(_firstInstant, await Outbox.GetNextScheduledAtAsync(_none));
        Assert.Equal([early.Id], (await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, _firstInstant, 10, _none)).Select(due => due.Enrolment.Id));
        Assert.Equal([early.Id, late.Id], (await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, _lastInstant, 10, _none)).Select(due => due.Enrolment.Id));
    }

    [SkippableFact]
    public async Task ClaimsAndLeases_AtTheLastInstant_WorkLikeAnyOther()
    {
        var enrolment = await EnrolAsync("ada", new ScheduledRuns(_lastInstant, null));

        var written = await Outbox.ClaimSlotsAsync([new SlotClaim(enrolment.Id, ScheduledKind.Reminder, _lastInstant, null, Claimed(enrolment, "n", _lastInstant))], _none);
        var leased = await Outbox.LeaseDeliveriesAsync(_lastInstant, _lastInstant, 10, _none);

        Assert.Equal(1, written);
        Assert.Null((await Store.GetEnrolmentAsync(enrolment.Id, _none))!.NextReminderAt);
        Assert.Equal("n", Assert.Single(leased).Nonce);
    }

    [SkippableFact]
    public async Task UnicodeAndVeryLongNames_AreKeptExactly()
    {
        string[] names =
        [
            "Zoë 👩🏽‍💻 Ñandú",
            "مرحبا بالعالم",
            "e\u0301 (combining) and \u200B zero width",
            "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 and 中文 and 日本語",
            "'; DROP TABLE members; --",
            new string('x', 10_000) + "🎉",
        ];

        for (var i = 0; i < names.Length; i++)
        {
            await Store.UpsertMemberAsync(new MemberKey("discord", $"u{i}"), names[i], Now, _none);
        }

        var longPathway = "pathway-" + new string('p', 2_000);
        var member = await MemberAsync("ada");
        var enrolment = await Store.CreateEnrolmentAsync(member.Id, "服务器-1", longPathway, new DateOnly(2026, 12, 7), "America/Argentina/ComodRivadavia", ScheduledRuns.None, Now, _none);
        await Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, null, names[0] + "\n" + names[5], Now), _none);

        for (var i = 0; i < names.Length; i++)
        {
            Assert.Equal(names[i], (await Store.FindMemberAsync(new MemberKey("discord", $"u{i}"), _none))!.DisplayName);
        }

        Assert.Equal((longPathway, "服务器-1"), ((await Store.GetEnrolmentAsync(enrolment.Id, _none))!.PathwayId, enrolment.GuildId));
        Assert.Single(await Store.GetServerEnrolmentsAsync("discord", "服务器-1", _none));
        Assert.Equal(names[0] + "\n" + names[5], Assert.Single(await Store.GetCheckInsAsync(enrolment.Id, _none)).Note);
    }

    [SkippableFact]
    public async Task IdsUpToULongMax_AreTextThatMatchesOnlyItself()
    {
        var max = ulong.MaxValue.ToString(System.Globalization.CultureInfo.InvariantCulture);
        var oneLess = (ulong.MaxValue - 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
        var top = await EnrolAsync(max, guildId: max);
        await EnrolAsync(oneLess, guildId: oneLess);
        await EnrolAsync("0" + max, guildId: "0" + max);
        await Store.SetDmChannelAsync(top.MemberId, max, _none);
        await Store.SetGroupChannelAsync("discord", max, max, Now, _none);

        var member = await Store.FindMemberAsync(new MemberKey("discord", max), _none);
        var server = Assert.Single(await Store.GetServerEnrolmentsAsync("discord", max, _none));

        Assert.Equal((top.MemberId, max, max), (member!.Id, member.UserId, member.DmChannelId));
        Assert.Equal(top.Id, server.Enrolment.Id);
        Assert.Equal(max, (await Store.GetServerSettingsAsync("discord", max, _none))!.GroupChannelId);
        Assert.Null(await Store.GetServerSettingsAsync("discord", oneLess, _none));
        Assert.Equal(1, (await Store.GetServerStatsAsync("discord", max, Now, _none)).Members);
    }

    [SkippableFact]
    public async Task EmptyListsAndUnknownIds_AreAnsweredWithNothing_AndChangeNothing()
    {
        var enrolment = await EnrolAsync("ada", new ScheduledRuns(Now, Now));

        await Store.StartPausesAsync([], _none);
        await Store.EndPausesAsync([], _none);
        await Store.SaveReminderSettingsAsync(enrolment.MemberId, ReminderSettings.Default, null, new Dictionary<long, ScheduledRuns>(), _none);
        await Outbox.RecordDeliveryOutcomesAsync([], _none);
        var claimed = await Outbox.ClaimSlotsAsync([], _none);
        var leased = await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none);

        Assert.Equal(0, claimed);
        Assert.Empty(leased);
        Assert.Equal(enrolment, await Store.GetEnrolmentAsync(enrolment.Id, _none));
        Assert.Null((await Store.GetMemberAsync(enrolment.MemberId, _none))!.TimeZoneId);
        Assert.Empty(await Outbox.GetEnrolmentStatesAsync([-1, 0, long.MaxValue], _none));
        Assert.Null(await Store.GetMemberAsync(long.MaxValue, _none));
        Assert.Null(await Store.GetEnrolmentAsync(long.MaxValue, _none));
        Assert.Empty(await Store.GetEnrolmentsAsync(long.MaxValue, _none));
        Assert.Empty(await Store.GetCompletionEventsAsync(long.MaxValue, _none));
        Assert.Empty(await Store.GetPausesAsync(long.MaxValue, _none));
        Assert.Empty(await Store.GetCheckInsAsync(long.MaxValue, _none));
        Assert.Equal(ReminderSettings.Default, await Store.GetReminderSettingsAsync(long.MaxValue, _none));
        Assert.Null(await Outbox.GetDeliveryAsync(new DeliveryKey("enrolment:0", "reminder", "2026-W50"), _none));
        Assert.Null(await Outbox.GetQuarantinedAsync("enrolment:0", "reminder", _none));
        Assert.Empty(await Outbox.GetDueEnrolmentsAsync(ScheduledKind.Reminder, Now.AddMinutes(-1), 10, _none));
        Assert.Equal(new OutboxPruned(0, 0), await Outbox.PruneOutboxAsync(Now, Now, 10, 1, _none));
        Assert.False(await Store.DeleteMemberDataAsync(new MemberKey("discord", "nobody"), _none));
    }
}
