using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using Ical.Net.CalendarComponents;
using Ical.Net.DataTypes;
using Ical.Net.Serialization;

namespace CoachBot.Core.Calendar;

/// <summary>One entry of a member's calendar: all-day (a week's tasks, a phase's end) or at a time in the member's zone (a check-in).</summary>
public sealed record CalendarEntry(string Uid, string Summary, string Description, DateOnly FirstDay, DateOnly? LastDay, TimeOnly? At, TimeSpan Duration);

/// <summary>
/// A member's plan as a calendar (<c>/calendar</c>): per enrolment, each pathway week as an all-day block with its tasks,
/// the weekly check-ins at the member's check-in time, and the end of each phase. Worked out from the schedule as it
/// stands (pauses shift it), in the member's time zone, so a check-in stays at 17:00 local across a DST change.
/// Pure: the entries from snapshots and settings, the text by Ical.Net.
/// </summary>
public static class MemberCalendar
{
    public const string FileName = "coachbot-calendar.ics";

    /// <summary>Check-ins last a quarter of an hour in the calendar: a reminder to answer, not a meeting.</summary>
    private static readonly TimeSpan CheckInLength = TimeSpan.FromMinutes(15);

    public static IReadOnlyList<CalendarEntry> Entries(EnrolmentSnapshot snapshot, ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        var pathway = snapshot.Pathway;
        var id = snapshot.Row.Id.ToString(CultureInfo.InvariantCulture);
        // Every day of the plan from its start to its finish (pauses included) with its week; paused days belong to none.
        // An open-ended pause never lets the plan finish: the days are counted, not the weeks, so the walk ends anyway
        // (the plan's own length plus three years of pauses), with the weeks before the pause.
        var days = new List<(DateOnly Day, int Week)>();
        var planDays = pathway.Phases.Sum(phase => phase.Weeks) * 7;
        var day = snapshot.Row.StartDate;
        for (var walked = 0; walked <= planDays + (3 * 366) && day < DateOnly.MaxValue; walked++, day = day.AddDays(1))
        {
            var position = WeekClock.Locate(pathway, snapshot.Row.StartDate, snapshot.Pauses, day, snapshot.Replans);
            if (position.Stage == ScheduleStage.Finished)
            {
                break;
            }

            if (position.Stage == ScheduleStage.InProgress && !position.IsPaused)
            {
                days.Add((day, position.OverallWeek));
            }
        }

        var entries = new List<CalendarEntry>();
        var lastDayOfPhase = new SortedDictionary<int, (Pathways.Phase Phase, DateOnly Day)>();
        foreach (var week in days.GroupBy(entry => entry.Week))
        {
            var (phase, weekInPhase) = WeekClock.PhaseOfWeek(pathway, week.Key);
            lastDayOfPhase[phase.Number] = (phase, week.Last().Day);
            var tasks = Agenda.TasksOfWeek(pathway, week.Key);
            entries.Add(new CalendarEntry(
                $"{id}-week-{week.Key}@coachbot",
                $"{pathway.Id} · week {week.Key} of {snapshot.Position.TotalWeeks}: {phase.Title}",
                string.Join('\n', [$"Phase {phase.Number}, week {weekInPhase} of {phase.Weeks}.", .. tasks.Select(task => "☐ " + task.Title)]),
                week.First().Day,
                week.Last().Day,
                At: null,
                TimeSpan.Zero));
            if (settings.CheckInsEnabled && week.FirstOrDefault(day => day.Day.DayOfWeek == settings.CheckInDay) is { Day: var checkInDay } && checkInDay != default)
            {
                entries.Add(new CalendarEntry(
                    $"{id}-checkin-{week.Key}@coachbot",
                    $"{pathway.Id} · check-in: how did week {week.Key} go?",
                    "Answer with /checkin (or the buttons of the check-in message).",
                    checkInDay,
                    LastDay: null,
                    settings.CheckInTime,
                    CheckInLength));
            }
        }

        foreach (var (phase, lastDay) in lastDayOfPhase.Values)
        {
            entries.Add(new CalendarEntry(
                $"{id}-phase-{phase.Number}@coachbot",
                $"{pathway.Id} · phase {phase.Number} ends: {phase.Title}",
                $"The last day of phase {phase.Number} of {pathway.Phases.Count}.",
                lastDay,
                LastDay: null,
                At: null,
                TimeSpan.Zero));
        }

        return entries;
    }

    /// <summary>
    /// The member's whole calendar as iCalendar text: every enrolment whose pathway is still offered (those that are not
    /// are returned in <c>LeftOut</c>), in the member's zone, as the store has it at <paramref name="now"/>.
    /// </summary>
    public static async Task<(string Ics, IReadOnlyList<string> Included, IReadOnlyList<string> LeftOut, ReminderSettings Settings)> ForMemberAsync(
        CoachServices services, MemberRow member, DateTimeOffset now, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(member);
        var zone = services.Settings.ZoneOf(member);
        var settings = await services.Store.GetReminderSettingsAsync(member.Id, cancellationToken);
        var entries = new List<CalendarEntry>();
        var included = new List<string>();
        var leftOut = new List<string>();
        foreach (var enrolment in await services.Store.GetEnrolmentsAsync(member.Id, cancellationToken))
        {
            if (!services.Pathways.TryGet(enrolment.PathwayId, out var pathway))
            {
                leftOut.Add(enrolment.PathwayId);
                continue;
            }

            var snapshot = await EnrolmentSnapshot.LoadAsync(services.Store, enrolment, pathway, zone, now, cancellationToken);
            entries.AddRange(Entries(snapshot, settings));
            included.Add(enrolment.PathwayId);
        }

        return (ToIcs(entries, zone, now), included, leftOut, settings);
    }

    /// <summary>The calendar as iCalendar text (RFC 5545): timed entries carry the zone's id and a VTIMEZONE.</summary>
    public static string ToIcs(IEnumerable<CalendarEntry> entries, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(zone);
        var calendar = new Ical.Net.Calendar { ProductId = "-//CoachBot//Study plan//EN" };
        calendar.AddTimeZone(new VTimeZone(zone.Id));
        var stamp = new CalDateTime(now.UtcDateTime, "UTC");
        foreach (var entry in entries)
        {
            var calendarEvent = new CalendarEvent
            {
                Uid = entry.Uid,
                Summary = entry.Summary,
                Description = entry.Description,
                DtStamp = stamp,
            };
            if (entry.At is { } at)
            {
                calendarEvent.DtStart = new CalDateTime(entry.FirstDay, at, zone.Id);
                calendarEvent.Duration = Duration.FromTimeSpanExact(entry.Duration);
            }
            else
            {
                calendarEvent.DtStart = new CalDateTime(entry.FirstDay);
                // DTEND of an all-day entry is the day after its last (RFC 5545 3.6.1).
                calendarEvent.DtEnd = new CalDateTime((entry.LastDay ?? entry.FirstDay).AddDays(1));
            }

            calendar.Events.Add(calendarEvent);
        }

        return new CalendarSerializer().SerializeToString(calendar) ?? "";
    }
}
