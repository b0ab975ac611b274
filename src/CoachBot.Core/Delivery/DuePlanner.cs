using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
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
/// <see cref="SlotOutcome.Send"/> and <see cref="SlotOutcome.SkipLate"/>; <see cref="Message"/> only for Send.
/// </summary>
public sealed record SlotPlan(
    ScheduledKind Slot,
    DateTimeOffset DueAt,
    DateTimeOffset? NextAt,
    SlotOutcome Outcome,
    DeliveryKey? Key,
    Reply? Message);

/// <summary>The weekly digest slot of a server: which Monday 09:00 it is for, and whether it is still worth posting.</summary>
public sealed record DigestSlot(DateTimeOffset DueAt, string Period, bool Due);

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

    /// <summary>A reminder, check-in or digest this late or later is skipped rather than sent.</summary>
    public static readonly TimeSpan LateLimit = TimeSpan.FromDays(1);

    /// <summary>The digest goes out Monday 09:00 in <c>Coach:DefaultTimeZone</c>.</summary>
    public static readonly (DayOfWeek Day, TimeOnly Time) DigestSlotTime = (DayOfWeek.Monday, new TimeOnly(9, 0));

    private const int NonceLength = 25;

    /// <summary>
    /// Decides one due slot of an enrolment. <paramref name="snapshot"/> is taken at <paramref name="now"/>;
    /// <paramref name="dueAt"/> is the stored next-run instant (at or before now).
    /// </summary>
    public static SlotPlan PlanSlot(
        ScheduledKind slot,
        DateTimeOffset dueAt,
        EnrolmentSnapshot snapshot,
        ReminderSettings settings,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        var subject = EnrolmentSubject(snapshot.Row.Id);
        var position = snapshot.Position;
        if (slot == ScheduledKind.CheckIn && !settings.CheckInsEnabled)
        {
            // Turned off after this run was stored (the same /remind normally clears it): nothing now, and no next one.
            return new SlotPlan(slot, dueAt, null, SlotOutcome.Nothing, null, null);
        }

        if (position.Stage == ScheduleStage.Finished || snapshot.Progress.IsComplete)
        {
            // Once, whichever slot comes first; then neither slot runs again.
            return new SlotPlan(slot, dueAt, null, SlotOutcome.Send, new DeliveryKey(subject, FinaleKind, "final"), ScheduledMessages.Finale(snapshot));
        }

        var next = WeeklySlot.NextRuns(settings, snapshot.Zone, snapshot.Row.StartDate, snapshot.Pauses, now);
        var nextAt = slot == ScheduledKind.Reminder ? next.NextReminderAt : next.NextCheckInAt;
        if (position.IsPaused || position.Stage == ScheduleStage.NotStarted)
        {
            return new SlotPlan(slot, dueAt, nextAt, SlotOutcome.Nothing, null, null);
        }

        var askedWeek = position.CheckInWeek;
        if (slot == ScheduledKind.CheckIn && askedWeek == 0)
        {
            // Enrolled a day or two before the check-in day: nothing to ask about yet; the first check-in comes next week.
            return new SlotPlan(slot, dueAt, nextAt, SlotOutcome.Nothing, null, null);
        }

        var period = IsoWeek(dueAt, snapshot.Zone);
        var (askedPhase, askedWeekInPhase) = WeekClock.PhaseOfWeek(snapshot.Pathway, Math.Max(1, askedWeek));
        var key = slot == ScheduledKind.Reminder
            ? new DeliveryKey(subject, ReminderKind, period)
            : askedWeekInPhase == askedPhase.Weeks
                ? new DeliveryKey(subject, PhaseCheckInKind, $"phase-{askedPhase.Number.ToString(CultureInfo.InvariantCulture)}")
                : new DeliveryKey(subject, CheckInKind, period);
        if (IsTooLate(dueAt, now))
        {
            return new SlotPlan(slot, dueAt, nextAt, SlotOutcome.SkipLate, key, null);
        }

        var message = key.Kind switch
        {
            ReminderKind => ScheduledMessages.Reminder(snapshot, settings),
            PhaseCheckInKind => ScheduledMessages.PhaseCheckIn(snapshot, askedWeek, settings),
            _ => ScheduledMessages.CheckIn(snapshot, askedWeek, settings),
        };
        return new SlotPlan(slot, dueAt, nextAt, SlotOutcome.Send, key, message);
    }

    /// <summary>
    /// When the enrolment's next check-in that asks something is due: the next check-in slot, or the one after it when
    /// that falls in the first three days of week 1 (nothing to ask about yet, so <see cref="PlanSlot"/> sends nothing).
    /// Null when check-ins are off, while an open-ended pause lasts, or when the planned weeks are over by then.
    /// </summary>
    public static DateTimeOffset? NextCheckInAsked(EnrolmentSnapshot snapshot, ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        var slot = WeeklySlot.NextRuns(settings, snapshot.Zone, snapshot.Row.StartDate, snapshot.Pauses, snapshot.Now).NextCheckInAt;
        for (var tries = 0; tries < 3 && slot is { } at; tries++)
        {
            var position = WeekClock.Locate(snapshot.Pathway, snapshot.Row.StartDate, snapshot.Pauses, WeekClock.LocalDate(at, snapshot.Zone));
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
    public static DigestSlot Digest(TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var dueAt = WeeklySlot.Previous(DigestSlotTime.Day, DigestSlotTime.Time, zone, now);
        return new DigestSlot(dueAt, IsoWeek(dueAt, zone), !IsTooLate(dueAt, now));
    }

    /// <summary>The next digest slot strictly after <paramref name="now"/>.</summary>
    public static DateTimeOffset NextDigestAt(TimeZoneInfo zone, DateTimeOffset now) =>
        WeeklySlot.Next(DigestSlotTime.Day, DigestSlotTime.Time, zone, now);

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
