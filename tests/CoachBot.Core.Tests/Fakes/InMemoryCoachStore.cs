using CoachBot.Core.Storage;

namespace CoachBot.Core.Tests.Fakes;

/// <summary>
/// A hand-written in-memory <see cref="ICoachStore"/> for Core tests: the commands' side only. The sweep's side
/// (<see cref="IDeliveryOutbox"/>) and the SQLite store are tested in CoachBot.Tests; with no sweep here, nothing is
/// ever claimed, sent or set aside.
/// </summary>
internal sealed class InMemoryCoachStore : ICoachStore
{
    private readonly List<MemberRow> _members = [];
    private readonly Dictionary<long, ReminderSettings> _settings = [];
    private readonly List<EnrolmentRow> _enrolments = [];
    private readonly List<CompletionEvent> _events = [];
    private readonly List<PauseRow> _pauses = [];
    private readonly List<CheckInAnswer> _checkIns = [];
    private readonly List<ServerSettings> _servers = [];
    private readonly Dictionary<string, long> _lastIds = [];

    public IReadOnlyList<CompletionEvent> Events => _events;

    public int RowCount => _members.Count + _settings.Count + _enrolments.Count + _events.Count + _pauses.Count + _checkIns.Count;

    public Task<MemberRow> UpsertMemberAsync(MemberKey member, string displayName, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var index = _members.FindIndex(row => row.Platform == member.Platform && row.UserId == member.UserId);
        if (index < 0)
        {
            _members.Add(new MemberRow(NextId("members"), member.Platform, member.UserId, displayName, null, null, null, now));
            return Task.FromResult(_members[^1]);
        }

        _members[index] = _members[index] with { DisplayName = displayName };
        return Task.FromResult(_members[index]);
    }

    public Task<MemberRow?> FindMemberAsync(MemberKey member, CancellationToken cancellationToken) =>
        Task.FromResult(_members.FirstOrDefault(row => row.Platform == member.Platform && row.UserId == member.UserId));

    public Task<MemberRow?> GetMemberAsync(long memberId, CancellationToken cancellationToken) =>
        Task.FromResult(_members.FirstOrDefault(row => row.Id == memberId));

    public Task SetDmClosedAsync(long memberId, DateTimeOffset? closedAt, CancellationToken cancellationToken) =>
        UpdateMember(memberId, row => row with { DmClosedAt = closedAt });

    public Task SetDmChannelAsync(long memberId, string? channelId, CancellationToken cancellationToken) =>
        UpdateMember(memberId, row => row with { DmChannelId = channelId });

    public Task<ReminderSettings> GetReminderSettingsAsync(long memberId, CancellationToken cancellationToken) =>
        Task.FromResult(_settings.GetValueOrDefault(memberId, ReminderSettings.Default));

    public async Task SaveReminderSettingsAsync(
        long memberId, ReminderSettings settings, string? timeZoneId, IReadOnlyDictionary<long, ScheduledRuns> nextRuns, CancellationToken cancellationToken)
    {
        _settings[memberId] = settings;
        if (timeZoneId is not null)
        {
            await UpdateMember(memberId, row => row with { TimeZoneId = timeZoneId });
        }

        foreach (var (enrolmentId, runs) in nextRuns)
        {
            await SetNextRunsAsync(enrolmentId, runs, cancellationToken);
        }
    }

    public async Task<EnrolmentRow> CreateEnrolmentAsync(
        long memberId, string guildId, string pathwayId, DateOnly startDate, string? timeZoneId, ScheduledRuns nextRuns, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (_enrolments.Any(existing => existing.MemberId == memberId && existing.PathwayId == pathwayId))
        {
            // The unique (member, pathway) key of the real schema.
            throw new AlreadyEnrolledException(memberId, pathwayId);
        }

        if (timeZoneId is not null)
        {
            await UpdateMember(memberId, row => row with { TimeZoneId = timeZoneId });
        }

        var row = new EnrolmentRow(NextId("enrolments"), memberId, guildId, pathwayId, startDate, EnrolmentState.Active, now, nextRuns.NextReminderAt, nextRuns.NextCheckInAt);
        _enrolments.Add(row);
        return row;
    }

