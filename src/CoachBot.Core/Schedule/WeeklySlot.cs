using CoachBot.Core.Storage;

namespace CoachBot.Core.Schedule;

/// <summary>Weekly local slots ("Monday 09:00 in Europe/Berlin") turned into UTC instants, DST-correct. Pure.</summary>
public static class WeeklySlot
{
    /// <summary>
    /// The first instant strictly after <paramref name="after"/> that is <paramref name="day"/> at <paramref name="time"/>
    /// in <paramref name="zone"/>. A time skipped by a DST change moves to the first valid minute after it; a time that
    /// happens twice is taken the first time.
    /// </summary>
    public static DateTimeOffset Next(DayOfWeek day, TimeOnly time, TimeZoneInfo zone, DateTimeOffset after)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localDate = WeekClock.LocalDate(after, zone);
        for (var i = 0; i <= 14; i++)
        {
            var date = SafeDates.AddDays(localDate, i);
            if (date.DayOfWeek != day)
            {
                continue;
            }

            var instant = ToInstant(date.ToDateTime(time), zone);
            if (instant > after)
            {
                return instant;
            }
        }

        throw new InvalidOperationException("A weekly slot always occurs within two weeks.");
    }

    /// <summary>The latest instant at or before <paramref name="atOrBefore"/> that is <paramref name="day"/> at <paramref name="time"/> in <paramref name="zone"/>.</summary>
    public static DateTimeOffset Previous(DayOfWeek day, TimeOnly time, TimeZoneInfo zone, DateTimeOffset atOrBefore)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var localDate = WeekClock.LocalDate(atOrBefore, zone);
        for (var i = 0; i <= 14; i++)
        {
            var date = SafeDates.AddDays(localDate, -i);
            if (date.DayOfWeek != day)
            {
                continue;
            }

            var instant = ToInstant(date.ToDateTime(time), zone);
            if (instant <= atOrBefore)
            {
                return instant;
            }
        }

        throw new InvalidOperationException("A weekly slot always occurs within two weeks.");
    }

    /// <summary>A local wall-clock time in a zone as a UTC instant (gaps move forward, overlaps take the first).</summary>
    public static DateTimeOffset ToInstant(DateTime localTime, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var local = SafeDates.InsideEdges(DateTime.SpecifyKind(localTime, DateTimeKind.Unspecified));
        while (zone.IsInvalidTime(local))
        {
            local = local.AddMinutes(1);
        }

        var offset = zone.IsAmbiguousTime(local) ? zone.GetAmbiguousTimeOffsets(local).Max() : zone.GetUtcOffset(local);
        return new DateTimeOffset(local, offset).ToUniversalTime();
    }

    /// <summary>
    /// When an enrolment's next reminder and check-in are due: from now (or from its start date, or from the end of a
    /// dated pause, whichever is later); nothing while an open-ended pause lasts; no reminder when reminders are off, no
    /// check-in when check-ins are off.
    /// Nothing either when that is beyond <see cref="SafeDates.PlanningHorizon"/> (a start or return date near the end
    /// of the calendar, stored before dates were bounded): such an enrolment simply never comes due.
    /// </summary>
    public static ScheduledRuns NextRuns(
        ReminderSettings settings,
        TimeZoneInfo zone,
        DateOnly startDate,
        IReadOnlyList<PauseRow> pauses,
        DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(pauses);
        var today = WeekClock.LocalDate(now, zone);
        var from = now;
        var startInstant = ToInstant(startDate.ToDateTime(TimeOnly.MinValue), zone);
        if (startInstant > from)
        {
            from = startInstant.AddTicks(-1);
        }

        foreach (var pause in pauses.Where(pause => WeekClock.IsPausedOn(pause, today)))
        {
            if (pause.ResumesOn is not { } resumes)
            {
                return ScheduledRuns.None;
            }

            var resumeInstant = ToInstant(resumes.ToDateTime(TimeOnly.MinValue), zone).AddTicks(-1);
            if (resumeInstant > from)
            {
                from = resumeInstant;
            }
        }

        if (from >= SafeDates.PlanningHorizon)
        {
            return ScheduledRuns.None;
        }

        var reminder = settings.RemindersEnabled ? Next(settings.ReminderDay, settings.ReminderTime, zone, from) : (DateTimeOffset?)null;
        var checkIn = settings.CheckInsEnabled ? Next(settings.CheckInDay, settings.CheckInTime, zone, from) : (DateTimeOffset?)null;
        return new ScheduledRuns(reminder, checkIn);
    }
}
