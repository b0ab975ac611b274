using CoachBot.Discord.Models;

namespace CoachBot.Discord.Tests.Models;

public sealed class MessageLimitsTests
{
    [Theory]
    [InlineData("short", 10, "short")]
    [InlineData("abcdefghij", 5, "abcd…")]
    [InlineData("word word word", 11, "word word…")]
    public void Truncate_WhenTextIsLong_EndsWithEllipsisWithinTheLimit(string text, int max, string expected)
    {
        var result = MessageLimits.Truncate(text, max);

        Assert.Equal(expected, result);
        Assert.True(result.Length <= max);
    }

    [Fact]
    public void Truncate_WhenCutFallsInsideAnEmoji_KeepsTheTextValid()
    {
        var text = "ab" + "😀😀😀";

        var result = MessageLimits.Truncate(text, 4);

        Assert.Equal("ab…", result);
    }

    [Fact]
    public void SplitContent_WhenLongerThan2000_ChunksAtLineBreaksWithinTheLimit()
    {
        var content = string.Join('\n', Enumerable.Range(0, 300).Select(i => $"Line {i:000} of the week's tasks"));

        var chunks = MessageLimits.SplitContent(content);

        Assert.True(chunks.Count > 1);
        Assert.All(chunks, c => Assert.InRange(c.Length, 1, MessageLimits.Content));
        Assert.Equal(content.Replace("\n", "", StringComparison.Ordinal), string.Concat(chunks).Replace("\n", "", StringComparison.Ordinal));
    }

    /// <summary>
    /// Lines, words without spaces, emoji at every cut and runs of blanks: every chunk fits, no surrogate pair is cut,
    /// a cut prefers a line break, then a space, and nothing but the whitespace at the cuts is lost.
    /// </summary>
    [Theory]
    [InlineData(1, 50)]
    [InlineData(2, 2000)]
    [InlineData(3, 7)]
    [InlineData(4, 2)]
    public void SplitContent_OfMixedText_KeepsEveryCharacterButTheCutWhitespace(int seed, int maxLength)
    {
        var random = new Random(seed);
        var pieces = new[] { "member line", "\n", " ", "\U0001F600", new string('x', maxLength + 3), "  \n\n ", "é" };
        var content = string.Concat(Enumerable.Range(0, 3000).Select(_ => pieces[random.Next(pieces.Length)]));

        var chunks = MessageLimits.SplitContent(content, maxLength);

        Assert.All(chunks, chunk =>
        {
            Assert.InRange(chunk.Length, 1, maxLength);
            Assert.False(char.IsHighSurrogate(chunk[^1]), "a chunk ends inside an emoji");
            Assert.False(char.IsLowSurrogate(chunk[0]), "a chunk starts inside an emoji");
        });
        Assert.Equal(Strip(content), string.Concat(chunks.Select(Strip)));

        static string Strip(string text) => text.Replace("\n", string.Empty, StringComparison.Ordinal).Replace(" ", string.Empty, StringComparison.Ordinal);
    }

    [Fact]
    public void SplitContent_OfAWholeCohort_CutsAtLineEnds()
    {
        var content = string.Join('\n', Enumerable.Range(0, 10_000).Select(i => $"  • member {i} — phase 2, week 3 · ████░░░░ 40%"));

        var chunks = MessageLimits.SplitContent(content);

        Assert.All(chunks, chunk => Assert.InRange(chunk.Length, 1, MessageLimits.Content));
        Assert.All(chunks, chunk => Assert.EndsWith("40%", chunk, StringComparison.Ordinal));
        Assert.Equal(10_000, chunks.Sum(chunk => chunk.Split('\n').Length));
    }

    [Fact]
    public void FitEmbeds_WhenTotalExceeds6000_ShrinksToTheTotalLimit()
    {
        var embeds = Enumerable.Range(0, 4).Select(i => new Embed
        {
            Title = $"Week {i}",
            Description = new string('d', 3000),
            Fields = Enumerable.Range(0, 30).Select(f => new EmbedField($"Task {f}", new string('v', 2000))).ToList(),
        });

        var fitted = MessageLimits.FitEmbeds(embeds);

        Assert.True(fitted.Sum(MessageLimits.EmbedTextLength) <= MessageLimits.EmbedTotal);
        Assert.All(fitted, e => Assert.True(e.Fields!.Count <= MessageLimits.EmbedFields));
        Assert.All(fitted.SelectMany(e => e.Fields!), f => Assert.True(f.Value.Length <= MessageLimits.EmbedFieldValue));
    }

    [Fact]
    public void FitComponents_WhenTooManyRowsAndButtons_KeepsFiveByFiveAndShortensLabels()
    {
        var rows = Enumerable.Range(0, 7).Select(r => MessageComponent.ActionRow(
            Enumerable.Range(0, 7).Select(b => MessageComponent.Button(ButtonStyle.Primary, new string('l', 90), $"done:{r}:{b}")).ToList()));

        var fitted = MessageLimits.FitComponents(rows);

        Assert.Equal(5, fitted.Count);
        Assert.All(fitted, row => Assert.Equal(5, row.Components!.Count));
        Assert.All(fitted.SelectMany(r => r.Components!), b => Assert.True(b.Label!.Length <= MessageLimits.ButtonLabel));
    }

    [Fact]
    public void FitComponents_WhenCustomIdTooLong_Throws()
    {
        var row = MessageComponent.ActionRow(MessageComponent.Button(ButtonStyle.Primary, "Done", new string('x', 101)));

        Assert.Throws<ArgumentException>(() => MessageLimits.FitComponents([row]));
    }

    [Fact]
    public void FitChoices_WhenMoreThan25_KeepsTheFirst25()
    {
        var choices = Enumerable.Range(0, 40).Select(i => ApplicationCommandOptionChoice.FromString($"Pathway {i}", $"p{i}"));

        var fitted = MessageLimits.FitChoices(choices);

        Assert.Equal(25, fitted.Count);
    }
}
