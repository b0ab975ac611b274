using CoachBot.Core.Pathways;

namespace CoachBot.Tests.Storage;

internal static class TestPathway
{
    /// <summary>A pathway with one phase of <paramref name="weeks"/> weeks and the given task ids, one per week.</summary>
    public static Pathway With(string id, int weeks, params string[] taskIds) => new(
        id, "Title", "From", "To", "Summary.", Difficulty.Beginner, new MonthRange(1, 2), "+0%", "Some", [], [],
        [new Phase(1, "Phase one", weeks, [.. taskIds.Select((taskId, index) => new PathwayTask(taskId, "Task " + taskId, 1, Math.Min(index + 1, weeks)))], [])],
        new ActionPlan([], [], []), new RealityCheck([], [], []), [], []);
}
