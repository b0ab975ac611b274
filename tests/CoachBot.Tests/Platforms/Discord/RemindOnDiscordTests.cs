using System.Text.Json.Nodes;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary><c>/remind</c>'s check-in options on Discord: registered as Discord accepts them, and answered.</summary>
public sealed class RemindOnDiscordTests : IAsyncLifetime
{
    private BotHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHarness.CreateAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Remind_IsRegisteredWithTheCheckInOptions_AndSetsTheCheckIn()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.Fake.WaitForAsync(() => _bot.Fake.CommandOverwriteCount == 1, "the bulk overwrite");

        var remind = _bot.Fake.CommandsFor("global")!.Single(command => command!["name"]!.GetValue<string>() == "remind")!;
        var options = remind["options"]!.AsArray().ToDictionary(option => option!["name"]!.GetValue<string>(), option => option!);
        Assert.Equal(
            ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"],
            options["checkin_day"]["choices"]!.AsArray().Select(choice => choice!["name"]!.GetValue<string>()));
        Assert.Equal(3, options["checkin_time"]["type"]!.GetValue<int>());
        Assert.Equal(5, options["checkin_off"]["type"]!.GetValue<int>());

        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var moved = await _bot.ReplyAsync(await _bot.CommandAsync("remind", new JsonObject { ["checkin_day"] = "Sunday", ["checkin_time"] = "20:00" }));
        var off = await _bot.ReplyAsync(await _bot.CommandAsync("remind", rawOptions:
            [new JsonObject { ["type"] = 5, ["name"] = "checkin_off", ["value"] = true }]));

        Assert.Contains("check-in: Sundays at 20:00", BotHarness.Content(moved));
        Assert.Contains("Next check-in: Sun ", BotHarness.Content(moved));
        Assert.Contains("check-in: off", BotHarness.Content(off));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }
}
