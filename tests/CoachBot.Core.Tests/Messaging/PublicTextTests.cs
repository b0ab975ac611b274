using System.Globalization;
using CoachBot.Core.Messaging;

namespace CoachBot.Core.Tests.Messaging;

public sealed class PublicTextTests
{
    [Theory]
    [InlineData("[Claim Nitro](https://evil.example)", @"\[Claim Nitro\]\(https\://evil.example\)")]
    [InlineData("https://evil.example", @"https\://evil.example")]
    [InlineData("<https://evil.example>", @"\<https\://evil.example\>")]
    [InlineData("**bold** __under__ *it* _it_", @"\*\*bold\*\* \_\_under\_\_ \*it\* \_it\_")]
    [InlineData("~~strike~~ ||spoiler||", @"\~\~strike\~\~ \|\|spoiler\|\|")]
    [InlineData("`code` ```block```", @"\`code\` \`\`\`block\`\`\`")]
    [InlineData("# Heading", @"\# Heading")]
    [InlineData("-# subtext", @"\-\# subtext")]
    [InlineData("> quote", @"\> quote")]
    [InlineData("- item", @"\- item")]
    [InlineData("+ item", @"\+ item")]
    [InlineData("1. first", @"1\. first")]
    [InlineData(@"back\slash", @"back\\slash")]
    [InlineData("<#1>", @"\<\#1\>")]
    [InlineData("<t:1700000000:R>", @"\<t\:1700000000\:R\>")]
    [InlineData("<:nitro:123>", @"\<\:nitro\:123\>")]
    [InlineData("Ana López 🎉", "Ana López 🎉")]
    [InlineData("Bob", "Bob")]
    public void Note_EscapesEveryMarkdownCharacterSoItReadsAsTyped(string typed, string expected)
    {
        Assert.Equal(expected, PublicText.Note(typed));
    }

    [Theory]
    [InlineData("@everyone")]
    [InlineData("@here")]
    [InlineData("<@123>")]
    [InlineData("<@!123456789012345678>")]
    [InlineData("<@&42>")]
    [InlineData("@\u200Beveryone")]
    public void NameAndNote_NeverHoldALiveMention(string typed)
    {
        Assert.False(MentionGuard.HasLiveMention(PublicText.Name(typed)));
        Assert.False(MentionGuard.HasLiveMention(PublicText.Note(typed)));
        Assert.Contains("everyone", PublicText.Note("@everyone"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ok\n# Bob (blocked)", @"ok \# Bob \(blocked\)")]
    [InlineData("fine\r\n  • Bob (blocked): \"help\"", @"fine • Bob \(blocked\)\: ""help""")]
    [InlineData("a\rb\tc\u2028d\u2029e\u0085f", "a b c d e f")]
    [InlineData("\n\n  spaced   out  \n", "spaced out")]
    public void Note_IsFoldedToOneLine(string typed, string expected)
    {
        var inert = PublicText.Note(typed);

        Assert.DoesNotContain('\n', inert);
        Assert.DoesNotContain('\r', inert);
        Assert.Equal(expected, inert);
    }

    [Theory]
    [InlineData("a\u200Bb", "ab")]
    [InlineData("\u202Eevil\u202C", "evil")]
    [InlineData("\u2066x\u2069\u200E\u200F", "x")]
    [InlineData("\uFEFFbom", "bom")]
    [InlineData("soft\u00ADhyphen", "softhyphen")]
    [InlineData("👩\u200D👩\u200D👧", "👩\u200D👩\u200D👧")]
    public void Note_DropsInvisibleFormatCharacters_ButKeepsEmojiJoiners(string typed, string expected)
    {
        Assert.Equal(expected, PublicText.Note(typed));
    }

    [Fact]
    public void Note_WithALoneSurrogate_ShowsAReplacementCharacter()
    {
        Assert.Equal("lone \uFFFD surrogate", PublicText.Note("lone \uD800 surrogate"));
        Assert.Equal("\uFFFD", PublicText.Note("\uDC00"));
    }

    [Fact]
    public void Name_OfOnlyInvisibleCharacters_IsShownAsNoName()
    {
        Assert.Equal(PublicText.Unnamed, PublicText.Name("\u200B\u202E \n"));
        Assert.Equal(PublicText.Unnamed, PublicText.Name(null));
        Assert.Equal(string.Empty, PublicText.Note("\u200B"));
    }

    [Fact]
    public void Note_Of10000Characters_IsCappedAt200ShownWithAnEllipsis()
    {
        var inert = PublicText.Note(new string('a', 10_000));

        Assert.Equal(PublicText.NoteLength, inert.Length);
        Assert.EndsWith("a…", inert, StringComparison.Ordinal);
    }

    [Fact]
    public void Name_IsCappedAt32Shown_CountingWhatIsReadNotTheEscapes()
    {
        var inert = PublicText.Name(string.Concat(Enumerable.Repeat("*", 100)));

        Assert.Equal(31, inert.Count(character => character == '*'));
        Assert.Equal(31 * 2 + 1, inert.Length);
        Assert.EndsWith("…", inert, StringComparison.Ordinal);
        Assert.Equal("exactly-32-characters-long-name!".Replace("-", @"\-", StringComparison.Ordinal), PublicText.Name("exactly-32-characters-long-name!"));
    }

    [Fact]
    public void Name_NeverCutsAnEmojiInHalf()
    {
        var inert = PublicText.Name(string.Concat(Enumerable.Repeat("👍🏽", 40)));

        Assert.Equal(PublicText.NameLength, new StringInfo(inert).LengthInTextElements);
        Assert.EndsWith("👍🏽…", inert, StringComparison.Ordinal);
    }

    [Fact]
    public void Note_OfEveryAsciiCharacter_LeavesNoMarkdownCharacterUnescaped()
    {
        var typed = new string([.. Enumerable.Range(33, 94).Select(code => (char)code)]);

        var inert = PublicText.Inert(typed, 1_000);

        for (var i = 0; i < inert.Length; i++)
        {
            if ("*_~`|>#-+[]()<:".Contains(inert[i], StringComparison.Ordinal))
            {
                Assert.Equal('\\', inert[i - 1]);
            }
        }

        Assert.Equal(typed, Unescape(inert));
    }

    private static string Unescape(string inert) =>
        System.Text.RegularExpressions.Regex.Replace(inert, @"\\(.)", "$1").Replace("\u200B", string.Empty, StringComparison.Ordinal);
}
