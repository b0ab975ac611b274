using System.Globalization;
using CoachBot.Core.Dashboard;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Schedule;

namespace CoachBot.Core.Pictures;

/// <summary>A bar of the "members per phase" panel.</summary>
public sealed record PhaseHeadcount(string Label, int Members);

/// <summary>A week of the trend panel: shares (0–100) of the members on their pathway that week; null when nobody was.</summary>
public sealed record ChartWeek(string Label, double? OnTrackShare, double? CheckInShare);

/// <summary>
/// What the digest's chart shows: how many members stand in each phase, and over the last weeks the share on track and
/// the share who answered a check-in. Counts only: no name is on the picture, so it shows nothing the digest's text does
/// not already say to the same channel.
/// </summary>
public sealed record CohortChart(string Title, IReadOnlyList<PhaseHeadcount> Phases, IReadOnlyList<ChartWeek> Weeks, int Members, int OnTrack, int CheckInsThisWeek)
{
    public const int WeeksShown = 8;

    /// <summary>The picture's alt text.</summary>
    public string Description
    {
        get
        {
            var trend = Weeks.Select(week => $"{week.Label} {Share(week.OnTrackShare)} on track, {Share(week.CheckInShare)} checked in");
            return $"{Title}: {Members} members, {OnTrack} on track, {CheckInsThisWeek} check-ins answered this week. "
                + "Members per phase: " + string.Join("; ", Phases.Select(phase => $"{phase.Label} {phase.Members}")) + ". "
                + "Last weeks: " + string.Join("; ", trend) + ".";
        }
    }

    /// <summary>The chart of a server's cohort at <paramref name="now"/>; rows that cannot be shown are left out, as in the digest.</summary>
    public static CohortChart From(string title, IReadOnlyList<CohortRow> rows, TimeZoneInfo zone, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(title);
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(zone);
        var shown = rows.Where(row => row.CanBeShown).ToList();
        var severalPathways = shown.Select(row => row.Pathway.Id).Distinct(StringComparer.Ordinal).Count() > 1;
        var phases = shown
            .GroupBy(row => BucketOf(row.Snapshot!, severalPathways))
            .OrderBy(group => group.Key.Order)
            .ThenBy(group => group.Key.Label, StringComparer.Ordinal)
            .Select(group => new PhaseHeadcount(group.Key.Label, group.Count()))
            .ToList();
        var trend = CohortTrends.Weeks(shown, zone, now, WeeksShown);
        var weeks = trend
            .Select(week => new ChartWeek(
                week.Label,
                week.OnTrackShare,
                week.Members == 0 ? null : Math.Min(100.0, 100.0 * week.CheckInsAnswered / week.Members)))
            .ToList();
        var onTrack = shown.Count(row => row.Snapshot!.Progress.OnTrack);
        // The trend's last week is the current one.
        return new CohortChart(title, phases, weeks, shown.Count, onTrack, trend[^1].CheckInsAnswered);
    }

    private static (int Order, string Label) BucketOf(EnrolmentSnapshot snapshot, bool severalPathways)
    {
        var position = snapshot.Position;
        var prefix = severalPathways ? snapshot.Pathway.Id + " " : "";
        return position.Stage switch
        {
            ScheduleStage.NotStarted => (0, "Not started"),
            ScheduleStage.Finished => (int.MaxValue, "Planned weeks over"),
            _ => (position.Phase.Number, string.Create(CultureInfo.InvariantCulture, $"{prefix}{position.Phase.Number} · {position.Phase.Title}")),
        };
    }

    private static string Share(double? share) => share is { } value ? string.Create(CultureInfo.InvariantCulture, $"{value:0}%") : "no one";
}
