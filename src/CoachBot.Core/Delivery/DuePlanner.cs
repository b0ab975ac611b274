using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Progress;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Delivery;

/// <summary>What the sweep does with one due slot of an enrolment.</summary>
public enum SlotOutcome
{
    /// <summary>Claim the delivery and send the message.</summary>
    Send,

    /// <summary>More than a day late (the bot was down): record it as skipped; the next reminder carries the overdue tasks.</summary>
    SkipLate,

    /// <summary>Nothing to send (paused, or not started yet); only the next run moves.</summary>
    Nothing,
}

/// <summary>
/// The decision for one due slot. <see cref="DueAt"/> is the stored next-run value the decision was made on (the
/// sweep moves it to <see cref="NextAt"/> only if it is still that value); <see cref="Key"/> is set for
/// <see cref="SlotOutcome.Send"/> and <see cref="SlotOutcome.SkipLate"/>. Nothing is rendered here: the sender renders
/// the message from the key and the state at send time (<see cref="DuePlanner.Render"/>).
/// </summary>
public sealed record SlotPlan(
    ScheduledKind Slot,
    DateTimeOffset DueAt,
    DateTimeOffset? NextAt,
    SlotOutcome Outcome,
    DeliveryKey? Key);

/// <summary>
/// What decides an enrolment's due slot: where the member is in the pathway (start date, pauses, zone) and whether every
/// task is done (the ledger). No progress report, agenda or message is built from it.
/// </summary>
public sealed record SlotFacts(EnrolmentRow Row, Pathway Pathway, IReadOnlyList<PauseRow> Pauses, CompletionLedger Ledger, TimeZoneInfo Zone)
{
    /// <summary>The re-plans chosen, which move the finish (and so the last congratulation) later.</summary>
    public IReadOnlyList<ReplanRow> Replans { get; init; } = [];
}

/// <summary>The weekly digest slot of a server: which Monday 09:00 it is for, and whether it is still worth posting.</summary>
public sealed record DigestSlot(DateTimeOffset DueAt, string Period, bool Due);

/// <summary>When a server's weekly digest goes: its day and time of day in its zone.</summary>
public sealed record DigestSchedule(DayOfWeek Day, TimeOnly Time, TimeZoneInfo Zone)
{
    /// <summary>The bot's default: Monday 09:00 in <paramref name="zone"/> (<c>Coach:DefaultTimeZone</c>).</summary>
    public static DigestSchedule Default(TimeZoneInfo zone) => new(DuePlanner.DigestSlotTime.Day, DuePlanner.DigestSlotTime.Time, zone);

    /// <summary>
    /// The server's own schedule, each part falling back to the default. A stored zone that is no zone (any more) falls
    /// back too, with <paramref name="unknownZone"/> set, so one server's bad row never stops the digests of the others.
    /// </summary>
    public static DigestSchedule For(ServerSettings server, TimeZoneInfo defaultZone, out bool unknownZone)
    {
        ArgumentNullException.ThrowIfNull(server);
        ArgumentNullException.ThrowIfNull(defaultZone);
        var zone = defaultZone;
        unknownZone = server.DefaultTimeZoneId is { } id && !TimeZones.TryFind(id, out zone);
        return new(server.DigestDay ?? DuePlanner.DigestSlotTime.Day, server.DigestTime ?? DuePlanner.DigestSlotTime.Time, zone ?? defaultZone);
    }
}

/// <summary>
/// Which reminders, check-ins, phase check-ins, congratulations and digests are due at <c>now</c>, and under which
/// delivery key. Pure: the sweep loads the rows, asks here, and writes what comes back.
/// </summary>
public static class DuePlanner
{
    public const string ReminderKind = "reminder";
    public const string CheckInKind = "checkin";
    public const string PhaseCheckInKind = "phase-checkin";
    public const string FinaleKind = "finale";
    public const string DigestKind = "digest";

    /// <summary>The one extra reminder of a week a member asked for with the reminder's buttons (<see cref="ExtraReminders"/>).</summary>
    public const string ExtraReminderKind = "snooze";

    /// <summary>A buddy's nudge: its subject is the pair (<c>pair:&lt;enrolment&gt;-&lt;enrolment&gt;</c>), its period the day.</summary>
    public const string NudgeKind = "nudge";

