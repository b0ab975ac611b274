using CoachBot.Core.Messaging;
using CoachBot.Platforms.Console;

namespace CoachBot.Tests.Platforms.Console;

public sealed class ConsoleTextTests
{
    [Theory]
    [InlineData("Start with `/enroll ai-safety` today", "Start with /enroll ai-safety today")]
    [InlineData("**bold**, __underlined__, *italic*, _italic_, ~~struck~~ and ||hidden||", "bold, underlined, italic, italic, struck and hidden")]
    [InlineData("See [the guide](https://example.org/a_b) first", "See the guide (https://example.org/a_b) first")]
    [InlineData("-# small print", "small print")]
    [InlineData("> a quote stays a quote", "> a quote stays a quote")]
    [InlineData("Read <https://example.org/x> now", "Read https://example.org/x now")]
    [InlineData("https://example.org/snake_case_path*star*", "https://example.org/snake_case_path*star*")]
    [InlineData("2 * 3 = 6 and snake_case_name stay", "2 * 3 = 6 and snake_case_name stay")]
    [InlineData("a\\_b \\*c\\* d\\\\e C:\\Users", "a_b *c* d\\e C:\\Users")]
    [InlineData("`a\\_b` keeps its backslash", "a\\_b keeps its backslash")]
    public void StripMarkdown_ShowsWhatDiscordWouldShow(string markdown, string expected)
    {
        Assert.Equal(expected, ConsoleText.StripMarkdown(markdown));
    }

    [Theory]
    [InlineData("a_b*c*\\d")]
    [InlineData("**not bold** [x](https://e.x) `c` ~~s~~ > q -# small")]
    [InlineData("1. not a list, # not a heading, - not a bullet, (a|b) + c")]
    public void StripMarkdown_OfTextEscapedByPublicText_IsWhatTheMemberTyped(string typed)
    {
        var escaped = PublicText.Note(typed);

        Assert.Equal(typed, ConsoleText.StripMarkdown(escaped));
    }

    [Fact]
    public void Wrap_AListItem_ContinuesUnderItsText()
    {
        var wrapped = ConsoleText.Wrap("  1. ☐ " + Words(30), 40);

        var lines = wrapped.Split('\n');
        Assert.True(lines.Length > 1);
        Assert.StartsWith("  1. ☐ word1 ", lines[0], StringComparison.Ordinal);
        Assert.All(lines, line => Assert.InRange(line.Length, 1, 40));
        Assert.All(lines.Skip(1), line => Assert.Matches("^       word", line));
    }

    [Fact]
    public void Wrap_ABulletAndAButton_ContinueUnderTheirText()
    {
        var bullet = ConsoleText.Wrap("  • " + Words(20), 40).Split('\n');
        var button = ConsoleText.Wrap("[b12] Mark \"" + Words(20) + "\" done", 40).Split('\n');

        Assert.All(bullet.Skip(1), line => Assert.Matches("^    word", line));
        Assert.All(button.Skip(1), line => Assert.Matches("^      (word|done)", line));
        Assert.True(bullet.Length > 1 && button.Length > 1);
    }

    [Fact]
    public void Wrap_NeverBreaksAUrlOrAWord_ALongOneStandsOnItsOwnLine()
    {
        var url = "https://example.org/" + new string('x', 60);

        var lines = ConsoleText.Wrap($"  • Read {url} soon, please", 40).Split('\n');

        Assert.Equal(["  • Read", "    " + url, "    soon, please"], lines);
    }

    [Fact]
    public void Wrap_AQuote_ContinuesQuoted_AndShortLinesStayAsTheyAre()
    {
        var lines = ConsoleText.Wrap("> " + Words(12) + "\nshort   spaced  line", 40).Split('\n');

        Assert.All(lines.SkipLast(1), line => Assert.StartsWith("> word", line, StringComparison.Ordinal));
        Assert.Equal("short   spaced  line", lines[^1]);
    }

    [Fact]
    public void Wrap_WithAHangingIndent_ContinuesInThatColumn()
    {
        var lines = ConsoleText.Wrap("  day   " + Words(12), 40, hangingIndent: 8).Split('\n');

        Assert.All(lines.Skip(1), line => Assert.Matches("^        word", line));
        Assert.True(lines.Length > 1);
    }

    private static string Words(int count) => string.Join(' ', Enumerable.Range(1, count).Select(i => $"word{i}"));
}
