using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Delivery;

/// <summary>
/// The weekly reminder's Remind me tomorrow / In 3 days / Skip this week buttons: one extra reminder of the week at the
/// member's reminder time of day, a number of days on in their zone, or none. The weekly reminders stay as they are. Pure.
/// </summary>
public static class ExtraReminders
{
    /// <summary>The buttons' action ids: <c>snooze:&lt;enrolment&gt;:&lt;ISO week&gt;:&lt;1|3|skip&gt;</c>.</summary>
    public const string ActionPrefix = "snooze";

    public const string SkipArgument = "skip";

    /// <summary>The days "Remind me tomorrow" and "In 3 days" stand for.</summary>
    public static readonly IReadOnlyList<int> Choices = [1, 3];

    /// <summary>How many buttons <see cref="Buttons"/> gives: one per choice of days, and Skip this week. They end the reminder.</summary>
    public static int ButtonCount => Choices.Count + 1;

    /// <summary>The three buttons of the reminder of <paramref name="period"/> (the reminder's ISO week).</summary>
    public static IReadOnlyList<ReplyButton> Buttons(long enrolmentId, string period)
    {
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{ActionPrefix}:{enrolmentId}:{period}:");
        return
        [
            new ReplyButton("Remind me tomorrow", prefix + "1", ButtonStyle.Primary),
            new ReplyButton("In 3 days", prefix + "3"),
            new ReplyButton("Skip this week", prefix + SkipArgument),
        ];
    }

    /// <summary>
    /// When an extra reminder asked for at <paramref name="now"/> goes: <paramref name="days"/> days after the member's
    /// today, at their reminder time of day, in their zone. A time skipped by a change to summer time moves to the first
    /// minute after it, so the reminder keeps its wall-clock time across the change.
    /// </summary>
    public static DateTimeOffset RemindAt(int days, ReminderSettings settings, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(zone);
        var day = SafeDates.AddDays(WeekClock.LocalDate(now, zone), days);
        return WeeklySlot.ToInstant(day.ToDateTime(settings.ReminderTime), zone);
    }

    /// <summary>The ISO week of the latest weekly reminder slot at or before <paramref name="now"/>: the reminder whose buttons still count.</summary>
    public static string CurrentReminderWeek(ReminderSettings settings, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return DuePlanner.IsoWeek(WeeklySlot.Previous(settings.ReminderDay, settings.ReminderTime, zone, now), zone);
    }

    /// <summary>
    /// Why a claimed extra reminder is no longer sent at send time, or null to send it: a newer weekly reminder came first
    /// (<see cref="IsOvertaken"/>), or nothing is open any more this week (the member did it all after asking).
    /// </summary>
    public static string? WhyNotSent(DateTimeOffset pressedAt, EnrolmentSnapshot snapshot, ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return IsOvertaken(pressedAt, settings, snapshot.Zone, snapshot.Now) ? "A newer weekly reminder came first."
            : snapshot.Agenda.All(item => item.Done) ? "Nothing was left open this week."
            : null;
    }

    /// <summary>
    /// True when a weekly reminder slot came after the button was pressed (<paramref name="pressedAt"/>) and before
    /// <paramref name="now"/>: the extra reminder was overtaken by the next weekly one (the bot was down meanwhile) and
    /// is not sent, so the member never gets last week's nudge after this week's.
    /// </summary>
    public static bool IsOvertaken(DateTimeOffset pressedAt, ReminderSettings settings, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.RemindersEnabled && WeeklySlot.Previous(settings.ReminderDay, settings.ReminderTime, zone, now) > pressedAt;
    }
}
