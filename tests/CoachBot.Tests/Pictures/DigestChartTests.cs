using CoachBot.Core.Messaging;
using CoachBot.Core.Pictures;
using CoachBot.Pictures;
using CoachBot.Tests.Scheduling;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CoachBot.Tests.Pictures;

/// <summary>
/// The Monday digest from the real sweep on SQLite: with a chart of this server's cohort unless an organiser turned it
/// off, and never held back by a chart that cannot be drawn.
/// </summary>
public sealed class DigestChartTests : IDisposable
{
    private static readonly DateTimeOffset _mondayMidnight = new(2026, 11, 30, 0, 0, 0, TimeSpan.Zero);

    private readonly SkiaPictureRenderer _drawing = new();

    public void Dispose() => _drawing.Dispose();

    [Fact]
    public async Task The_digest_carries_a_chart_of_this_servers_cohort_and_no_names()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        var recording = new RecordingPictures(_drawing);
        await harness.RunAsync("olga", "coach", ("action", "channel"), ("channel", "group"));
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        await harness.Router.HandleAsync(
            new Core.Commands.CommandRequest(new MemberRef(SchedulingHarness.Platform, "guild-2", "carol"), "carol", false, "enroll", new Dictionary<string, string> { ["pathway"] = "course" }),
            CancellationToken.None);

        await harness.TickUntilAsync(_mondayMidnight.AddHours(10), TimeSpan.FromHours(1), harness.NewRunner(pictures: recording));

        var digest = Assert.Single(harness.Messenger.Messages, message => message.ChannelId == "group" && message.Message.Title!.StartsWith("Weekly digest", StringComparison.Ordinal));
        var image = digest.Message.Image?.Draw();
        var chart = Assert.Single(recording.Charts);
        Assert.Equal(2, chart.Members);
        Assert.Equal(2, chart.Phases.Sum(phase => phase.Members));
        Assert.StartsWith("Study group · week of Mon 30 Nov 2026", chart.Title, StringComparison.Ordinal);
        Assert.DoesNotContain("alice", chart.Description, StringComparison.Ordinal);
        Assert.Equal("cohort.png", image?.FileName);
        Assert.Equal(chart.Description, image!.Description);
    }

    [Fact]
    public async Task An_organiser_who_turned_the_chart_off_gets_the_text_only()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        var recording = new RecordingPictures(_drawing);
        await harness.RunAsync("olga", "coach", ("action", "channel"), ("channel", "group"));
        await harness.RunAsync("olga", "coach", ("action", "chart"), ("on", "false"));
        await harness.EnrolAsync("alice");

        await harness.TickUntilAsync(_mondayMidnight.AddHours(10), TimeSpan.FromHours(1), harness.NewRunner(pictures: recording));

        var digest = Assert.Single(harness.Messenger.Messages, message => message.ChannelId == "group" && message.Message.Title!.StartsWith("Weekly digest", StringComparison.Ordinal));
        Assert.Null(digest.Message.Image);
        Assert.Empty(recording.Charts);
    }

    [Fact]
    public async Task A_chart_that_cannot_be_drawn_is_logged_and_the_digest_goes_as_text()
    {
        await using var harness = await SchedulingHarness.CreateAsync(_mondayMidnight);
        var logs = new FakeLogger<PictureRenderer>();
        var broken = new PictureRenderer(new BrokenDrawing(), logs);
        await harness.RunAsync("olga", "coach", ("action", "channel"), ("channel", "group"));
        await harness.EnrolAsync("alice");

        await harness.TickUntilAsync(_mondayMidnight.AddHours(10), TimeSpan.FromHours(1), harness.NewRunner(pictures: broken));

        var digest = Assert.Single(harness.Messenger.Messages, message => message.ChannelId == "group" && message.Message.Title!.StartsWith("Weekly digest", StringComparison.Ordinal));
        Assert.Null(digest.Message.Image?.Draw());
        Assert.Contains("alice", digest.Message.ToPlainText(), StringComparison.Ordinal);
        var error = Assert.Single(logs.Collector.GetSnapshot(), record => record.Level == LogLevel.Error);
        Assert.Equal(601, error.Id.Id);
        Assert.Equal(1, await harness.DeliveriesAsync("kind = 'digest' AND state = 'sent'"));
    }

    private sealed class RecordingPictures(SkiaPictureRenderer drawing) : IPictureRenderer
    {
        public List<CohortChart> Charts { get; } = [];

        public ReplyImage? RenderProgressCard(ProgressCard card) => drawing.RenderProgressCard(card);

        public ReplyImage? RenderCohortChart(CohortChart chart)
        {
            Charts.Add(chart);
            return drawing.RenderCohortChart(chart);
        }
    }

    private sealed class BrokenDrawing : IPictureDrawing
    {
        public ReplyImage RenderProgressCard(ProgressCard card) => throw new InvalidOperationException("Skia could not make a drawing surface.");

        public ReplyImage RenderCohortChart(CohortChart chart) => throw new InvalidOperationException("Skia could not make a drawing surface.");
    }
}
