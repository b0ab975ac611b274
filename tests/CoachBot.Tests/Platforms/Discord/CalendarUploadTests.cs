using System.Text.Json.Nodes;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary><c>/calendar</c> on Discord: a private answer and the .ics as a file of a private follow-up.</summary>
public sealed class CalendarUploadTests : IAsyncLifetime
{
    private BotHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHarness.CreateAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Calendar_answers_privately_with_the_ics_file()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var interaction = await _bot.CommandAsync("calendar");

        var reply = await _bot.ReplyAsync(interaction);
        await _bot.Fake.WaitForAsync(() => _bot.Fake.FilesFor(interaction).Count > 0, "the calendar file");

        Assert.True(BotHarness.IsEphemeral(reply));
        Assert.Contains("each week's tasks", BotHarness.Content(reply), StringComparison.Ordinal);
        var file = Assert.Single(_bot.Fake.FilesFor(interaction));
        Assert.Equal(("coachbot-calendar.ics", "text/calendar"), (file.FileName, file.ContentType));
        Assert.NotNull(Ical.Net.Calendar.Load(file.Content));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }
}
