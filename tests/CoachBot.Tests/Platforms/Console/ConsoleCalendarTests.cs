namespace CoachBot.Tests.Platforms.Console;

/// <summary>The console writes <c>/calendar</c>'s file beside the database instead of printing hundreds of lines.</summary>
public sealed class ConsoleCalendarTests : IDisposable
{
    private readonly ConsoleSessionRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task Calendar_writes_the_members_ics_file_and_prints_its_path_not_its_text()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety timezone:Europe/Berlin\n/calendar\n", "--as", "ada");

        var file = Path.Combine(Path.GetDirectoryName(_runner.DatabasePath)!, "calendars", "ada.ics");
        var answer = ConsoleSessionRunner.AnswerTo(transcript, "/calendar");
        Assert.Contains($"📅 calendar: {file}", answer, StringComparison.Ordinal);
        Assert.DoesNotContain("BEGIN:VCALENDAR", answer, StringComparison.Ordinal);
        var calendar = Ical.Net.Calendar.Load(await File.ReadAllTextAsync(file));
        Assert.Equal(48, calendar!.Events.Count(item => item.Uid!.Contains("-week-", StringComparison.Ordinal)));
        Assert.All(calendar.Events.Where(item => item.DtStart!.HasTime), item => Assert.Equal("Europe/Berlin", item.DtStart!.TzId));
    }
}
