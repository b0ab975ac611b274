using System.Text.Json.Nodes;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>Garbage through the gateway into the real bot host: dropped, and the same session keeps answering.</summary>
public sealed class GatewayGarbageTests : IAsyncLifetime
{
    private static readonly string[] _rawFrames =
    [
        "not json at all", "", "null", "[]", "42", "\"a string\"", "{", "{\"op\":\"zero\"}", "{\"op\":0}", "{\"op\":0,\"t\":\"INTERACTION_CREATE\"}",
        "{\"op\":0,\"t\":\"INTERACTION_CREATE\",\"s\":\"x\",\"d\":[]}", "{\"op\":0,\"t\":\"INTERACTION_CREATE\",\"d\":null}",
        "{\"op\":0,\"t\":\"INTERACTION_CREATE\",\"d\":{\"id\":{},\"type\":\"2\"}}", "{\"op\":0,\"t\":\"UNKNOWN_EVENT\",\"d\":{\"x\":1}}",
        "{\"op\":99,\"d\":{}}", "{\"op\":0,\"t\":\"INTERACTION_CREATE\",\"d\":{\"type\":2,\"id\":\"1\",\"token\":\"t\",\"application_id\":\"1\",\"data\":{\"name\":\"today\",\"options\":[null,{\"name\":null},{\"type\":\"x\"}]}}}",
        "{\"op\":0,\"t\":\"INTERACTION_CREATE\",\"d\":{\"type\":5,\"id\":\"2\",\"token\":\"t\",\"application_id\":\"1\",\"user\":{\"id\":\"5\",\"username\":\"u\"},\"data\":{\"custom_id\":\"x\",\"components\":[null,{\"components\":[null]}]}}}",
    ];

    private BotHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHarness.CreateAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Bot_AfterGarbageFramesAndMangledInteractions_StillAnswersTodayInTheSameSession()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var session = _bot.Fake.LatestSession!.Id;

        foreach (var frame in _rawFrames)
        {
            await _bot.Fake.SendRawAsync(frame);
        }

        var mangled = new[]
        {
            await _bot.CommandAsync("today", rawOptions: [null, new JsonObject { ["name"] = null }, JsonValue.Create(7)]),
            await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = string.Concat(Enumerable.Repeat("@everyone 🎉 ", 500)) }),
            await _bot.ButtonAsync(new string('x', 6000)),
            await _bot.ModalSubmitAsync("checkin-note:1:1", "<@53908232506183680> \u202Eevil"),
        };
        var today = await _bot.ReplyAsync(await _bot.CommandAsync("today"));

        Assert.Contains("This week:", BotHarness.Content(today));
        // The same session, not necessarily the same socket: garbage must not make the bot start over (a new IDENTIFY);
        // a reconnect that resumes (e.g. a late heartbeat ACK on a busy machine) is the gateway doing its job.
        Assert.Equal(session, _bot.Fake.LatestSession!.Id);
        Assert.Equal(1, _bot.Fake.IdentifyCount);
        Assert.False(_bot.Run!.IsCompleted);
        Assert.Empty(_bot.Fake.SchemaViolations);
        Assert.DoesNotContain(_bot.Fake.Options.Token, string.Join('\n', _bot.LogLines()) + _bot.Error, StringComparison.Ordinal);
        Assert.All(mangled.SelectMany(interaction => interaction.ReplyContents), content => Assert.False(CoachBot.Core.Messaging.MentionGuard.HasLiveMention(content), content));
    }
}
