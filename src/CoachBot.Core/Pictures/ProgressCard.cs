using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Schedule;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Pictures;

/// <summary>Where a member stands, as the card's status badge says it.</summary>
public enum CardStanding
{
    NotStarted,
    OnTrack,
    Behind,
    Paused,
    Complete,
}

/// <summary>A phase on the card's timeline: its share of the weeks, its tasks done and due by now.</summary>
/// <param name="DueByNow">Tasks of this phase in weeks already over: the "planned" mark on its bar.</param>
public sealed record CardPhase(int Number, string Title, int Weeks, int Done, int Total, int DueByNow);

/// <summary>
/// What the progress card shows, worked out from a snapshot; every text on it is decided here, so the renderer only
/// lays out. <see cref="TimelineWeek"/> is where "today" stands on the timeline, in weeks from the start (0 to the
/// total, fractional within a week).
/// </summary>
public sealed record ProgressCard(
    string MemberName,
    string PathwayTitle,
    IReadOnlyList<CardPhase> Phases,
    double TimelineWeek,
    int TotalWeeks,
    CardStanding Standing,
    string StandingText,
    string PositionText,
    int Percent,
    int Done,
    int Total,
    int StreakWeeks,
    string PlannedFinish,
    string ProjectedFinish)
{
    /// <summary>The picture's alt text: everything it shows, in one sentence each, for screen readers.</summary>
    public string Description =>
        $"Progress card for {MemberName} on {PathwayTitle}: {Percent}% done ({Done} of {Total} tasks), {StandingText}. "
        + $"{PositionText}. Streak: {Text.Plural(StreakWeeks, "week")}. Planned finish {PlannedFinish}; projected {ProjectedFinish}. "
        + "Phases: " + string.Join("; ", Phases.Select(phase => $"{phase.Number} {phase.Title}, {phase.Done} of {phase.Total} done")) + ".";

    /// <summary>The card of one enrolment at its snapshot's moment.</summary>
    public static ProgressCard From(EnrolmentSnapshot snapshot, string memberName)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(memberName);
        var report = snapshot.Progress;
        var position = report.Position;
        var dueWeek = position.DueWeek;
        var weeksBefore = 0;
        var phases = new List<CardPhase>(report.Phases.Count);
        foreach (var phase in report.Phases)
        {
            var dueByNow = phase.Phase.Tasks.Count(task => weeksBefore + task.Week < dueWeek);
            phases.Add(new CardPhase(phase.Phase.Number, phase.Phase.Title, phase.Phase.Weeks, phase.Done, phase.Total, dueByNow));
            weeksBefore += phase.Phase.Weeks;
        }

        var standing = report.IsComplete ? CardStanding.Complete
            : position.IsPaused ? CardStanding.Paused
            : position.Stage == ScheduleStage.NotStarted ? CardStanding.NotStarted
            : report.OnTrack ? CardStanding.OnTrack
            : CardStanding.Behind;
        var behindBy = report.Expected - report.Done;
        var standingText = standing switch
        {
            CardStanding.Complete => "every task done",
            CardStanding.Paused when !report.OnTrack => $"paused, {Text.Plural(behindBy, "task")} behind",
            CardStanding.Paused => "paused",
            CardStanding.NotStarted => "not started yet",
            CardStanding.OnTrack => "on track",
            _ => $"behind by {Text.Plural(behindBy, "task")}",
        };
        var projected = report.IsComplete ? "done"
            : report.ProjectedFinish is { } finish && position.Stage != ScheduleStage.NotStarted ? Date(finish)
            : "not yet";
        return new ProgressCard(
            memberName,
            snapshot.Pathway.Title,
            phases,
            TimelineWeekOf(position),
            position.TotalWeeks,
            standing,
            standingText,
            PositionTextOf(position),
            report.Percent,
            report.Done,
            report.Total,
            report.StreakWeeks,
            Date(position.PlannedFinish),
            projected);
    }

    private static double TimelineWeekOf(SchedulePosition position) => position.Stage switch
    {
        ScheduleStage.NotStarted => 0,
        ScheduleStage.Finished => position.TotalWeeks,
        _ => Math.Clamp(position.EffectiveDay / 7.0, 0, position.TotalWeeks),
    };

    private static string PositionTextOf(SchedulePosition position) => position.Stage switch
    {
        ScheduleStage.NotStarted => $"Starts {Date(SafeDates.AddDays(position.StartDate, position.PausedDays))}",
        ScheduleStage.Finished => $"All {position.TotalWeeks} planned weeks are over",
        _ => string.Create(CultureInfo.InvariantCulture, $"Phase {position.Phase.Number} · week {position.OverallWeek} of {position.TotalWeeks}"),
    };

    private static string Date(DateOnly date) => date.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
}