    /// <summary>The enrolment that sent a nudge: the pair's other one.</summary>
    public static long? NudgeSender(DeliveryKey key, long recipientEnrolmentId)
    {
        ArgumentNullException.ThrowIfNull(key);
        var ids = key.Subject.StartsWith("pair:", StringComparison.Ordinal) ? key.Subject["pair:".Length..].Split('-') : [];
        return ids.Length == 2
            && long.TryParse(ids[0], NumberStyles.None, CultureInfo.InvariantCulture, out var first)
            && long.TryParse(ids[1], NumberStyles.None, CultureInfo.InvariantCulture, out var second)
            && (first == recipientEnrolmentId || second == recipientEnrolmentId)
                ? (first == recipientEnrolmentId ? second : first)
                : null;
    }

    /// <summary>A reminder, check-in or digest this late or later is skipped rather than sent.</summary>
    public static readonly TimeSpan LateLimit = TimeSpan.FromDays(1);

    /// <summary>The digest goes out Monday 09:00 in <c>Coach:DefaultTimeZone</c>.</summary>
    public static readonly (DayOfWeek Day, TimeOnly Time) DigestSlotTime = (DayOfWeek.Monday, new TimeOnly(9, 0));

    private const int NonceLength = 25;

    private const string FinalePeriod = "final";

    private const string PhasePeriodPrefix = "phase-";

    /// <summary>
    /// Decides one due slot of an enrolment: which message is due under which key (or that it is skipped, or that nothing
    /// is), and when the slot runs next. <paramref name="dueAt"/> is the stored next-run instant (at or before now).
    /// Cheap: position maths and a count of the tasks done, nothing rendered.
    /// </summary>
    public static SlotPlan DecideSlot(
        ScheduledKind slot,
        DateTimeOffset dueAt,
        SlotFacts facts,
        ReminderSettings settings,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(facts);
        ArgumentNullException.ThrowIfNull(settings);
        var subject = EnrolmentSubject(facts.Row.Id);
        if (slot == ScheduledKind.CheckIn && !settings.CheckInsEnabled)
        {
            // Turned off after this run was stored (the same /remind normally clears it): nothing now, and no next one.
            return new SlotPlan(slot, dueAt, null, SlotOutcome.Nothing, null);
        }

        var position = WeekClock.Locate(facts.Pathway, facts.Row.StartDate, facts.Pauses, WeekClock.LocalDate(now, facts.Zone), facts.Replans);
        if (position.Stage == ScheduleStage.Finished || AllTasksDone(facts.Pathway, facts.Ledger))
        {
            // Once, whichever slot comes first; then neither slot runs again.
            return new SlotPlan(slot, dueAt, null, SlotOutcome.Send, new DeliveryKey(subject, FinaleKind, FinalePeriod));
        }

        var next = WeeklySlot.NextRuns(settings, facts.Zone, facts.Row.StartDate, facts.Pauses, now);
        var nextAt = slot == ScheduledKind.Reminder ? next.NextReminderAt : next.NextCheckInAt;
        if (position.IsPaused || position.Stage == ScheduleStage.NotStarted)
        {
            return new SlotPlan(slot, dueAt, nextAt, SlotOutcome.Nothing, null);
        }

        var askedWeek = position.CheckInWeek;
        if (slot == ScheduledKind.CheckIn && askedWeek == 0)
        {
            // Enrolled a day or two before the check-in day: nothing to ask about yet; the first check-in comes next week.
            return new SlotPlan(slot, dueAt, nextAt, SlotOutcome.Nothing, null);
        }

        var period = IsoWeek(dueAt, facts.Zone);
        var (askedPhase, askedWeekInPhase) = WeekClock.PhaseOfWeek(facts.Pathway, Math.Max(1, askedWeek));
        var key = slot == ScheduledKind.Reminder
            ? new DeliveryKey(subject, ReminderKind, period)
            : askedWeekInPhase == askedPhase.Weeks
                ? new DeliveryKey(subject, PhaseCheckInKind, PhasePeriodPrefix + askedPhase.Number.ToString(CultureInfo.InvariantCulture))
                : new DeliveryKey(subject, CheckInKind, period);
        return new SlotPlan(slot, dueAt, nextAt, IsTooLate(dueAt, now) ? SlotOutcome.SkipLate : SlotOutcome.Send, key);
    }

