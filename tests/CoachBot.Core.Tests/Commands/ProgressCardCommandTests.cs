using CoachBot.Core.Messaging;
using CoachBot.Core.Pictures;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// <c>/progress</c> with its card: the picture shows the asker's (or the named member's) own enrolment in this server,
/// <c>card:false</c> leaves it out, and a card that cannot be drawn leaves the text alone.
/// </summary>
public sealed class ProgressCardCommandTests
{
    [Fact]
    public async Task Progress_attaches_a_card_of_the_members_own_enrolment_with_the_text_unchanged()
    {
        var pictures = new RecordingPictures();
        var harness = new RouterHarness(pictures: pictures);
        var textOnly = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await textOnly.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.RunAsync("ada", "progress");
        var image = reply.Image?.Draw();

        var card = Assert.Single(pictures.Cards);
        Assert.Equal("ada", card.MemberName);
        Assert.Equal("Title of ai-safety", card.PathwayTitle);
        Assert.Equal(3, card.Phases.Count);
        Assert.Equal("progress.png", image?.FileName);
        Assert.Contains("Progress card for ada", image!.Description, StringComparison.Ordinal);
        Assert.Equal((await textOnly.RunAsync("ada", "progress")).ToPlainText(), reply.ToPlainText());
    }

    [Theory]
    [InlineData("false")]
    [InlineData("off")]
    [InlineData("no")]
    public async Task Card_false_answers_with_text_only(string value)
    {
        var pictures = new RecordingPictures();
        var harness = new RouterHarness(pictures: pictures);
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.RunAsync("ada", "progress", ("card", value));

        Assert.Null(reply.Image);
        Assert.Empty(pictures.Cards);
        Assert.Contains("Phases:", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_value_that_is_not_true_or_false_says_so()
    {
        var harness = new RouterHarness(pictures: new RecordingPictures());
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.RunAsync("ada", "progress", ("card", "maybe"));

        Assert.Equal("'maybe' is not true or false for `card`; e.g. `card:true`.", reply.ToPlainText());
    }

    [Fact]
    public async Task Another_members_card_shows_them_and_only_their_enrolment_in_this_server()
    {
        var pictures = new RecordingPictures();
        var harness = new RouterHarness(pictures: pictures);
        await harness.RunAsync("bob", "enroll", ("pathway", "web-dev"));
        await harness.Router.HandleAsync(
            new Core.Commands.CommandRequest(new MemberRef("test", "guild-2", "bob"), "bob", false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" }),
            CancellationToken.None);

        var reply = await harness.RunAsync("ada", "progress", ("member", "bob"));
        var image = reply.Image?.Draw();

        var card = Assert.Single(pictures.Cards);
        Assert.Equal("bob", card.MemberName);
        Assert.Equal("Title of web-dev", card.PathwayTitle);
        Assert.NotNull(image);
    }

    [Fact]
    public async Task Nobody_enrolled_gets_the_sentence_and_no_picture()
    {
        var pictures = new RecordingPictures();
        var harness = new RouterHarness(pictures: pictures);

        var reply = await harness.RunAsync("ada", "progress");

        Assert.Null(reply.Image);
        Assert.Empty(pictures.Cards);
        Assert.Contains("enroll", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_card_that_cannot_be_drawn_leaves_the_text_reply_whole()
    {
        var harness = new RouterHarness(pictures: new RecordingPictures { Fails = true });
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.RunAsync("ada", "progress");

        Assert.Null(reply.Image?.Draw());
        Assert.Contains("Phases:", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_card_is_drawn_only_when_the_platform_asks_and_then_once()
    {
        var pictures = new RecordingPictures();
        var harness = new RouterHarness(pictures: pictures);
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.RunAsync("ada", "progress");
        var before = pictures.Cards.Count;
        var first = reply.Image!.Draw();
        var second = reply.Image.Draw();

        Assert.Equal(0, before);
        Assert.Single(pictures.Cards);
        Assert.Same(first, second);
    }

    private sealed class RecordingPictures : IPictureRenderer
    {
        public List<ProgressCard> Cards { get; } = [];

        /// <summary>Stands for a renderer that could not draw: it answers null, as the host's does after logging why.</summary>
        public bool Fails { get; init; }

        public ReplyImage? RenderProgressCard(ProgressCard card)
        {
            Cards.Add(card);
            return Fails ? null : new ReplyImage("progress.png", new byte[] { 0x89, 0x50, 0x4E, 0x47 }, card.Description, 800, 420);
        }

        public ReplyImage? RenderCohortChart(CohortChart chart) => null;
    }
}
