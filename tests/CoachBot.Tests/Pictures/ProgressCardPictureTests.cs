using CoachBot.Core.Pictures;
using CoachBot.Pictures;
using CoachBot.Testing;
using SkiaSharp;

namespace CoachBot.Tests.Pictures;

public sealed class ProgressCardPictureTests : IDisposable
{
    private readonly SkiaPictureRenderer _renderer = new();

    public void Dispose() => _renderer.Dispose();

    [Theory]
    [InlineData("start")]
    [InlineData("behind")]
    [InlineData("paused")]
    [InlineData("finished")]
    public void A_card_looks_as_it_did_when_it_was_last_approved(string scenario)
    {
        var image = _renderer.RenderProgressCard(PictureScenarios.Card(scenario));

        Assert.Equal("progress.png", image.FileName);
        Assert.Equal((800, 420), (image.Width, image.Height));
        GoldenImage.Matches($"progress-{scenario}.png", image.Png);
    }

    [Fact]
    public void The_cohort_chart_looks_as_it_did_when_it_was_last_approved()
    {
        var chart = CohortChart.From("ai-safety study group", PictureScenarios.Cohort(24), TimeZoneInfo.Utc, PictureScenarios.Now);

        var image = _renderer.RenderCohortChart(chart);

        Assert.Equal("cohort.png", image.FileName);
        GoldenImage.Matches("cohort-chart.png", image.Png);
    }

    [Fact]
    public void The_golden_comparison_fails_on_a_picture_that_changed()
    {
        var behind = _renderer.RenderProgressCard(PictureScenarios.Card("behind"));
        var finished = _renderer.RenderProgressCard(PictureScenarios.Card("finished"));

        var (differing, total, _) = GoldenImage.Compare(behind.Png.ToArray(), finished.Png);

        Assert.True(differing > total * 0.005, $"Only {differing} of {total} pixels differ between two different cards.");
    }

    [Fact]
    public void A_name_of_only_emoji_is_drawn_as_Member_not_as_boxes_or_nothing()
    {
        var emoji = _renderer.RenderProgressCard(PictureScenarios.Card("start", "😀🚀"));
        var member = _renderer.RenderProgressCard(PictureScenarios.Card("start", "Member"));

        var (differing, _, _) = GoldenImage.Compare(member.Png.ToArray(), emoji.Png);

        Assert.Equal(0, differing);
    }

    [Fact]
    public async Task Cards_drawn_at_once_on_many_threads_are_each_the_card_drawn_alone()
    {
        var alone = PictureScenarios.Names.ToDictionary(scenario => scenario, scenario => _renderer.RenderProgressCard(PictureScenarios.Card(scenario)).Png.ToArray());

        var together = await Task.WhenAll(Enumerable.Range(0, 64).Select(index => Task.Run(() =>
        {
            var scenario = PictureScenarios.Names[index % PictureScenarios.Names.Count];
            return (scenario, _renderer.RenderProgressCard(PictureScenarios.Card(scenario)).Png.ToArray());
        })));

        Assert.All(together, drawn => Assert.Equal(alone[drawn.scenario], drawn.Item2));
    }

    [Fact]
    public void The_png_is_a_real_800_by_420_image()
    {
        var image = _renderer.RenderProgressCard(PictureScenarios.Card("behind"));

        using var bitmap = SKBitmap.Decode(image.Png.ToArray());
        Assert.Equal((800, 420), (bitmap.Width, bitmap.Height));
        Assert.InRange(image.Png.Length, 5_000, 500_000);
    }
}