    /// <summary>
    /// The message of a claimed delivery of an enrolment, rendered from the state at send time (<paramref name="snapshot"/>
    /// is taken just before sending), so a task ticked off or a pause begun after the claim shows. The key says which
    /// message: a reminder shows the week as it is now; a check-in asks about the week the member is in now (as the claim
    /// did, a moment earlier); a phase check-in reviews the phase its key names. Throws for a key it does not know.
    /// </summary>
    public static Reply Render(DeliveryKey key, EnrolmentSnapshot snapshot, ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        return key.Kind switch
        {
            ReminderKind => ScheduledMessages.Reminder(snapshot, settings, ExtraReminders.Buttons(snapshot.Row.Id, key.Period)),
            ExtraReminderKind => ScheduledMessages.ExtraReminder(snapshot, settings),
            CheckInKind => ScheduledMessages.CheckIn(snapshot, Math.Max(1, snapshot.Position.CheckInWeek), settings),
            PhaseCheckInKind => ScheduledMessages.PhaseCheckIn(snapshot, LastWeekOfPhase(snapshot, key.Period), settings),
            FinaleKind => ScheduledMessages.Finale(snapshot),
            _ => throw new ArgumentException($"No message is rendered for deliveries of kind '{key.Kind}'.", nameof(key)),
        };
    }

    /// <summary>
    /// True when a claimed reminder or check-in is no longer wanted at send time because the member paused since the claim
    /// (<c>/pause</c> promises no reminders): it is skipped, as the claim would have done a moment later. The last
    /// congratulation still goes.
    /// </summary>
    public static bool IsHeldByPause(DeliveryKey key, EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(snapshot);
        return key.Kind != FinaleKind && snapshot.Position.IsPaused;
    }

    /// <summary>
    /// The digest of a server rendered at send time from its cohort as it is now; null when nobody is left to show.
    /// <paramref name="period"/> is the digest key's ISO week: the digest covers the week up to that Monday's 09:00.
    /// </summary>
    public static DigestMessage? RenderDigest(IReadOnlyList<DigestEntry> entries, string period, TimeZoneInfo zone) =>
        RenderDigest(entries, period, DigestSchedule.Default(zone));

    /// <summary>As <see cref="RenderDigest(IReadOnlyList{DigestEntry}, string, TimeZoneInfo)"/>, for a server's own digest day, time and zone.</summary>
    public static DigestMessage? RenderDigest(IReadOnlyList<DigestEntry> entries, string period, DigestSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(schedule);
        return entries.Count == 0 ? null : ScheduledMessages.DigestWithLines(entries, DigestDueAt(period, schedule), schedule.Zone);
    }

    /// <summary>The Monday 09:00 (in <paramref name="zone"/>) of an ISO week such as <c>2026-W50</c>: when that week's digest was due.</summary>
    public static DateTimeOffset DigestDueAt(string period, TimeZoneInfo zone) => DigestDueAt(period, DigestSchedule.Default(zone));

