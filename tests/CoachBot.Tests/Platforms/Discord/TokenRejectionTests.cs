using System.Text.Json.Nodes;
using CoachBot.Discord.Testing;
using CoachBot.Storage;
using Microsoft.Data.Sqlite;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>
/// What a 401 does to the running bot: on an interaction webhook (an expired interaction token) it loses that one reply;
/// on a route that carries the bot token it stops the process with the token sentence and a non-zero exit code.
/// </summary>
public sealed class TokenRejectionTests : IAsyncLifetime
{
    private const string InvalidWebhookToken = """{"message":"Invalid Webhook Token","code":50027}""";
    private BotHarness _bot = null!;

    public async Task InitializeAsync()
    {
        _bot = await BotHarness.CreateAsync();
        _bot.Settings["Scheduling:TickInterval"] = "00:00:01";
    }

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task ExpiredInteractionToken_OnAFollowUp_LosesOnlyThatReply_TheNextCommandIsAnsweredAndAScheduledDmIsSent()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));

        // Discord's answer to a follow-up once the interaction token is older than 15 minutes.
        _bot.Fake.Script(new ScriptedResponse("POST", $"/webhooks/{_bot.Fake.Options.ApplicationId}/", 401, InvalidWebhookToken));
        await _bot.ReplyAsync(await _bot.CommandAsync("mydata", new JsonObject { ["action"] = "export" }));
        await _bot.Fake.WaitForAsync(() => _bot.Fake.Requests.Any(request => request.Status == 401), "the refused file follow-up");

        var today = await _bot.ReplyAsync(await _bot.CommandAsync("today"));
        await MakeRemindersDueAsync();
        var dmChannel = _bot.Fake.DmChannelFor(BotHarness.MemberUserId);
        await _bot.Fake.WaitForAsync(() => _bot.Fake.Messages.Any(message => message.ChannelId == dmChannel), "the scheduled reminder DM");

        Assert.Contains("This week:", BotHarness.Content(today));
        Assert.False(_bot.Run!.IsCompleted, "The bot stopped after an interaction token was refused: " + string.Join('\n', _bot.LogLines()));
        Assert.Single(_bot.Fake.Requests, request => request.Status == 401);
        Assert.DoesNotContain(_bot.Fake.Requests, request => request.Template.StartsWith("POST /webhooks", StringComparison.Ordinal) && request.Header("Authorization") is not null);
        Assert.Contains(_bot.LogLines(), line => line.StartsWith("Warning |", StringComparison.Ordinal) && line.Contains("interaction token", StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.LogLines(), line => line.StartsWith("Critical |", StringComparison.Ordinal));
    }

    [Fact]
    public async Task BotTokenRejected_OnAScheduledDm_StopsTheBotWithTheTokenSentenceAndANonZeroExitCode()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));

        // The token was reset in the Developer Portal while the bot runs: the next bot-token call gets 401.
        _bot.Fake.Script(new ScriptedResponse("POST", "/users/@me/channels", 401, """{"message":"401: Unauthorized","code":0}"""));
        await MakeRemindersDueAsync();
        var exitCode = await _bot.Run!.WaitAsync(TimeSpan.FromSeconds(60));

        Assert.Equal(2, exitCode);
        Assert.Contains(_bot.LogLines(), line => line.StartsWith("Critical |", StringComparison.Ordinal)
            && line.Contains("rejected the bot token", StringComparison.Ordinal) && line.Contains("Discord__Token", StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.LogLines(), line => line.Contains(_bot.Fake.Options.Token, StringComparison.Ordinal));
    }

    private async Task MakeRemindersDueAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={_bot.DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "UPDATE enrolments SET next_reminder_at = $due;";
        command.Parameters.AddWithValue("$due", SqliteValues.Instant(TimeProvider.System.GetUtcNow().AddMinutes(-1)));
        Assert.Equal(1, await command.ExecuteNonQueryAsync());
    }
}
