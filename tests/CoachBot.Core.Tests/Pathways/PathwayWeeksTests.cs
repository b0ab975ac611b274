using CoachBot.Core.Pathways;

namespace CoachBot.Core.Tests.Pathways;

public sealed class PathwayWeeksTests
{
    [Theory]
    [InlineData(4, 8, new[] { 1, 3, 5, 7 })]
    [InlineData(4, 12, new[] { 1, 4, 7, 10 })]
    [InlineData(3, 12, new[] { 1, 5, 9 })]
    [InlineData(1, 8, new[] { 1 })]
    [InlineData(3, 1, new[] { 1, 1, 1 })]
    [InlineData(5, 2, new[] { 1, 1, 1, 2, 2 })]
    [InlineData(8, 8, new[] { 1, 2, 3, 4, 5, 6, 7, 8 })]
    public void SpreadEvenly_PlacesTasksFromWeekOneAtEvenSteps(int count, int phaseWeeks, int[] expectedWeeks)
    {
        var weeks = Enumerable.Range(0, count).Select(index => PathwayWeeks.SpreadEvenly(index, count, phaseWeeks));

        Assert.Equal(expectedWeeks, weeks);
    }

    [Fact]
    public void SpreadEvenly_StaysWithinThePhaseForLargeInputs()
    {
        var last = PathwayWeeks.SpreadEvenly(int.MaxValue - 1, int.MaxValue, int.MaxValue);

        Assert.Equal(int.MaxValue, last);
    }

    [Theory]
    [InlineData(-1, 4, 8)]
    [InlineData(4, 4, 8)]
    [InlineData(0, 4, 0)]
    public void SpreadEvenly_WhenTheArgumentsDescribeNoTask_Throws(int index, int count, int phaseWeeks)
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => PathwayWeeks.SpreadEvenly(index, count, phaseWeeks));
    }
}
