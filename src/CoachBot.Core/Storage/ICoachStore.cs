namespace CoachBot.Core.Storage;

/// <summary>
/// Durable state of the coaching as the commands see it: members, enrolments, completion events, pauses, settings,
/// check-ins and server settings. The scheduler's side of the same database (due enrolments, claims, the outbox and
/// its quarantine) is <see cref="IDeliveryOutbox"/>. Instants are UTC. Methods that change several rows do so atomically.
/// </summary>
public interface ICoachStore
{
    /// <summary>Creates the member on first sight, else updates their display name; returns the stored row.</summary>
    Task<MemberRow> UpsertMemberAsync(MemberKey member, string displayName, DateTimeOffset now, CancellationToken cancellationToken);

    Task<MemberRow?> FindMemberAsync(MemberKey member, CancellationToken cancellationToken);

    Task<MemberRow?> GetMemberAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>Records (or, with null, clears) that the member's DMs are closed.</summary>
    Task SetDmClosedAsync(long memberId, DateTimeOffset? closedAt, CancellationToken cancellationToken);

    /// <summary>Caches the platform's DM channel id for the member.</summary>
    Task SetDmChannelAsync(long memberId, string? channelId, CancellationToken cancellationToken);

    /// <summary>The member's settings, or <see cref="ReminderSettings.Default"/> when none are stored.</summary>
    Task<ReminderSettings> GetReminderSettingsAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>Saves the settings, the member's time zone and the recomputed next runs of their enrolments, at once.</summary>
    Task SaveReminderSettingsAsync(
        long memberId,
        ReminderSettings settings,
        string? timeZoneId,
        IReadOnlyDictionary<long, ScheduledRuns> nextRuns,
        CancellationToken cancellationToken);

    /// <summary>Creates an enrolment, also setting the member's time zone when one is given.</summary>
    Task<EnrolmentRow> CreateEnrolmentAsync(
        long memberId,
        string guildId,
        string pathwayId,
        DateOnly startDate,
        string? timeZoneId,
        ScheduledRuns nextRuns,
        DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>
    /// Creates an enrolment and re-times the member's other enrolments (a new time zone moves their reminders too).
    /// Stores with transactions override this so that a failure part-way leaves nothing changed; this default does it in steps.
    /// </summary>
    async Task<EnrolmentRow> CreateEnrolmentAsync(
        long memberId,
        string guildId,
        string pathwayId,
        DateOnly startDate,
        string? timeZoneId,
        ScheduledRuns nextRuns,
        IReadOnlyDictionary<long, ScheduledRuns> retimedEnrolments,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(retimedEnrolments);
        var row = await CreateEnrolmentAsync(memberId, guildId, pathwayId, startDate, timeZoneId, nextRuns, now, cancellationToken);
        foreach (var (enrolmentId, runs) in retimedEnrolments)
        {
            await SetNextRunsAsync(enrolmentId, runs, cancellationToken);
        }

        return row;
    }

    Task<EnrolmentRow?> GetEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken);

    /// <summary>The member's enrolments, oldest first.</summary>
    Task<IReadOnlyList<EnrolmentRow>> GetEnrolmentsAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>Every enrolment made from one server, with its member.</summary>
    Task<IReadOnlyList<MemberEnrolment>> GetServerEnrolmentsAsync(string platform, string guildId, CancellationToken cancellationToken);

    /// <summary>
    /// Everything the cohort views (<c>/group</c>, the weekly digest, the dashboard) render from for one server: each
    /// enrolment made there (<paramref name="platform"/> and <paramref name="guildId"/>; a DM scope is no server's, and
    /// the same guild id on another platform is another server) with its member, pauses, completion events and
    /// check-ins, in the order of <see cref="GetServerEnrolmentsAsync"/>, each list in the order of the per-enrolment
    /// reads. Read in a fixed number of queries whatever the member count, from one snapshot of the data.
    /// </summary>
    Task<IReadOnlyList<CohortEnrolment>> GetCohortAsync(string platform, string guildId, CancellationToken cancellationToken);

