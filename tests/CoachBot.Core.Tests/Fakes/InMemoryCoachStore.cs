using CoachBot.Core.Storage;

namespace CoachBot.Core.Tests.Fakes;

/// <summary>A hand-written in-memory <see cref="ICoachStore"/> for Core tests (the SQLite one is tested in CoachBot.Tests).</summary>
internal sealed class InMemoryCoachStore : ICoachStore, IDeliveryOutbox
{
    private readonly List<MemberRow> _members = [];
    private readonly Dictionary<long, ReminderSettings> _settings = [];
    private readonly List<EnrolmentRow> _enrolments = [];
    private readonly List<CompletionEvent> _events = [];
    private readonly List<PauseRow> _pauses = [];
    private readonly List<CheckInAnswer> _checkIns = [];
    private readonly List<ServerSettings> _servers = [];
    private readonly List<DeliveryRow> _deliveries = [];
    private readonly Dictionary<long, (NewDelivery Claim, DateTimeOffset? NextAttemptAt)> _outbox = [];
    private readonly Dictionary<string, long> _lastIds = [];
    private readonly Dictionary<(string Subject, string Slot), (QuarantineFailure Failure, QuarantinedItem Item)> _quarantine = [];

    public IReadOnlyList<CompletionEvent> Events => _events;

    public int RowCount => _members.Count + _settings.Count + _enrolments.Count + _events.Count + _pauses.Count + _checkIns.Count + _deliveries.Count;

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

