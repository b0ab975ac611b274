using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Schedule;

namespace CoachBot.Core.Dashboard;

/// <summary>
/// One calendar week of the cohort. <see cref="OnTrackShare"/> is the share (0–100) of the members on their pathway
/// that week (started, not finished, not paused at its end) who had by its end done at least as many tasks as the
/// weeks already over asked for; null when nobody was. Check-ins: answers given that week against those members.
/// </summary>
public sealed record TrendWeek(string Label, DateOnly Monday, int Members, double? OnTrackShare, int CheckInsAnswered);

/// <summary>A task (or a week) many members are overdue on now.</summary>
public sealed record StallPoint(string PathwayTitle, string What, int Members);

/// <summary>The cohort over the weeks, and where members stall; pure.</summary>
public static class CohortTrends
{
    /// <summary>The last <paramref name="weeks"/> ISO weeks in <paramref name="zone"/>, the current one last.</summary>
    /// <remarks>
    /// "Done by then" counts the tasks done now whose tick is from before that week's end: a task ticked off then
    /// un-ticked counts in no week, as it does nowhere else.
    /// </remarks>
    public static IReadOnlyList<TrendWeek> Weeks(IReadOnlyList<CohortRow> rows, TimeZoneInfo zone, DateTimeOffset now, int weeks = 12)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(zone);
        var today = WeekClock.LocalDate(now, zone);
        var thisMonday = today.AddDays(-(((int)today.DayOfWeek + 6) % 7));
        var shown = rows.Where(row => row.CanBeShown).ToList();
        var result = new List<TrendWeek>(weeks);
        for (var back = weeks - 1; back >= 0; back--)
        {
            var monday = thisMonday.AddDays(-7 * back);
            var lastDay = back == 0 ? today : monday.AddDays(6);
            var end = back == 0 ? now : WeeklySlot.ToInstant(monday.AddDays(7).ToDateTime(TimeOnly.MinValue), zone);
            var members = 0;
            var onTrack = 0;
            var answered = 0;
            foreach (var row in shown)
            {
                var snapshot = row.Snapshot!;
                var position = WeekClock.Locate(snapshot.Pathway, snapshot.Row.StartDate, snapshot.Pauses, lastDay, snapshot.Replans);
                if (position.Stage != ScheduleStage.InProgress || position.IsPaused)
                {
                    continue;
                }

                members++;
                var expected = snapshot.Pathway.AllTasks.Count(task => Agenda.DueWeek(snapshot.Pathway, task) < position.DueWeek);
                var done = snapshot.Ledger.DoneAt.Values.Count(at => at < end);
                onTrack += done >= expected ? 1 : 0;
                answered += row.CheckIns.Count(answer => answer.AnsweredAt < end && WeekClock.LocalDate(answer.AnsweredAt, zone) >= monday);
            }

            var label = string.Create(CultureInfo.InvariantCulture, $"W{ISOWeek.GetWeekOfYear(monday.ToDateTime(TimeOnly.MinValue)):00}");
            result.Add(new TrendWeek(label, monday, members, members == 0 ? null : 100.0 * onTrack / members, answered));
        }

        return result;
    }

    /// <summary>The tasks and the pathway weeks with the most members overdue on them now, most first (ties by name), at most <paramref name="top"/> of each.</summary>
    public static (IReadOnlyList<StallPoint> Tasks, IReadOnlyList<StallPoint> Weeks) StallPoints(IReadOnlyList<CohortRow> rows, int top = 5)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var overdue = rows.Where(row => row.CanBeShown)
            .SelectMany(row => row.Snapshot!.Agenda.Where(item => item.Overdue).Select(item => (Pathway: row.Pathway.Title, Task: item.Task.Title, item.DueWeek, Member: row.Member.Id)))
            .ToList();
        IReadOnlyList<StallPoint> Rank(IEnumerable<IGrouping<(string Pathway, string What), long>> groups) =>
            [.. groups.Select(group => new StallPoint(group.Key.Pathway, group.Key.What, group.Distinct().Count()))
                .OrderByDescending(point => point.Members).ThenBy(point => point.What, StringComparer.Ordinal).Take(top)];
        return (
            Rank(overdue.GroupBy(item => (item.Pathway, item.Task), item => item.Member)),
            Rank(overdue.GroupBy(item => (item.Pathway, $"week {item.DueWeek}"), item => item.Member)));
    }
}