    /// <summary>Deletes the enrolment and everything that hangs off it (completions, pauses, check-ins, deliveries).</summary>
    Task DeleteEnrolmentAsync(long enrolmentId, CancellationToken cancellationToken);

    Task AppendCompletionAsync(
        long enrolmentId,
        string pathwayId,
        string taskId,
        CompletionKind kind,
        DateTimeOffset occurredAt,
        CancellationToken cancellationToken) =>
        AppendCompletionAsync(enrolmentId, pathwayId, taskId, kind, occurredAt, note: null, link: null, cancellationToken);

    /// <summary>Records a completion with the member's evidence: a short note and/or a link (both optional).</summary>
    Task AppendCompletionAsync(
        long enrolmentId,
        string pathwayId,
        string taskId,
        CompletionKind kind,
        DateTimeOffset occurredAt,
        string? note,
        string? link,
        CancellationToken cancellationToken);

    /// <summary>The enrolment's completion events in the order they happened.</summary>
    Task<IReadOnlyList<CompletionEvent>> GetCompletionEventsAsync(long enrolmentId, CancellationToken cancellationToken);

    Task<IReadOnlyList<PauseRow>> GetPausesAsync(long enrolmentId, CancellationToken cancellationToken);

    /// <summary>The enrolment's re-plans in the order decided.</summary>
    Task<IReadOnlyList<ReplanRow>> GetReplansAsync(long enrolmentId, CancellationToken cancellationToken);

    /// <summary>
    /// Records a re-plan chosen at a check-in, unless one is already recorded for the same enrolment and check-in week;
    /// returns the one that stands (this one, or the earlier choice) and whether it is this one.
    /// </summary>
    Task<(ReplanRow Replan, bool IsNew)> SaveReplanAsync(ReplanRow replan, CancellationToken cancellationToken);

    /// <summary>Starts a pause of each given enrolment (state, pause row and next runs), all at once.</summary>
    Task StartPausesAsync(IReadOnlyList<PauseStart> pauses, CancellationToken cancellationToken);

