namespace CoachBot.Core.Pathways;

/// <summary>
/// A career-transition pathway as loaded from <c>pathways/&lt;id&gt;.yaml</c>: phases of weeks, each with
/// tasks and resources, plus the guidance around them. Immutable; a loaded pathway is always valid.
/// </summary>
public sealed record Pathway(
    string Id,
    string Title,
    string FromRole,
    string ToRole,
    string Summary,
    Difficulty Difficulty,
    MonthRange TimelineMonths,
    string SalaryChange,
    string Demand,
    IReadOnlyList<TransferableSkill> TransferableSkills,
    IReadOnlyList<SkillToLearn> SkillsToLearn,
    IReadOnlyList<Phase> Phases,
    ActionPlan ActionPlan,
    RealityCheck RealityCheck,
    IReadOnlyList<FaqEntry> Faq,
    IReadOnlyList<string> CheckInQuestions)
{
    /// <summary>Sum of the phases' weeks: the pathway's length at the planned pace.</summary>
    public int TotalWeeks => Phases.Sum(phase => phase.Weeks);

    public IEnumerable<PathwayTask> AllTasks => Phases.SelectMany(phase => phase.Tasks);

    public PathwayTask? FindTask(string taskId) =>
        AllTasks.FirstOrDefault(task => string.Equals(task.Id, taskId, StringComparison.Ordinal));

    /// <summary>The week of the whole pathway (1-based) in which <paramref name="task"/> falls due: the weeks of
    /// the phases before its own plus its week in its phase.</summary>
    public int OverallWeek(PathwayTask task)
    {
        ArgumentNullException.ThrowIfNull(task);
        var weeksBefore = Phases.Where(phase => phase.Number < task.PhaseNumber).Sum(phase => phase.Weeks);
        return PathwayWeeks.OverallWeek(weeksBefore, task.Week);
    }
}

public enum Difficulty
{
    Beginner,
    Intermediate,
    Challenging,
    Advanced,
}

public readonly record struct MonthRange(int Min, int Max);

public sealed record TransferableSkill(string Name, string WhyItTransfers);

public enum SkillPriority
{
    Critical,
    Important,
    NiceToHave,
}

public sealed record SkillToLearn(string Name, SkillPriority Priority, int Weeks, string HowToLearn);

/// <param name="Number">1-based position of the phase in the pathway.</param>
/// <param name="Weeks">Planned length of the phase in weeks (at least 1).</param>
public sealed record Phase(
    int Number,
    string Title,
    int Weeks,
    IReadOnlyList<PathwayTask> Tasks,
    IReadOnlyList<Resource> Resources);

/// <summary>
/// One task of a phase. <see cref="Id"/> is stable across edits of the file, so progress stored against it
/// survives. <see cref="Week"/> is the 1-based week of its phase in which it falls due: taken from the file's
/// <c>week:</c> when given, otherwise spread evenly over the phase by the loader.
/// </summary>
public sealed record PathwayTask(string Id, string Title, int PhaseNumber, int Week, string? Details = null);

/// <summary>A resource (course, book, site). <see cref="Url"/> is null where the source names no link.</summary>
public sealed record Resource(string Title, Uri? Url);

/// <summary>The "start now" plan. Items are ids of tasks, so they also appear in the week they belong to.</summary>
public sealed record ActionPlan(
    IReadOnlyList<string> ThisWeek,
    IReadOnlyList<string> ThisMonth,
    IReadOnlyList<string> Next90Days);

public sealed record RealityCheck(
    IReadOnlyList<string> WhatYoullLove,
    IReadOnlyList<string> WhatYouMightMiss,
    IReadOnlyList<string> BiggestChallenges);

public sealed record FaqEntry(string Question, string Answer);