    /// <summary>The digest slot of a server's schedule in an ISO week such as <c>2026-W50</c>: when that week's digest was due.</summary>
    public static DateTimeOffset DigestDueAt(string period, DigestSchedule schedule)
    {
        ArgumentNullException.ThrowIfNull(period);
        ArgumentNullException.ThrowIfNull(schedule);
        var parts = period.Split("-W");
        if (parts.Length != 2
            || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var year)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var week)
            || year is < 1 or > 9998 || week < 1 || week > ISOWeek.GetWeeksInYear(year))
        {
            throw new ArgumentException($"'{period}' is not an ISO week such as 2026-W50.", nameof(period));
        }

        return WeeklySlot.ToInstant(ISOWeek.ToDateTime(year, week, schedule.Day).Add(schedule.Time.ToTimeSpan()), schedule.Zone);
    }

    private static bool AllTasksDone(Pathway pathway, CompletionLedger ledger)
    {
        foreach (var phase in pathway.Phases)
        {
            foreach (var task in phase.Tasks)
            {
                if (!ledger.IsDone(task.Id))
                {
                    return false;
                }
            }
        }

        return true;
    }

    /// <summary>The overall week a phase check-in asks about (its phase's last week); the week the member is in when the phase is gone from the file.</summary>
    private static int LastWeekOfPhase(EnrolmentSnapshot snapshot, string period)
    {
        var weeks = 0;
        foreach (var phase in snapshot.Pathway.Phases)
        {
            weeks += phase.Weeks;
            if (PhasePeriodPrefix + phase.Number.ToString(CultureInfo.InvariantCulture) == period)
            {
                return weeks;
            }
        }

        return Math.Max(1, snapshot.Position.CheckInWeek);
    }

    /// <summary>
    /// When the enrolment's next check-in that asks something is due: the next check-in slot, or the one after it when
    /// that falls in the first three days of week 1 (nothing to ask about yet, so <see cref="DecideSlot"/> sends nothing).
    /// Null when check-ins are off, while an open-ended pause lasts, or when the planned weeks are over by then.
    /// </summary>
    public static DateTimeOffset? NextCheckInAsked(EnrolmentSnapshot snapshot, ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        var slot = WeeklySlot.NextRuns(settings, snapshot.Zone, snapshot.Row.StartDate, snapshot.Pauses, snapshot.Now).NextCheckInAt;
        for (var tries = 0; tries < 3 && slot is { } at; tries++)
        {
            var position = WeekClock.Locate(snapshot.Pathway, snapshot.Row.StartDate, snapshot.Pauses, WeekClock.LocalDate(at, snapshot.Zone), snapshot.Replans);
            if (position.Stage == ScheduleStage.Finished)
            {
                return null;
            }

            if (position.Stage == ScheduleStage.InProgress && !position.IsPaused && position.CheckInWeek > 0)
            {
                return at;
            }

            slot = at >= SafeDates.PlanningHorizon ? null : WeeklySlot.Next(settings.CheckInDay, settings.CheckInTime, snapshot.Zone, at);
        }

        return null;
    }

    /// <summary>The latest digest slot at or before <paramref name="now"/>, and whether it is less than a day old.</summary>
    public static DigestSlot Digest(TimeZoneInfo zone, DateTimeOffset now) => Digest(DigestSchedule.Default(zone), now);

    /// <summary>
    /// The latest slot of a server's digest schedule at or before <paramref name="now"/>, and whether it is less than a
    /// day old. Its period is the ISO week of that slot in the schedule's zone: one digest per server and week, also
    /// when the organiser moves the day or time within a week.
    /// </summary>
    public static DigestSlot Digest(DigestSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        var dueAt = WeeklySlot.Previous(schedule.Day, schedule.Time, schedule.Zone, now);
        return new DigestSlot(dueAt, IsoWeek(dueAt, schedule.Zone), !IsTooLate(dueAt, now));
    }

    /// <summary>The next digest slot strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextDigestAt(TimeZoneInfo zone, DateTimeOffset now) => NextDigestAt(DigestSchedule.Default(zone), now);

    public static DateTimeOffset NextDigestAt(DigestSchedule schedule, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(schedule);
        return WeeklySlot.Next(schedule.Day, schedule.Time, schedule.Zone, now);
    }

    public static bool IsTooLate(DateTimeOffset dueAt, DateTimeOffset now) => now - dueAt >= LateLimit;

    /// <summary>The ISO week of an instant in a zone, e.g. <c>2026-W49</c>: one reminder and one check-in per member and week.</summary>
    public static string IsoWeek(DateTimeOffset instant, TimeZoneInfo zone)
    {
        var date = TimeZoneInfo.ConvertTime(instant, zone).DateTime;
        return string.Create(CultureInfo.InvariantCulture, $"{ISOWeek.GetYear(date)}-W{ISOWeek.GetWeekOfYear(date):00}");
    }

    public static string EnrolmentSubject(long enrolmentId) => string.Create(CultureInfo.InvariantCulture, $"enrolment:{enrolmentId}");

    public static string ServerSubject(string platform, string guildId) => $"server:{platform}:{guildId}";

    /// <summary>
    /// The platform nonce of a delivery: 25 characters (Discord's maximum) derived from the key only, so every retry of the
    /// same message carries the same nonce and the platform can drop a second copy.
    /// </summary>
    public static string Nonce(DeliveryKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes($"{key.Subject}\n{key.Kind}\n{key.Period}"));
        return Convert.ToHexStringLower(hash)[..NonceLength];
    }
}
