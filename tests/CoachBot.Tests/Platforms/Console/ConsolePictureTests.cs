using SkiaSharp;

namespace CoachBot.Tests.Platforms.Console;

/// <summary>The console writes each picture beside the database (<c>data/cards</c>) and prints where, so a new user can open it.</summary>
public sealed class ConsolePictureTests : IDisposable
{
    private readonly ConsoleSessionRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    private string CardsFolder => Path.Combine(Path.GetDirectoryName(_runner.DatabasePath)!, "cards");

    [Fact]
    public async Task Progress_writes_the_members_card_and_prints_its_path()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/done 1\n/progress\n", "--as", "ada");

        var card = Path.Combine(CardsFolder, "ada.png");
        Assert.Contains($"🖼 800×420 picture: {card}", ConsoleSessionRunner.AnswerTo(transcript, "/progress"), StringComparison.Ordinal);
        using var bitmap = SKBitmap.Decode(card);
        Assert.Equal((800, 420), (bitmap.Width, bitmap.Height));
    }

    [Fact]
    public async Task Card_false_prints_text_only_and_writes_nothing()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/progress card:false\n", "--as", "ada");

        Assert.DoesNotContain("🖼", transcript, StringComparison.Ordinal);
        Assert.Contains("Phases:", ConsoleSessionRunner.AnswerTo(transcript, "/progress card:false"), StringComparison.Ordinal);
        Assert.False(Directory.Exists(CardsFolder));
    }

    [Fact]
    public async Task A_name_made_to_climb_out_of_the_folder_stays_inside_it()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/progress\n", "--as", "../../evil");

        Assert.Contains($"🖼 800×420 picture: {Path.Combine(CardsFolder, "evil.png")}", transcript, StringComparison.Ordinal);
        Assert.Single(Directory.GetFiles(CardsFolder));
    }

    [Fact]
    public async Task The_monday_digest_in_the_group_channel_comes_with_the_cohort_chart_unless_turned_off()
    {
        var withChart = await _runner.RunAsync("/coach channel study-group\n/enroll ai-safety\n/clock +7d\n", "--as", "ada");
        Assert.Contains($"🖼 800×420 picture: {Path.Combine(CardsFolder, "cohort.png")}", withChart, StringComparison.Ordinal);

        File.Delete(Path.Combine(CardsFolder, "cohort.png"));
        // Each run starts at the same simulated moment: the week after the first digest is two weeks on.
        var withoutChart = await _runner.RunAsync("/coach chart on:false\n/clock +14d\n", "--as", "ada");
        Assert.Contains("📢 #study-group", withoutChart, StringComparison.Ordinal);
        Assert.False(File.Exists(Path.Combine(CardsFolder, "cohort.png")));
    }
}
