using CoachBot.Core.Pathways;

namespace CoachBot.Core.Tests.Fakes;

/// <summary>Builds pathways in code: phases of given lengths, one task per week named "p{phase}w{week}".</summary>
internal static class TestPathways
{
    public static Pathway WithPhases(string id, params int[] phaseWeeks)
    {
        var phases = phaseWeeks.Select((weeks, index) =>
        {
            var number = index + 1;
            var tasks = Enumerable.Range(1, weeks)
                .Select(week => new PathwayTask($"p{number}w{week}", $"Phase {number} task of week {week}", number, week))
                .ToList();
            return new Phase(number, $"Phase {number} title", weeks, tasks, [new Resource($"Book {number}", new Uri($"https://example.org/{number}"))]);
        }).ToList();
        return new Pathway(
            id, $"Title of {id}", "Backend Developer", "AI Safety Researcher", "Summary.", Difficulty.Challenging, new MonthRange(12, 18),
            "+30%", "Growing", [new TransferableSkill("Python", "Research code")], [], phases,
            new ActionPlan([], [], []), new RealityCheck([], [], []), [], ["What went well?"]);
    }

    /// <summary>ai-safety: phases of 2, 3 and 1 weeks (6 weeks, 6 tasks); web-dev: one phase of 4 weeks.</summary>
    public static PathwayCatalog Catalog() => new([WithPhases("ai-safety", 2, 3, 1), WithPhases("web-dev", 4)]);
}
