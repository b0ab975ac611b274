using CoachBot.Core.Pathways;

namespace CoachBot.Core.Tests.Pathways;

public sealed class ClosestMatchTests
{
    [Theory]
    [InlineData("titel", "title")]
    [InlineData("Title", "title")]
    [InlineData("demnad", "demand")]
    [InlineData("fromRole", "from_role")]
    [InlineData("checkin_question", "checkin_questions")]
    [InlineData("wek", "week")]
    public void Find_WhenTheWordIsATypo_SuggestsTheKnownKey(string typed, string expected)
    {
        var match = ClosestMatch.Find(typed, [.. PathwayFormat.PathwayKeys, .. PathwayFormat.TaskKeys]);

        Assert.Equal(expected, match);
    }

    [Theory]
    [InlineData("bad")]
    [InlineData("mascot")]
    [InlineData("author")]
    public void Find_WhenNothingIsClose_SuggestsNothing(string typed)
    {
        var match = ClosestMatch.Find(typed, [.. PathwayFormat.PathwayKeys, .. PathwayFormat.TaskKeys]);

        Assert.Null(match);
    }
}
