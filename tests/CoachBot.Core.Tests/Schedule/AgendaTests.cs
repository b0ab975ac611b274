using CoachBot.Core.Schedule;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Schedule;

public sealed class AgendaTests
{
    private static readonly CoachBot.Core.Pathways.Pathway _pathway = TestPathways.WithPhases("ai-safety", 2, 3, 1);

    [Fact]
    public void For_InWeekThree_NumbersThisWeeksTasksFirstThenOverdueOnes()
    {
        var position = WeekClock.Locate(_pathway, new DateOnly(2026, 12, 7), [], new DateOnly(2026, 12, 21));

        var agenda = Agenda.For(_pathway, position, new HashSet<string> { "p1w1" });

        Assert.Equal(["p2w1", "p1w2"], agenda.Select(item => item.Task.Id));
        Assert.Equal([1, 2], agenda.Select(item => item.Number));
        Assert.True(agenda[1].Overdue);
    }

    [Fact]
    public void For_WhenThisWeeksTaskIsDone_KeepsItSoNumbersDoNotMove()
    {
        var position = WeekClock.Locate(_pathway, new DateOnly(2026, 12, 7), [], new DateOnly(2026, 12, 21));

        var agenda = Agenda.For(_pathway, position, new HashSet<string> { "p2w1" });

        Assert.True(agenda[0].Done);
        Assert.Equal(3, agenda.Count);
    }

    [Fact]
    public void DueWeek_CountsTheWeeksOfEarlierPhases()
    {
        var task = _pathway.FindTask("p3w1")!;

        Assert.Equal(6, Agenda.DueWeek(_pathway, task));
    }
}
