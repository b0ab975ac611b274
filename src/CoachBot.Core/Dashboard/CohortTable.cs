using CoachBot.Core.Enrolment;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Dashboard;

/// <summary>The columns the cohort table sorts by.</summary>
public enum CohortSort
{
    Name,
    Pathway,
    Week,
    Progress,
    Behind,
    Streak,
    CheckIn,
}

/// <summary>Which members the cohort table shows.</summary>
public enum CohortFilter
{
    All,

    /// <summary>At least one task of a week already over is not done (what <c>/today</c> lists as overdue).</summary>
    Behind,

    /// <summary>The last check-in, for this week or the one before, said Blocked.</summary>
    Blocked,
}

/// <summary>
/// One member's line of the cohort table: where they are, how far, how far behind, their streak and last check-in.
/// The figures are the ones <c>/progress</c>, <c>/today</c> and <c>/group</c> show for the same member at the same
/// instant: all come from the same <see cref="EnrolmentSnapshot"/>. A row that cannot be shown has
/// <see cref="CanBeShown"/> false and zeros, and still names the member.
/// </summary>
public sealed record CohortTableRow(
    long EnrolmentId,
    long MemberId,
    string DisplayName,
    string PathwayId,
    string PathwayTitle,
    bool CanBeShown,
    string Where,
    int Week,
    int TotalWeeks,
    int Done,
    int Total,
    int Percent,
    int Behind,
    int Streak,
    CheckInAnswer? LastCheckIn,
    bool Paused,
    DateOnly? PausedUntil,
    bool DmsClosed)
{
    public bool IsBehind => CanBeShown && Behind > 0;

    /// <summary>Blocked by their own word lately: the last check-in says Blocked and is about this week or the one before.</summary>
    public bool IsBlocked => LastCheckIn is { Status: CheckInStatus.Blocked } answer && answer.Week >= Week - 1;
}

/// <summary>The cohort page's table, sorting and filters; pure.</summary>
public static class CohortTable
{
    public static IReadOnlyList<CohortTableRow> Build(IReadOnlyList<CohortRow> rows)
    {
        ArgumentNullException.ThrowIfNull(rows);
        return [.. rows.Select(Row)];
    }

    /// <summary>
    /// The rows of <paramref name="filter"/>, sorted by <paramref name="sort"/>; ties by name, then enrolment id, so the
    /// order never changes between two loads of the same data. Rows that cannot be shown sort last.
    /// </summary>
    public static IReadOnlyList<CohortTableRow> Apply(IEnumerable<CohortTableRow> rows, CohortFilter filter, CohortSort sort, bool descending)
    {
        ArgumentNullException.ThrowIfNull(rows);
        var kept = rows.Where(row => filter switch
        {
            CohortFilter.Behind => row.IsBehind,
            CohortFilter.Blocked => row.IsBlocked,
            _ => true,
        });
        var shownFirst = kept.OrderBy(row => row.CanBeShown ? 0 : 1);
        var sorted = sort switch
        {
            CohortSort.Pathway => By(shownFirst, row => row.PathwayTitle, descending, StringComparer.OrdinalIgnoreCase),
            CohortSort.Week => By(shownFirst, row => row.Week, descending),
            CohortSort.Progress => By(shownFirst, row => row.Percent, descending),
            CohortSort.Behind => By(shownFirst, row => row.Behind, descending),
            CohortSort.Streak => By(shownFirst, row => row.Streak, descending),
            CohortSort.CheckIn => By(shownFirst, row => row.LastCheckIn?.AnsweredAt ?? DateTimeOffset.MinValue, descending),
            _ => By(shownFirst, row => row.DisplayName, descending, StringComparer.OrdinalIgnoreCase),
        };
        return [.. sorted.ThenBy(row => row.DisplayName, StringComparer.OrdinalIgnoreCase).ThenBy(row => row.EnrolmentId)];
    }

    /// <summary>A sort or filter named in a URL; anything else is the default (a hand-edited address never fails).</summary>
    public static T Parse<T>(string? value, T fallback)
        where T : struct, Enum =>
        Enum.TryParse<T>(value, ignoreCase: true, out var parsed) && Enum.IsDefined(parsed) && !int.TryParse(value, out _) ? parsed : fallback;

    private static IOrderedEnumerable<CohortTableRow> By<TKey>(
        IOrderedEnumerable<CohortTableRow> rows, Func<CohortTableRow, TKey> key, bool descending, IComparer<TKey>? comparer = null) =>
        descending ? rows.ThenByDescending(key, comparer) : rows.ThenBy(key, comparer);

    private static CohortTableRow Row(CohortRow row)
    {
        var lastCheckIn = row.CheckIns.OrderByDescending(answer => answer.Week).ThenByDescending(answer => answer.AnsweredAt).FirstOrDefault();
        var enrolment = row.Enrolment;
        var openPause = row.Snapshot?.Pauses.FirstOrDefault(pause => pause.EndedOn is null);
        if (!row.CanBeShown)
        {
            return new CohortTableRow(
                enrolment.Id, row.Member.Id, row.Member.DisplayName, row.Pathway.Id, row.Pathway.Title, CanBeShown: false,
                "cannot be shown right now", 0, row.Pathway.TotalWeeks, 0, 0, 0, 0, 0, lastCheckIn, enrolment.State == EnrolmentState.Paused, null,
                row.Member.DmClosedAt is not null);
        }

        var snapshot = row.Snapshot;
        var position = snapshot.Position;
        var progress = snapshot.Progress;
        return new CohortTableRow(
            enrolment.Id,
            row.Member.Id,
            row.Member.DisplayName,
            row.Pathway.Id,
            row.Pathway.Title,
            CanBeShown: true,
            Where(position),
            position.Stage == ScheduleStage.NotStarted ? 0 : Math.Min(position.OverallWeek, position.TotalWeeks),
            position.TotalWeeks,
            progress.Done,
            progress.Total,
            progress.Percent,
            snapshot.Agenda.Count(item => item.Overdue),
            progress.StreakWeeks,
            lastCheckIn,
            position.IsPaused,
            openPause?.UntilOn,
            row.Member.DmClosedAt is not null);
    }

    private static string Where(SchedulePosition position) => position.Stage switch
    {
        ScheduleStage.NotStarted => "not started",
        ScheduleStage.Finished => "past the last week",
        _ => $"phase {position.Phase.Number}, week {position.WeekInPhase}",
    };
}
