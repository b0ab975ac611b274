using CoachBot.Core.Enrolment;
using CoachBot.Core.Schedule;

namespace CoachBot.Core.Dashboard;

/// <summary>One week of a member's pathway: the tasks the plan puts in it, and the tasks they ticked off during it.</summary>
public sealed record MemberWeek(int Week, int Planned, int Done);

/// <summary>A member's weeks against the plan, for the member page's chart; pure.</summary>
public static class MemberWeeks
{
    /// <summary>
    /// Weeks 1 to the current one (the pathway's last once it is over). A task counts in the week it was ticked off
    /// (as the member's pathway counts weeks, pauses included); un-ticked tasks not at all. Empty for a row that cannot
    /// be shown or has not started.
    /// </summary>
    public static IReadOnlyList<MemberWeek> For(CohortRow row)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (!row.CanBeShown || row.Snapshot.Position.Stage == ScheduleStage.NotStarted)
        {
            return [];
        }

        var snapshot = row.Snapshot;
        var pathway = snapshot.Pathway;
        var lastWeek = Math.Min(snapshot.Position.OverallWeek, pathway.TotalWeeks);
        var doneByWeek = new Dictionary<int, int>();
        foreach (var doneAt in snapshot.Ledger.DoneAt.Values)
        {
            var day = WeekClock.LocalDate(doneAt, snapshot.Zone);
            var week = day < snapshot.Row.StartDate ? 1 : WeekClock.Locate(pathway, snapshot.Row.StartDate, snapshot.Pauses, day, snapshot.Replans).OverallWeek;
            week = Math.Clamp(week, 1, Math.Max(1, lastWeek));
            doneByWeek[week] = doneByWeek.GetValueOrDefault(week) + 1;
        }

        return [.. Enumerable.Range(1, Math.Max(0, lastWeek)).Select(week => new MemberWeek(week, Agenda.TasksOfWeek(pathway, week).Count, doneByWeek.GetValueOrDefault(week)))];
    }

    /// <summary>The weeks as a bar chart: planned and done side by side.</summary>
    public static string Chart(IReadOnlyList<MemberWeek> weeks, string displayName)
    {
        ArgumentNullException.ThrowIfNull(weeks);
        var planned = weeks.Sum(week => week.Planned);
        var done = weeks.Sum(week => week.Done);
        var description = weeks.Count == 0
            ? $"{displayName} has not started yet."
            : $"Over weeks 1 to {weeks.Count}, the plan had {planned} tasks and {displayName} ticked off {done}. "
                + string.Join("; ", weeks.Select(week => $"week {week.Week}: {week.Done} of {week.Planned}"));
        return SvgChart.Bars(
            "member-weeks",
            $"Tasks per week: planned and done by {displayName}",
            [new ChartSeries("planned", SvgChart.Grey), new ChartSeries("done", SvgChart.Blue)],
            [.. weeks.Select(week => new ChartGroup($"W{week.Week}", [week.Planned, week.Done]))],
            description);
    }
}
