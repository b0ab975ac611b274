using CoachBot.Platforms.Console;

namespace CoachBot.Tests.Platforms.Console;

/// <summary>Odd text through <see cref="ConsoleText"/>: printed as typed, nothing cut, no crash.</summary>
public sealed class ConsoleTextAttackTests
{
    [Theory]
    [InlineData("\\\\\\\\\\\\\\\\\\\\")]
    [InlineData("\\")]
    [InlineData("**unclosed *nested _mix ~~ ||")]
    [InlineData("***")]
    [InlineData("`")]
    [InlineData("```")]
    [InlineData("[text](https://x")]
    [InlineData("<https://example.org")]
    [InlineData("@everyone @here <@123>")]
    [InlineData("שלום עולם مرحبا")]
    [InlineData("漢字かな交じり文😀👍🏽e\u0301")]
    public void StripThenWrap_KeepsEveryLetter(string text)
    {
        var plain = ConsoleText.StripMarkdown(text);
        var wrapped = ConsoleText.Wrap(plain, 40);

        foreach (var letter in text.Where(char.IsLetterOrDigit))
        {
            Assert.Contains(letter, wrapped);
        }
    }

    [Fact]
    public void Wrap_AVeryLongWord_IsKeptWhole()
    {
        var word = new string('x', 500);

        Assert.Equal("a\n" + word + "\nb", ConsoleText.Wrap("a " + word + " b", 40));
    }

    /// <summary>
    /// A pasted line of markers that never close (a reply echoes what was typed, e.g. a refused time): each marker once
    /// looked for its closer through the rest of the line, so 200,000 characters took minutes. The wait is a bound, not a sleep.
    /// </summary>
    [Fact]
    public async Task StripMarkdown_ALongLineOfOpenMarkers_FinishesInLinearTime_WithEveryLetter()
    {
        var line = string.Concat(Enumerable.Repeat("*a _b ", 35_000));

        var plain = await Task.Run(() => ConsoleText.StripMarkdown(line)).WaitAsync(TimeSpan.FromSeconds(10));

        Assert.Equal(35_000, plain.Count(character => character == 'a'));
        Assert.Equal(35_000, plain.Count(character => character == 'b'));
    }
}
