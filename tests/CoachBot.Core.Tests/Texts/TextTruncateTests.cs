using System.Text;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Tests.Texts;

/// <summary>Truncation of what members and organisers typed (names, notes, causes): short enough, and still text.</summary>
public sealed class TextTruncateTests
{
    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("abcdefghij", 5, "abcd…")]
    [InlineData("a\U0001F600b", 3, "a…")]
    [InlineData("ab\U0001F600", 4, "ab\U0001F600")]
    [InlineData("\U0001F600\U0001F600\U0001F600", 4, "\U0001F600…")]
    public void Truncate_StaysWithinTheLimit_AndNeverCutsACharacterInTwo(string text, int maxLength, string expected)
    {
        var truncated = Text.Truncate(text, maxLength);

        Assert.Equal(expected, truncated);
        Assert.True(truncated.Length <= maxLength);
        Assert.DoesNotContain(Rune.ReplacementChar, truncated.EnumerateRunes());
    }
}
