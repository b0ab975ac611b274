using System.Net;
using System.Text.Json.Nodes;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Discord.Tests.Rest;

public sealed class DiscordRestClientTests : IAsyncLifetime, IDisposable
{
    private readonly TestLogging _logging = new();
    private FakeDiscordServer _fake = null!;

    // Discord's 3-second answer window is tested on a fake clock (InteractionResponderTests); on the real clock here a busy
    // machine can take longer than that between creating an interaction and answering it.
    public async Task InitializeAsync() => _fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { InteractionResponseWindow = TimeSpan.FromSeconds(30) });

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task CreateMessageAsync_WhenSent_CarriesBotAuthUserAgentEmptyMentionParseAndNonce()
    {
        var rest = Clients.Rest(Clients.OptionsFor(_fake, o => (o.UserAgentUrl, o.UserAgentVersion) = ("https://example.org/bot", "2.3.4")), _logging);

        await rest.CreateMessageAsync(Snowflake.Parse("645027906669510667"), new MessageCreate { Content = "Hello <@1>", Nonce = "rem-1-2" }, CancellationToken.None);

        var request = Assert.Single(_fake.Requests);
        Assert.Equal("Bot " + _fake.Options.Token, request.Header("Authorization"));
        Assert.Equal("DiscordBot (https://example.org/bot, 2.3.4)", request.Header("User-Agent"));
        var body = JsonNode.Parse(request.Body)!;
        Assert.Empty(body["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Equal("rem-1-2", body["nonce"]!.GetValue<string>());
        Assert.True(body["enforce_nonce"]!.GetValue<bool>());
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task CreateFollowupMessageAsync_WithAFile_UploadsMultipartWithPayloadJsonAndFilesZero()
    {
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);
        var interaction = _fake.CreateInteraction();
        var app = Snowflake.Parse(_fake.Options.ApplicationId);
        await rest.CreateInteractionResponseAsync(Snowflake.Parse(interaction.Id), interaction.Token, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), CancellationToken.None);

        await rest.CreateFollowupMessageAsync(app, interaction.Token, new MessageCreate { Content = "Your data", Flags = MessageFlags.Ephemeral },
            [new MessageFile("data.json", "application/json", "{\"a\":1}"u8.ToArray())], CancellationToken.None);

        var request = _fake.Requests[^1];
        Assert.StartsWith("multipart/form-data", request.Header("Content-Type"));
        var file = Assert.Single(request.Files);
        Assert.Equal(("files[0]", "data.json", "application/json", "{\"a\":1}"), (file.Name, file.FileName, file.ContentType, file.Content));
        var payload = JsonNode.Parse(request.Body)!;
        Assert.Equal("Your data", payload["content"]!.GetValue<string>());
        Assert.Equal("data.json", payload["attachments"]![0]!["filename"]!.GetValue<string>());
        Assert.Equal("0", payload["attachments"]![0]!["id"]!.GetValue<string>());
        Assert.True(_fake.SchemaViolations.Count == 0, string.Join("\n", _fake.SchemaViolations));
    }

    [Fact]
    public async Task CreateMessageAsync_WithoutANonce_GeneratesOneAndEnforcesIt()
    {
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);

        await rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, CancellationToken.None);

        var body = JsonNode.Parse(Assert.Single(_fake.Requests).Body)!;
        Assert.InRange(body["nonce"]!.GetValue<string>().Length, 1, 25);
        Assert.True(body["enforce_nonce"]!.GetValue<bool>());
    }

    [Fact]
    public async Task CreateMessageAsync_WhenRetriedWithSameNonce_DiscordKeepsOneMessage()
    {
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);
        var channel = Snowflake.Parse("645027906669510667");

        var first = await rest.CreateMessageAsync(channel, new MessageCreate { Content = "Week 2", Nonce = "rem-7-2" }, CancellationToken.None);
        var second = await rest.CreateMessageAsync(channel, new MessageCreate { Content = "Week 2", Nonce = "rem-7-2" }, CancellationToken.None);

        Assert.Equal(first.Id, second.Id);
        Assert.Single(_fake.Messages);
    }

    [Fact]
    public async Task CreateMessageAsync_WhenUserClosedDms_Throws50007WithoutRetrying()
    {
        _fake.Options.DmClosedUserIds.Add("82198898841029460");
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);
        var dm = await rest.CreateDmChannelAsync(Snowflake.Parse("82198898841029460"), CancellationToken.None);

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateMessageAsync(dm.Id, new MessageCreate { Content = "Reminder" }, CancellationToken.None));

        Assert.Equal(HttpStatusCode.Forbidden, error.StatusCode);
        Assert.Equal(DiscordErrorCodes.CannotSendMessagesToUser, error.Code);
        Assert.True(error.IsDmUndeliverable);
        Assert.Single(_fake.Requests, r => r.Template == "POST /channels/{channel_id}/messages");
    }

    [Fact]
    public async Task CreateMessageAsync_WhenServerErrorsTwice_RetriesAndSucceeds()
    {
        _fake.Script(new ScriptedResponse("POST", "/channels/", 500, """{"message":"Internal Server Error","code":0}""") { Times = 2 });
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);

        var message = await rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, CancellationToken.None);

        Assert.NotEqual(0UL, message.Id.Value);
        Assert.Equal(3, _fake.Requests.Count);
    }

    [Fact]
    public async Task CreateMessageAsync_WhenServerKeepsFailing_GivesUpAfterBoundedRetries()
    {
        _fake.Script(new ScriptedResponse("POST", "/channels/", 502, "<html>Bad Gateway</html>", "text/html") { Times = 50 });
        var rest = Clients.Rest(Clients.OptionsFor(_fake, o => o.MaxServerErrorRetries = 3), _logging);

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, CancellationToken.None));

        Assert.Equal(HttpStatusCode.BadGateway, error.StatusCode);
        Assert.Equal(4, _fake.Requests.Count);
    }

    [Theory]
    [InlineData(400, 50035)]
    [InlineData(403, 50001)]
    [InlineData(404, 10003)]
    public async Task CreateMessageAsync_WhenClientError_ThrowsTypedErrorWithoutRetry(int status, int code)
    {
        _fake.Script(new ScriptedResponse("POST", "/channels/", status, $$"""{"message":"nope","code":{{code}}}"""));
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, CancellationToken.None));

        Assert.Equal(code, error.Code);
        Assert.Equal((HttpStatusCode)status, error.StatusCode);
        Assert.Single(_fake.Requests);
    }

    [Fact]
    public async Task CreateMessageAsync_WhenFormBodyInvalid_FlattensErrorsIntoPaths()
    {
        _fake.Script(new ScriptedResponse("POST", "/channels/", 400, DiscordFixtures.ReadText("error-invalid-form-body-50035.json")));
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, CancellationToken.None));

        Assert.Equal(DiscordErrorCodes.InvalidFormBody, error.Code);
        Assert.Contains("activities.0.platform: Value must be one of ('desktop', 'android', 'ios').", error.Errors);
        Assert.Contains("activities.0.type: Value must be one of (0, 1, 2, 3, 4, 5).", error.Errors);
    }

    [Fact]
    public async Task AnyCall_AfterA401_FailsFastWithoutContactingDiscord()
    {
        var options = Clients.OptionsFor(_fake, o => o.Token = "wrong.token.value");
        var rest = Clients.Rest(options, _logging);

        var first = await Assert.ThrowsAsync<DiscordApiException>(() => rest.GetCurrentApplicationAsync(CancellationToken.None));
        var second = await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateDmChannelAsync(Snowflake.Parse("1"), CancellationToken.None));

        Assert.Equal(HttpStatusCode.Unauthorized, first.StatusCode);
        Assert.Contains("Discord__Token", first.Message, StringComparison.Ordinal);
        Assert.Contains("Discord__Token", second.Message, StringComparison.Ordinal);
        Assert.True(rest.IsTokenRejected);
        Assert.Single(_fake.Requests);
        Assert.DoesNotContain("wrong.token.value", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task FollowUp_WhenTheInteractionTokenIsRefused_FailsThatCallOnly_AndBotTokenCallsGoOn()
    {
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);
        var interaction = _fake.CreateInteraction();
        var app = Snowflake.Parse(_fake.Options.ApplicationId);
        await rest.CreateInteractionResponseAsync(Snowflake.Parse(interaction.Id), interaction.Token, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), CancellationToken.None);
        _fake.Script(new ScriptedResponse("POST", "/webhooks/", 401, """{"message":"Invalid Webhook Token","code":50027}"""));

        var refused = await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateFollowupMessageAsync(app, interaction.Token, new MessageCreate { Content = "late" }, CancellationToken.None));
        await rest.CreateMessageAsync(Snowflake.Parse("645027906669510667"), new MessageCreate { Content = "still here" }, CancellationToken.None);

        Assert.Equal((HttpStatusCode.Unauthorized, DiscordErrorCodes.InvalidWebhookToken), (refused.StatusCode, refused.Code));
        Assert.False(rest.IsTokenRejected);
        Assert.False(rest.TokenRejection.IsCompleted);
        Assert.Single(_fake.Messages);
        Assert.All(_fake.Requests.Where(request => request.Template.StartsWith("POST /interactions", StringComparison.Ordinal) || request.Template.StartsWith("POST /webhooks", StringComparison.Ordinal)),
            request => Assert.Null(request.Header("Authorization")));
    }

    [Fact]
    public async Task BotTokenCall_WhenRefusedWith401_CompletesTokenRejectionWithTheSentence()
    {
        var rest = Clients.Rest(Clients.OptionsFor(_fake, o => o.Token = "wrong.token.value"), _logging);

        await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateDmChannelAsync(Snowflake.Parse("1"), CancellationToken.None));

        Assert.True(rest.TokenRejection.IsCompletedSuccessfully);
        Assert.Contains("Discord__Token", await rest.TokenRejection, StringComparison.Ordinal);
        Assert.DoesNotContain("wrong.token.value", await rest.TokenRejection, StringComparison.Ordinal);
    }

    [Fact]
    public async Task InvalidRequests_AreCountedOverARollingTenMinutes_AndTheBrakeHoldsOnlyWhileTheCountIsAtTheThreshold()
    {
        var time = new FakeTimeProvider(DateTimeOffset.Parse("2026-11-30T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
        var rest = Clients.Rest(Clients.OptionsFor(_fake, o => o.InvalidRequestPauseThreshold = 3), _logging, time);
        var missingPermissions = """{"message":"Missing Permissions","code":50013}""";
        _fake.Script(new ScriptedResponse("POST", "/channels/7/", 403, missingPermissions) { Times = 3 });
        _fake.Script(new ScriptedResponse("POST", "/channels/8/", 404, """{"message":"Unknown Channel","code":10003}"""));

        await RefusedAsync(7);
        await RefusedAsync(7);
        await RefusedAsync(8);
        await rest.CreateMessageAsync(Snowflake.Parse("9"), new MessageCreate { Content = "ok" }, CancellationToken.None);
        var afterTwo = (rest.InvalidRequestsInWindow, rest.IsInvalidRequestBrakeEngaged);
        time.Advance(TimeSpan.FromMinutes(5));
        await RefusedAsync(7);
        var atThreshold = (rest.InvalidRequestsInWindow, rest.IsInvalidRequestBrakeEngaged);
        time.Advance(TimeSpan.FromMinutes(5) + TimeSpan.FromSeconds(10));
        var firstTwoExpired = (rest.InvalidRequestsInWindow, rest.IsInvalidRequestBrakeEngaged);
        time.Advance(TimeSpan.FromMinutes(5));
        var cooled = rest.InvalidRequestsInWindow;

        Assert.Equal((2, false), afterTwo);
        Assert.Equal((3, true), atThreshold);
        Assert.Equal((1, false), firstTwoExpired);
        Assert.Equal(0, cooled);

        Task RefusedAsync(int channel) =>
            Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateMessageAsync(new Snowflake((ulong)channel), new MessageCreate { Content = "x" }, CancellationToken.None));
    }

    [Fact]
    public async Task CreateMessageAsync_WhenBurstExceedsBucket_WaitsForResetAndNeverGets429()
    {
        _fake.Options.BucketLimits["POST /channels/{channel_id}/messages"] = (5, TimeSpan.FromMilliseconds(150));
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);
        var channel = Snowflake.Parse("42");

        await Task.WhenAll(Enumerable.Range(0, 16).Select(i => rest.CreateMessageAsync(channel, new MessageCreate { Content = $"m{i}" }, CancellationToken.None)));

        Assert.Equal(16, _fake.Messages.Count);
        Assert.Equal(0, _fake.RateLimitedCount);
    }

    [Fact]
    public async Task CreateMessageAsync_WhenScripted429_WaitsAndRetriesThenSucceeds()
    {
        _fake.Script(new ScriptedResponse("POST", "/channels/", 429, """{"message":"You are being rate limited.","retry_after":0.05,"global":false}"""));
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);

        await rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, CancellationToken.None);

        Assert.Equal(2, _fake.Requests.Count);
        Assert.Equal(1, _fake.RateLimitedCount);
    }

    [Fact]
    public async Task Requests_AllMatchTheOpenApiSpec()
    {
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);
        var app = Snowflake.Parse(_fake.Options.ApplicationId);
        var interaction = _fake.CreateInteraction();

        await rest.CreateDmChannelAsync(Snowflake.Parse("82198898841029460"), CancellationToken.None);
        await rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate
        {
            Content = "Week 1",
            Embeds = [new Embed { Title = "Today", Description = "Read", Fields = [new EmbedField("Task", "Read chapter 1")] }],
            Components = [MessageComponent.ActionRow(MessageComponent.Button(ButtonStyle.Success, "Done", "done:1:2"))],
            AllowedMentions = AllowedMentions.OnlyUsers(Snowflake.Parse("82198898841029460")),
            Nonce = "n1",
        }, CancellationToken.None);
        await rest.CreateInteractionResponseAsync(Snowflake.Parse(interaction.Id), interaction.Token, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, new InteractionCallbackData { Flags = MessageFlags.Ephemeral }), CancellationToken.None);
        await rest.EditOriginalResponseAsync(app, interaction.Token, new MessageEdit { Content = "Done" }, CancellationToken.None);
        await rest.CreateFollowupMessageAsync(app, interaction.Token, new MessageCreate { Content = "More", Flags = MessageFlags.Ephemeral }, CancellationToken.None);
        await rest.DeleteOriginalResponseAsync(app, interaction.Token, CancellationToken.None);
        await rest.BulkOverwriteGlobalCommandsAsync(app, [new ApplicationCommandDefinition
        {
            Name = "coach",
            Description = "Organiser tools",
            DefaultMemberPermissions = DiscordPermissions.ToDefaultMemberPermissions(DiscordPermissions.ManageGuild),
            Contexts = [InteractionContextType.Guild],
            Options = [new ApplicationCommandOption { Type = ApplicationCommandOptionType.String, Name = "pathway", Description = "Pathway", Required = true, Autocomplete = true }],
        }], CancellationToken.None);

        Assert.Equal(7, _fake.Requests.Count(r => r.Status is >= 200 and < 300));
        Assert.Empty(_fake.SchemaViolations);
    }
}
