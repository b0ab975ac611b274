using CoachBot.Core.Pathways;

namespace CoachBot.Core.Tests.Pathways;

public sealed class PathwayTests
{
    [Fact]
    public void TotalWeeks_IsTheSumOfThePhaseLengths()
    {
        var pathway = PathwayWith(PhaseOf(1, 8, "a"), PhaseOf(2, 12, "b"));

        Assert.Equal(20, pathway.TotalWeeks);
    }

    [Fact]
    public void FindTask_FindsTasksOfAnyPhaseById_AndNullForUnknownIds()
    {
        var pathway = PathwayWith(PhaseOf(1, 8, "a"), PhaseOf(2, 12, "b"));

        Assert.Equal(2, pathway.FindTask("b")?.PhaseNumber);
        Assert.Null(pathway.FindTask("B"));
    }

    private static Phase PhaseOf(int number, int weeks, string taskId) =>
        new(number, $"Phase {number}", weeks, [new PathwayTask(taskId, "Task " + taskId, number, 1)], []);

    private static Pathway PathwayWith(params Phase[] phases) => new(
        "test", "Test", "From", "To", "Summary", Difficulty.Beginner, new MonthRange(1, 2), "+0%", "Some",
        [], [], phases, new ActionPlan([], [], []), new RealityCheck([], [], []), [], []);
}
