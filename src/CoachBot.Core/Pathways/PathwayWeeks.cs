namespace CoachBot.Core.Pathways;

/// <summary>Week arithmetic of the pathway format: where unweeked tasks fall, and the action plan's windows.</summary>
public static class PathwayWeeks
{
    /// <summary>The action plan's horizons, as the last overall week (1-based) each may reach.</summary>
    public const int ThisWeekLastWeek = 1;
    public const int ThisMonthLastWeek = 4;
    public const int Next90DaysLastWeek = 13;

    /// <summary>
    /// The week (1-based) of a phase in which its <paramref name="index"/>-th task without an explicit
    /// <c>week:</c> falls, when <paramref name="count"/> such tasks share a phase of <paramref name="phaseWeeks"/>
    /// weeks: <c>floor(index × phaseWeeks / count) + 1</c>. Tasks start at week 1 and are spaced evenly, so
    /// 4 tasks in 8 weeks fall in weeks 1, 3, 5, 7 and 3 tasks in 12 weeks in weeks 1, 5, 9; with more tasks
    /// than weeks several share a week, in file order.
    /// </summary>
    /// <param name="index">0-based position among the phase's tasks that have no <c>week:</c>, in file order.</param>
    public static int SpreadEvenly(int index, int count, int phaseWeeks)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(index);
        ArgumentOutOfRangeException.ThrowIfLessThanOrEqual(count, index);
        ArgumentOutOfRangeException.ThrowIfLessThan(phaseWeeks, 1);
        return (int)((long)index * phaseWeeks / count) + 1;
    }

    /// <summary>The overall week (1-based, counted from the pathway's start) of week <paramref name="weekOfPhase"/>
    /// of a phase that begins after <paramref name="weeksBeforePhase"/> weeks of earlier phases.</summary>
    public static int OverallWeek(int weeksBeforePhase, int weekOfPhase) => weeksBeforePhase + weekOfPhase;
}