    /// <summary>Ends the open pause of each given enrolment on the given day and sets its next runs, all at once.</summary>
    Task EndPausesAsync(IReadOnlyList<PauseEnd> pauses, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the enrolment's next reminder and check-in. Here, not in <see cref="IDeliveryOutbox"/>, because the default
    /// <see cref="CreateEnrolmentAsync(long, string, string, DateOnly, string?, ScheduledRuns, IReadOnlyDictionary{long, ScheduledRuns}, DateTimeOffset, CancellationToken)"/>
    /// re-times the member's other enrolments with it.
    /// </summary>
    Task SetNextRunsAsync(long enrolmentId, ScheduledRuns nextRuns, CancellationToken cancellationToken);

    /// <summary>Stores the answer for that week, replacing an earlier one (a note-only answer keeps the earlier status).</summary>
    Task SaveCheckInAsync(CheckInAnswer answer, CancellationToken cancellationToken);

    Task<IReadOnlyList<CheckInAnswer>> GetCheckInsAsync(long enrolmentId, CancellationToken cancellationToken);

    Task<ServerSettings?> GetServerSettingsAsync(string platform, string guildId, CancellationToken cancellationToken);

    /// <summary>Sets (or unsets) the group channel; also clears a broken mark, so the next scheduled message tries it.</summary>
    Task SetGroupChannelAsync(string platform, string guildId, string? channelId, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// Sets the server's own digest zone, day and time (null: the bot's default for each), creating its settings when
    /// it has none; the group channel and its broken mark stay as they are.
    /// </summary>
    Task SaveServerScheduleAsync(
        string platform, string guildId, string? defaultTimeZoneId, DayOfWeek? digestDay, TimeOnly? digestTime, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>When the member's calendar feed link was made, or null when they have none.</summary>
    Task<DateTimeOffset?> GetCalendarLinkCreatedAtAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>Keeps the hash of the member's new calendar feed token, replacing (and so revoking) any earlier one.</summary>
    Task SaveCalendarLinkAsync(long memberId, string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Revokes the member's calendar feed link; false when they had none.</summary>
    Task<bool> DeleteCalendarLinkAsync(long memberId, CancellationToken cancellationToken);

    /// <summary>The member whose calendar feed token has this hash, or null.</summary>
    Task<MemberRow?> FindMemberByCalendarLinkAsync(string tokenHash, CancellationToken cancellationToken);

    /// <summary>
    /// Turns the chart attached to the server's weekly digest off (<paramref name="off"/> true) or back on, creating its
    /// settings when it has none; everything else stays as it is.
    /// </summary>
    Task SetDigestChartOffAsync(string platform, string guildId, bool off, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>
    /// The member's choice on a weekly reminder's Remind me tomorrow / In 3 days / Skip this week buttons; one per
    /// enrolment and week, <paramref name="delivery"/>'s key. A claimed <paramref name="delivery"/> is the extra reminder,
    /// first tried at its <see cref="NewDelivery.NotBefore"/> by the outbox, which sends it exactly once; a skipped one
    /// records the skip and calls off an extra reminder of that week that is not sent yet. Any other earlier choice stays.
    /// </summary>
    Task<ExtraReminderChoice> ChooseExtraReminderAsync(NewDelivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// Changes a buddy pool atomically: applies <paramref name="membership"/> (a join is kept from <paramref name="now"/>),
    /// reads the pool as it then is, asks <paramref name="decide"/> for the new groups (pure: it may be called on the pool
    /// as read under the lock only), stores them (groups formed at <paramref name="now"/>), and returns the pool after.
    /// Two members joining at once, in one process or two, are placed one after the other.
    /// </summary>
    Task<IReadOnlyList<BuddyRow>> ChangeBuddiesAsync(
        BuddyPoolKey pool,
        BuddyMembership membership,
        Func<IReadOnlyList<BuddyRow>, IReadOnlyList<BuddyAssignment>> decide,
        DateTimeOffset now,
        CancellationToken cancellationToken);

    /// <summary>The pool as it is (the opt-ins of one pathway on one server), oldest opt-in first.</summary>
    Task<IReadOnlyList<BuddyRow>> GetBuddyPoolAsync(BuddyPoolKey pool, CancellationToken cancellationToken);

    /// <summary>
    /// A message a member's button asks for (a buddy's nudge), claimed for the outbox, which sends it exactly once, first
    /// at <see cref="NewDelivery.NotBefore"/>; false (and nothing changes) when one with the same key exists.
    /// </summary>
    Task<bool> ScheduleMessageAsync(NewDelivery delivery, CancellationToken cancellationToken);

    /// <summary>
    /// Items set aside for one server (<paramref name="platform"/> and <paramref name="guildId"/>), or everywhere when both are null.
    /// Here, not in <see cref="IDeliveryOutbox"/>, because <c>/coach stats</c> shows it; the sweep counts it for the health file.
    /// </summary>
    Task<int> CountQuarantinedAsync(string? platform, string? guildId, CancellationToken cancellationToken);

    Task<ServerStats> GetServerStatsAsync(string platform, string guildId, DateTimeOffset since, CancellationToken cancellationToken);

    /// <summary>Everything stored about the member, or null when nothing is.</summary>
    Task<MemberData?> ExportMemberDataAsync(MemberKey member, CancellationToken cancellationToken);

    /// <summary>
    /// Deletes every row about the member and takes them out of every stored message that showed them to others (the
    /// digests, claimed or sent: their lines redacted); false when there was no member.
    /// </summary>
    Task<bool> DeleteMemberDataAsync(MemberKey member, CancellationToken cancellationToken);
}

public sealed record PauseStart(long EnrolmentId, DateOnly StartedOn, DateOnly? UntilOn, ScheduledRuns NextRuns);

public sealed record PauseEnd(long EnrolmentId, DateOnly EndedOn, ScheduledRuns NextRuns);