    public Task DeleteEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        _enrolments.RemoveAll(row => row.Id == enrolmentId);
        _events.RemoveAll(row => row.EnrolmentId == enrolmentId);
        _pauses.RemoveAll(row => row.EnrolmentId == enrolmentId);
        _checkIns.RemoveAll(row => row.EnrolmentId == enrolmentId);
        _deliveries.RemoveAll(row => row.EnrolmentId == enrolmentId);
        return Task.CompletedTask;
    }

    public Task AppendCompletionAsync(long enrolmentId, string pathwayId, string taskId, CompletionKind kind, DateTimeOffset occurredAt, CancellationToken cancellationToken)
    {
        _events.Add(new CompletionEvent(NextId("events"), enrolmentId, pathwayId, taskId, kind, occurredAt));
        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<CompletionEvent>> GetCompletionEventsAsync(long enrolmentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<CompletionEvent>>([.. _events.Where(row => row.EnrolmentId == enrolmentId)]);

    public Task<IReadOnlyList<PauseRow>> GetPausesAsync(long enrolmentId, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<PauseRow>>([.. _pauses.Where(row => row.EnrolmentId == enrolmentId)]);

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

    public Task<IReadOnlyList<DueEnrolment>> GetDueEnrolmentsAsync(ScheduledKind kind, DateTimeOffset now, int limit, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<DueEnrolment>>([.. _enrolments
            .Select(row => (Row: row, At: kind == ScheduledKind.Reminder ? row.NextReminderAt : row.NextCheckInAt))
            .Where(entry => entry.At <= now)
            .OrderBy(entry => entry.At)
            .ThenBy(entry => entry.Row.Id)
            .Take(limit)
            .Select(entry => new DueEnrolment(
                entry.Row,
                _members.First(member => member.Id == entry.Row.MemberId),
                _settings.GetValueOrDefault(entry.Row.MemberId, ReminderSettings.Default),
                [.. _pauses.Where(pause => pause.EnrolmentId == entry.Row.Id)],
                [.. _events.Where(row => row.EnrolmentId == entry.Row.Id)]))]);

    public Task<IReadOnlyList<MemberRow>> GetMembersAsync(IReadOnlyCollection<long> memberIds, CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<MemberRow>>([.. _members.Where(row => memberIds.Contains(row.Id))]);

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
        _servers.RemoveAll(row => row.Platform == platform && row.GuildId == guildId);
        _servers.Add(new ServerSettings(platform, guildId, channelId));
        return Task.CompletedTask;
    }

    public Task<bool> MarkGroupChannelBrokenAsync(string platform, string guildId, string channelId, string problem, DateTimeOffset now, CancellationToken cancellationToken)
    {
        var index = _servers.FindIndex(row => row.Platform == platform && row.GuildId == guildId && row.GroupChannelId == channelId && row.GroupChannelBrokenAt is null);
        if (index < 0)
        {
            return Task.FromResult(false);
        }

        _servers[index] = _servers[index] with { GroupChannelBrokenAt = now, GroupChannelProblem = problem };
        return Task.FromResult(true);
    }

    public Task<IReadOnlyList<ServerSettings>> GetServersWithGroupChannelAsync(CancellationToken cancellationToken) =>
        Task.FromResult<IReadOnlyList<ServerSettings>>([.. _servers.Where(row => row.GroupChannelId is not null)]);

    public Task<bool> TryClaimDeliveryAsync(NewDelivery delivery, CancellationToken cancellationToken) => Task.FromResult(Insert(delivery));

    public Task<int> ClaimSlotsAsync(IReadOnlyList<SlotClaim> claims, CancellationToken cancellationToken)
    {
        var written = 0;
        foreach (var claim in claims)
        {
            var index = _enrolments.FindIndex(row => row.Id == claim.EnrolmentId);
            var current = index < 0 ? null : claim.Slot == ScheduledKind.Reminder ? _enrolments[index].NextReminderAt : _enrolments[index].NextCheckInAt;
            if (current != claim.ExpectedAt)
            {
                continue;
            }

            _enrolments[index] = claim.Slot == ScheduledKind.Reminder
                ? _enrolments[index] with { NextReminderAt = claim.NextAt }
                : _enrolments[index] with { NextCheckInAt = claim.NextAt };
            _quarantine.Remove(($"enrolment:{claim.EnrolmentId}", claim.Slot == ScheduledKind.Reminder ? "reminder" : "checkin"));
            written += claim.Delivery is { } delivery && Insert(delivery) ? 1 : 0;
        }

        return Task.FromResult(written);
    }

    public Task<IReadOnlyList<PendingDelivery>> LeaseDeliveriesAsync(DateTimeOffset now, DateTimeOffset leaseUntil, int limit, CancellationToken cancellationToken)
    {
        var due = _deliveries
            .Where(row => row.State == DeliveryState.Claimed && _outbox[row.Id].NextAttemptAt <= now)
            .OrderBy(row => _outbox[row.Id].NextAttemptAt)
            .ThenBy(row => row.Id)
            .Take(limit)
            .ToList();
        foreach (var row in due)
        {
            _outbox[row.Id] = (_outbox[row.Id].Claim, leaseUntil);
        }

        return Task.FromResult<IReadOnlyList<PendingDelivery>>([.. due.Select(row => new PendingDelivery(
            row.Id, row.Key, row.MemberId, row.EnrolmentId, row.Nonce, row.Attempts,
            _outbox[row.Id].Claim.Payload, _outbox[row.Id].Claim.Platform, _outbox[row.Id].Claim.GuildId))]);
    }

    public Task RecordDeliveryOutcomesAsync(IReadOnlyList<DeliveryAttempt> attempts, CancellationToken cancellationToken)
    {
        foreach (var attempt in attempts)
        {
            var index = _deliveries.FindIndex(row => row.Id == attempt.DeliveryId);
            _outbox[attempt.DeliveryId] = (_outbox[attempt.DeliveryId].Claim, attempt.NextAttemptAt);
            _deliveries[index] = _deliveries[index] with
            {
                State = attempt.State,
                Attempts = _deliveries[index].Attempts + 1,
                LastError = attempt.ErrorMessage,
                SentAt = attempt.State == DeliveryState.Sent ? attempt.At : _deliveries[index].SentAt,
            };
        }

        return Task.CompletedTask;
    }

    public Task<DateTimeOffset> QuarantineAsync(QuarantineFailure failure, QuarantineBackOff backOff, CancellationToken cancellationToken)
    {
        var key = (failure.Subject, failure.Slot);
        var failures = (_quarantine.TryGetValue(key, out var earlier) ? earlier.Item.Failures : 0) + 1;
        var retryAt = backOff.RetryAt(failure.At, failures);
        _quarantine[key] = (failure, new QuarantinedItem(failure.Subject, failure.Slot, failures, earlier.Item?.FirstFailedAt ?? failure.At, retryAt, failure.Error));
        var index = failure.EnrolmentId is { } id ? _enrolments.FindIndex(row => row.Id == id) : -1;
        if (index >= 0 && failure.Slot == "reminder" && _enrolments[index].NextReminderAt == failure.ExpectedAt)
        {
            _enrolments[index] = _enrolments[index] with { NextReminderAt = retryAt };
        }
        else if (index >= 0 && failure.Slot == "checkin" && _enrolments[index].NextCheckInAt == failure.ExpectedAt)
        {
            _enrolments[index] = _enrolments[index] with { NextCheckInAt = retryAt };
        }

        return Task.FromResult(retryAt);
    }

    public Task<QuarantinedItem?> GetQuarantinedAsync(string subject, string slot, CancellationToken cancellationToken) =>
        Task.FromResult(_quarantine.TryGetValue((subject, slot), out var entry) ? entry.Item : null);

    public Task ReleaseQuarantineAsync(string subject, string slot, CancellationToken cancellationToken)
    {
        _quarantine.Remove((subject, slot));
        return Task.CompletedTask;
    }

    public Task<int> CountQuarantinedAsync(string? platform, string? guildId, CancellationToken cancellationToken) =>
        Task.FromResult(_quarantine.Values.Count(entry =>
            (platform is null || (entry.Failure.Platform == platform && entry.Failure.GuildId == guildId))
            && (entry.Failure.EnrolmentId is not { } id || _enrolments.Any(row => row.Id == id))));

    public Task<DateTimeOffset?> GetNextScheduledAtAsync(CancellationToken cancellationToken) =>
        Task.FromResult(_enrolments.Select(row => row.NextReminderAt)
            .Concat(_enrolments.Select(row => row.NextCheckInAt))
            .Concat(_deliveries.Where(row => row.State == DeliveryState.Claimed).Select(row => _outbox[row.Id].NextAttemptAt))
            .Min());

    private bool Insert(NewDelivery delivery)
    {
        if (_deliveries.Any(row => row.Key == delivery.Key))
        {
            return false;
        }

        var id = NextId("deliveries");
        _deliveries.Add(new DeliveryRow(id, delivery.Key, delivery.MemberId, delivery.EnrolmentId, delivery.Nonce, delivery.State, delivery.ClaimedAt, null, 0, null));
        _outbox[id] = (delivery, delivery.State == DeliveryState.Claimed ? delivery.ClaimedAt : null);
        return true;
    }

    public Task<DeliveryRow?> GetDeliveryAsync(DeliveryKey key, CancellationToken cancellationToken) =>
        Task.FromResult(_deliveries.FirstOrDefault(row => row.Key == key));

    public Task<ServerStats> GetServerStatsAsync(string platform, string guildId, DateTimeOffset since, CancellationToken cancellationToken)
    {
        var enrolments = _enrolments.Where(row => row.GuildId == guildId).ToList();
        var ids = enrolments.Select(row => row.Id).ToHashSet();
        return Task.FromResult(new ServerStats(
            enrolments.Select(row => row.MemberId).Distinct().Count(),
            enrolments.Count,
            _events.Count(row => ids.Contains(row.EnrolmentId) && row.Kind == CompletionKind.Done && row.OccurredAt >= since),
            _checkIns.Count(row => ids.Contains(row.EnrolmentId) && row.AnsweredAt >= since),
            _deliveries.Count(row => row.EnrolmentId is { } id && ids.Contains(id) && row.SentAt >= since)));
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
            [.. _checkIns.Where(c => c.EnrolmentId == enrolment.Id)]));
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

        _deliveries.RemoveAll(delivery => delivery.MemberId == row.Id);
        _settings.Remove(row.Id);
        _members.Remove(row);
        return true;
    }

    public Task<OutboxPruned> PruneOutboxAsync(DateTimeOffset dropTextBefore, DateTimeOffset deleteBefore, int batchSize, int maxBatches, CancellationToken cancellationToken)
    {
        var finished = _deliveries.Where(row => row.State != DeliveryState.Claimed).ToList();
        var dropped = 0;
        foreach (var row in finished.Where(row => (row.SentAt ?? row.ClaimedAt) < dropTextBefore && _outbox[row.Id].Claim.Payload is not null))
        {
            _outbox[row.Id] = (_outbox[row.Id].Claim with { Payload = null, MemberLines = null }, _outbox[row.Id].NextAttemptAt);
            dropped++;
        }

        var deleted = _deliveries.RemoveAll(row => row.State != DeliveryState.Claimed && row.ClaimedAt < deleteBefore);
        return Task.FromResult(new OutboxPruned(dropped, deleted));
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