    public Task<EnrolmentRow?> GetEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken) =>
        Task.FromResult(_enrolments.FirstOrDefault(row => row.Id == enrolmentId));

    public Task<IReadOnlyList<EnrolmentRow>> GetEnrolmentsAsync(long memberId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<EnrolmentRow>>([.. _enrolments.Where(row => row.MemberId == memberId)]);

    public Task<IReadOnlyList<MemberEnrolment>> GetServerEnrolmentsAsync(string platform, string guildId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MemberEnrolment>>([.. _enrolments
            .Where(row => row.GuildId == guildId)
            .Select(row => new MemberEnrolment(_members.Single(member => member.Id == row.MemberId), row))
            .Where(entry => entry.Member.Platform == platform)]);

    public async Task<IReadOnlyList<CohortEnrolment>> GetCohortAsync(string platform, string guildId, CancellationToken cancellationToken) =>
        [.. (await GetServerEnrolmentsAsync(platform, guildId, cancellationToken)).Select(entry => new CohortEnrolment(
            entry.Member,
            entry.Enrolment,
            [.. _pauses.Where(row => row.EnrolmentId == entry.Enrolment.Id)],
            [.. _events.Where(row => row.EnrolmentId == entry.Enrolment.Id)],
            [.. _checkIns.Where(row => row.EnrolmentId == entry.Enrolment.Id)]))];

    public Task DeleteEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        _enrolments.RemoveAll(row => row.Id == enrolmentId);
        _events.RemoveAll(row => row.EnrolmentId == enrolmentId);
        _pauses.RemoveAll(row => row.EnrolmentId == enrolmentId);
        _checkIns.RemoveAll(row => row.EnrolmentId == enrolmentId);
        _replans.RemoveAll(row => row.EnrolmentId == enrolmentId);
        _buddies.RemoveAll(row => row.Row.EnrolmentId == enrolmentId);
        return Task.CompletedTask;
    }

    public Task AppendCompletionAsync(long enrolmentId, string pathwayId, string taskId, CompletionKind kind, DateTimeOffset occurredAt, CancellationToken cancellationToken) =>
        AppendCompletionAsync(enrolmentId, pathwayId, taskId, kind, occurredAt, null, null, cancellationToken);

    public Task AppendCompletionAsync(
        long enrolmentId, string pathwayId, string taskId, CompletionKind kind, DateTimeOffset occurredAt, string? note, string? link, CancellationToken cancellationToken)
    {
        _events.Add(new CompletionEvent(NextId("events"), enrolmentId, pathwayId, taskId, kind, occurredAt, note, link));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CompletionEvent>> GetCompletionEventsAsync(long enrolmentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CompletionEvent>>([.. _events.Where(row => row.EnrolmentId == enrolmentId)]);

    public Task<IReadOnlyList<PauseRow>> GetPausesAsync(long enrolmentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PauseRow>>([.. _pauses.Where(row => row.EnrolmentId == enrolmentId)]);

    private readonly List<ReplanRow> _replans = [];

    private readonly List<(BuddyPoolKey Pool, BuddyRow Row)> _buddies = [];

    private readonly List<NewDelivery> _scheduled = [];

    /// <summary>The messages members' buttons scheduled (buddies' nudges), as the outbox would hold them.</summary>
    public IReadOnlyList<NewDelivery> Scheduled => _scheduled;

    public Task<IReadOnlyList<BuddyRow>> ChangeBuddiesAsync(
        BuddyPoolKey pool,
        BuddyMembership membership,
        Func<IReadOnlyList<BuddyRow>, IReadOnlyList<BuddyAssignment>> decide,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        if (membership.Leaves is { } leaving)
        {
            _buddies.RemoveAll(entry => entry.Row.EnrolmentId == leaving);
        }

        if (membership.Joins is { } joining && _buddies.TrueForAll(entry => entry.Row.EnrolmentId != joining))
        {
            _buddies.Add((pool, new BuddyRow(joining, _enrolments.First(row => row.Id == joining).MemberId, null, now, null)));
        }

        foreach (var assignment in decide(Pool(pool)))
        {
            var index = _buddies.FindIndex(entry => entry.Pool == pool && entry.Row.EnrolmentId == assignment.EnrolmentId);
            _buddies[index] = (pool, _buddies[index].Row with { GroupId = assignment.GroupId, PairedAt = assignment.GroupId is null ? null : now });
        }

        return Task.FromResult(Pool(pool));
    }

    public Task<IReadOnlyList<BuddyRow>> GetBuddyPoolAsync(BuddyPoolKey pool, CancellationToken cancellationToken) => Task.FromResult(Pool(pool));

    public Task<bool> ScheduleMessageAsync(NewDelivery delivery, CancellationToken cancellationToken)
    {
        if (_scheduled.Exists(existing => existing.Key == delivery.Key) || _extraReminders.ContainsKey(delivery.Key))
        {
            return Task.FromResult(false);
        }

        _scheduled.Add(delivery);
        return Task.FromResult(true);
    }

    private IReadOnlyList<BuddyRow> Pool(BuddyPoolKey pool) =>
        [.. _buddies.Where(entry => entry.Pool == pool).Select(entry => entry.Row).OrderBy(row => row.JoinedAt).ThenBy(row => row.EnrolmentId)];

    public Task<IReadOnlyList<ReplanRow>> GetReplansAsync(long enrolmentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ReplanRow>>([.. _replans.Where(row => row.EnrolmentId == enrolmentId).OrderBy(row => row.DecidedOn).ThenBy(row => row.Id)]);

    public Task<(ReplanRow Replan, bool IsNew)> SaveReplanAsync(ReplanRow replan, CancellationToken cancellationToken)
    {
        if (_replans.Find(row => row.EnrolmentId == replan.EnrolmentId && row.CheckInWeek == replan.CheckInWeek) is { } existing)
        {
            return Task.FromResult((existing, false));
        }

        _replans.Add(replan with { Id = NextId("replans") });
        return Task.FromResult((_replans[^1], true));
    }

    public async Task StartPausesAsync(IReadOnlyList<PauseStart> pauses, CancellationToken cancellationToken)
    {
        foreach (var pause in pauses)
        {
            _pauses.Add(new PauseRow(NextId("pauses"), pause.EnrolmentId, pause.StartedOn, pause.UntilOn, null));
            await UpdateEnrolment(pause.EnrolmentId, row => row with { State = EnrolmentState.Paused });
            await SetNextRunsAsync(pause.EnrolmentId, pause.NextRuns, cancellationToken);
        }
    }

    public async Task EndPausesAsync(IReadOnlyList<PauseEnd> pauses, CancellationToken cancellationToken)
    {
        foreach (var end in pauses)
        {
            var index = _pauses.FindIndex(row => row.EnrolmentId == end.EnrolmentId && row.EndedOn is null && (row.UntilOn is null || row.UntilOn > end.EndedOn));
            _pauses[index] = _pauses[index] with { EndedOn = end.EndedOn };
            await UpdateEnrolment(end.EnrolmentId, row => row with { State = EnrolmentState.Active });
            await SetNextRunsAsync(end.EnrolmentId, end.NextRuns, cancellationToken);
        }
    }

    public Task SetNextRunsAsync(long enrolmentId, ScheduledRuns nextRuns, CancellationToken cancellationToken) =>
        UpdateEnrolment(enrolmentId, row => row with { NextReminderAt = nextRuns.NextReminderAt, NextCheckInAt = nextRuns.NextCheckInAt });

    public Task SaveCheckInAsync(CheckInAnswer answer, CancellationToken cancellationToken)
    {
        var index = _checkIns.FindIndex(row => row.EnrolmentId == answer.EnrolmentId && row.Week == answer.Week);
        if (index < 0)
        {
            _checkIns.Add(answer);
        }
        else
        {
            _checkIns[index] = answer with { Status = answer.Status ?? _checkIns[index].Status, Note = answer.Note ?? _checkIns[index].Note };
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CheckInAnswer>> GetCheckInsAsync(long enrolmentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CheckInAnswer>>([.. _checkIns.Where(row => row.EnrolmentId == enrolmentId)]);

    public Task<ServerSettings?> GetServerSettingsAsync(string platform, string guildId, CancellationToken cancellationToken) =>
        Task.FromResult(_servers.FirstOrDefault(row => row.Platform == platform && row.GuildId == guildId));

    public Task SetGroupChannelAsync(string platform, string guildId, string? channelId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = _servers.Find(row => row.Platform == platform && row.GuildId == guildId);
        _servers.RemoveAll(row => row.Platform == platform && row.GuildId == guildId);
        _servers.Add((existing ?? new ServerSettings(platform, guildId, null)) with { GroupChannelId = channelId, GroupChannelBrokenAt = null, GroupChannelProblem = null });
        return Task.CompletedTask;
    }

    public Task SaveServerScheduleAsync(
        string platform, string guildId, string? defaultTimeZoneId, DayOfWeek? digestDay, TimeOnly? digestTime, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = _servers.Find(row => row.Platform == platform && row.GuildId == guildId);
        _servers.RemoveAll(row => row.Platform == platform && row.GuildId == guildId);
        _servers.Add((existing ?? new ServerSettings(platform, guildId, null)) with { DefaultTimeZoneId = defaultTimeZoneId, DigestDay = digestDay, DigestTime = digestTime });
        return Task.CompletedTask;
    }

    private readonly Dictionary<long, (string Hash, DateTimeOffset CreatedAt)> _calendarLinks = [];

    public Task<DateTimeOffset?> GetCalendarLinkCreatedAtAsync(long memberId, CancellationToken cancellationToken) =>
        Task.FromResult(_calendarLinks.TryGetValue(memberId, out var link) ? link.CreatedAt : (DateTimeOffset?)null);

    public Task SaveCalendarLinkAsync(long memberId, string tokenHash, DateTimeOffset now, CancellationToken cancellationToken)
    {
        _calendarLinks[memberId] = (tokenHash, now);
        return Task.CompletedTask;
    }

    public Task<bool> DeleteCalendarLinkAsync(long memberId, CancellationToken cancellationToken) => Task.FromResult(_calendarLinks.Remove(memberId));

    public async Task<MemberRow?> FindMemberByCalendarLinkAsync(string tokenHash, CancellationToken cancellationToken) =>
        _calendarLinks.FirstOrDefault(pair => pair.Value.Hash == tokenHash) is { Value.Hash: not null } found
            ? await GetMemberAsync(found.Key, cancellationToken)
            : null;

    public Task SetDigestChartOffAsync(string platform, string guildId, bool off, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var existing = _servers.Find(row => row.Platform == platform && row.GuildId == guildId);
        _servers.RemoveAll(row => row.Platform == platform && row.GuildId == guildId);
        _servers.Add((existing ?? new ServerSettings(platform, guildId, null)) with { DigestChartOff = off });
        return Task.CompletedTask;
    }

    private readonly Dictionary<DeliveryKey, (DeliveryState State, DateTimeOffset? RemindAt)> _extraReminders = [];

    /// <summary>The extra reminders chosen with the reminder's buttons, by key, as the real store would hold them.</summary>
    public IReadOnlyDictionary<DeliveryKey, (DeliveryState State, DateTimeOffset? RemindAt)> ExtraReminders => _extraReminders;

    public Task<ExtraReminderChoice> ChooseExtraReminderAsync(NewDelivery delivery, CancellationToken cancellationToken)
    {
        var skip = delivery.State == DeliveryState.Skipped;
        if (!_extraReminders.TryGetValue(delivery.Key, out var existing))
        {
            _extraReminders[delivery.Key] = (delivery.State, delivery.NotBefore);
            return Task.FromResult(new ExtraReminderChoice(skip ? ExtraReminderResult.Skipped : ExtraReminderResult.Scheduled, delivery.NotBefore));
        }

        if (skip && existing.State == DeliveryState.Claimed)
        {
            _extraReminders[delivery.Key] = (DeliveryState.Skipped, existing.RemindAt);
            return Task.FromResult(new ExtraReminderChoice(ExtraReminderResult.CalledOff, existing.RemindAt));
        }

        return Task.FromResult(ExtraReminderChoice.Earlier(existing.State, existing.RemindAt));
    }

    /// <summary>Marks the server's group channel as refusing the bot, as the sweep does in the real store when a post is refused.</summary>
    public void MarkGroupChannelBroken(string platform, string guildId, string problem, DateTimeOffset now)
    {
        var index = _servers.FindIndex(row => row.Platform == platform && row.GuildId == guildId);
        _servers[index] = _servers[index] with { GroupChannelBrokenAt = now, GroupChannelProblem = problem };
    }

    /// <summary>Only the sweep sets items aside, and there is none here.</summary>
    public Task<int> CountQuarantinedAsync(string? platform, string? guildId, CancellationToken cancellationToken) => Task.FromResult(0);

    public Task<ServerStats> GetServerStatsAsync(string platform, string guildId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var enrolments = _enrolments.Where(row => row.GuildId == guildId).ToList();
        var ids = enrolments.Select(row => row.Id).ToHashSet();
        return Task.FromResult(new ServerStats(
            enrolments.Select(row => row.MemberId).Distinct().Count(),
            enrolments.Count,
            _events.Count(row => ids.Contains(row.EnrolmentId) && row.Kind == CompletionKind.Done && row.OccurredAt >= since),
            _checkIns.Count(row => ids.Contains(row.EnrolmentId) && row.AnsweredAt >= since),
            MessagesSentSince: 0));
    }

    public async Task<MemberData?> ExportMemberDataAsync(MemberKey member, CancellationToken cancellationToken)
    {
        if (await FindMemberAsync(member, cancellationToken) is not { } row)
        {
            return null;
        }

        var enrolments = _enrolments.Where(enrolment => enrolment.MemberId == row.Id).Select(enrolment => new EnrolmentData(
            enrolment,
            [.. _events.Where(e => e.EnrolmentId == enrolment.Id)],
            [.. _pauses.Where(p => p.EnrolmentId == enrolment.Id)],
            [.. _checkIns.Where(c => c.EnrolmentId == enrolment.Id)])
        {
            Replans = [.. _replans.Where(r => r.EnrolmentId == enrolment.Id)],
            Buddy = _buddies.Where(b => b.Row.EnrolmentId == enrolment.Id).Select(b => b.Row).FirstOrDefault(),
        });
        return new MemberData(row, _settings.GetValueOrDefault(row.Id, ReminderSettings.Default), [.. enrolments]);
    }

    public async Task<bool> DeleteMemberDataAsync(MemberKey member, CancellationToken cancellationToken)
    {
        if (await FindMemberAsync(member, cancellationToken) is not { } row)
        {
            return false;
        }

        foreach (var enrolment in _enrolments.Where(enrolment => enrolment.MemberId == row.Id).ToList())
        {
            await DeleteEnrolmentAsync(enrolment.Id, cancellationToken);
        }

        _settings.Remove(row.Id);
        _members.Remove(row);
        return true;
    }

    private long NextId(string table) => _lastIds[table] = _lastIds.GetValueOrDefault(table) + 1;

    private Task UpdateMember(long memberId, Func<MemberRow, MemberRow> change)
    {
        var index = _members.FindIndex(row => row.Id == memberId);
        if (index >= 0)
        {
            _members[index] = change(_members[index]);
        }

        return Task.CompletedTask;
    }

    private Task UpdateEnrolment(long enrolmentId, Func<EnrolmentRow, EnrolmentRow> change)
    {
        var index = _enrolments.FindIndex(row => row.Id == enrolmentId);
        if (index >= 0)
        {
            _enrolments[index] = change(_enrolments[index]);
        }

        return Task.CompletedTask;
    }
}
