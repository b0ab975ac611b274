using System.Text;
using System.Text.Json;
using CoachBot.Discord.Models;
using CoachBot.Discord.Testing;

namespace CoachBot.Discord.Tests.Models;

public sealed class DiscordPayloadParserTests
{
    public static TheoryData<string> GatewayFixtures() =>
        new(DiscordFixtures.All().Where(f => f.StartsWith("gateway-", StringComparison.Ordinal) && f != "gateway-bot.json").Append("guild-create.json"));

    public static TheoryData<string> InteractionFixtures() =>
        new(DiscordFixtures.All().Where(f => f.StartsWith("interaction-", StringComparison.Ordinal)));

    [Theory]
    [MemberData(nameof(GatewayFixtures))]
    public void ParseGatewayPayload_WhenFixture_ReadsOpcodeAndSequence(string fixture)
    {
        var result = DiscordPayloadParser.ParseGatewayPayload(Encoding.UTF8.GetBytes(DiscordFixtures.ReadText(fixture)));

        Assert.True(result.IsSuccess, result.Error);
        Assert.True(Enum.IsDefined(result.Value!.Op));
        Assert.Equal(result.Value.Op == GatewayOpcode.Dispatch, result.Value.S is not null);
    }

    [Theory]
    [MemberData(nameof(InteractionFixtures))]
    public void ParseInteraction_WhenFixture_ReadsIdTokenTypeAndInvoker(string fixture)
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText(fixture));

        var result = DiscordPayloadParser.ParseInteraction(document.RootElement);

        Assert.True(result.IsSuccess, result.Error);
        var interaction = result.Value!;
        Assert.Equal("A_UNIQUE_TOKEN", interaction.Token);
        Assert.Equal(Snowflake.Parse("775799577604522054"), interaction.ApplicationId);
        Assert.Equal(interaction.Type != InteractionType.Ping, interaction.Invoker is not null);
        Assert.DoesNotContain("A_UNIQUE_TOKEN", interaction.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void ParseInteraction_WhenGuildCommandWithOptions_ReadsMemberPermissionsAndTypedOptions()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("interaction-slash-command-with-options.json"));

        var interaction = DiscordPayloadParser.ParseInteraction(document.RootElement).Value!;

        Assert.Equal(Snowflake.Parse("53908232506183680"), interaction.Invoker!.Id);
        Assert.True(interaction.Member!.HasPermission(DiscordPermissions.ManageGuild));
        Assert.Equal("The Gitrog Monster", interaction.Data!.GetOption("cardname")!.GetString());
        Assert.Equal(5, interaction.Data.GetOption("count")!.GetInt64());
        Assert.Equal("645027906669510667", interaction.Data.GetOption("channel")!.GetString());
        Assert.Equal(Snowflake.Parse("290926798626357999"), interaction.GuildId);
        Assert.Equal("en-US", interaction.Locale);
    }

    [Fact]
    public void ParseInteraction_WhenDmCommand_HasUserAndNoMember()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("interaction-slash-command-dm.json"));

        var interaction = DiscordPayloadParser.ParseInteraction(document.RootElement).Value!;

        Assert.Null(interaction.Member);
        Assert.Equal(Snowflake.Parse("82198898841029460"), interaction.Invoker!.Id);
        Assert.Equal(InteractionContextType.BotDm, interaction.Context);
    }

    [Fact]
    public void ParseInteraction_WhenAutocomplete_FindsTheFocusedOption()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("interaction-autocomplete.json"));

        var interaction = DiscordPayloadParser.ParseInteraction(document.RootElement).Value!;

        Assert.Equal("variant", interaction.Data!.FocusedOption!.Name);
        Assert.Equal("data a user is typ", interaction.Data.FocusedOption.GetString());
    }

    [Fact]
    public void ParseInteraction_WhenButton_ReadsCustomIdAndMessage()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("interaction-button.json"));

        var interaction = DiscordPayloadParser.ParseInteraction(document.RootElement).Value!;

        Assert.Equal("click_me", interaction.Data!.CustomId);
        Assert.Equal(ComponentType.Button, interaction.Data.ComponentType);
        Assert.Equal(Snowflake.Parse("786010239269994501"), interaction.Message!.Id);
    }

    [Fact]
    public void ParseInteraction_WhenModalSubmit_ReadsValuesInsideLabels()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("interaction-modal-submit.json"));

        var interaction = DiscordPayloadParser.ParseInteraction(document.RootElement).Value!;

        Assert.Equal("game_feedback_modal", interaction.Data!.CustomId);
        Assert.StartsWith("The recent changes", interaction.Data.GetSubmittedValues()["game_feedback"], StringComparison.Ordinal);
    }

    [Fact]
    public void ParseInteraction_WhenNestedSubcommands_FlattensThePath()
    {
        const string Json = """
            {"id":"1","application_id":"2","type":2,"token":"t","version":1,
             "data":{"id":"3","name":"coach","type":1,"options":[{"name":"pathway","type":2,"options":[{"name":"add","type":1,"options":[{"name":"file","type":3,"value":"x.yaml"}]}]}]}}
            """;
        using var document = JsonDocument.Parse(Json);

        var data = DiscordPayloadParser.ParseInteraction(document.RootElement).Value!.Data!;
        var (path, options) = data.FlattenSubcommands();

        Assert.Equal(["pathway", "add"], path);
        Assert.Equal("x.yaml", Assert.Single(options).GetString());
    }

    [Theory]
    [InlineData("""{"id":1,"application_id":"2","type":2,"token":"t","data":{"name":"x"}}""")]
    [InlineData("""{"id":"1","application_id":"2","type":2,"data":{"name":"x"}}""")]
    [InlineData("""{"id":"1","application_id":"2","type":"two","token":"t"}""")]
    [InlineData("""{"id":"1","application_id":"2","type":3,"token":"t","data":{}}""")]
    [InlineData("""[1,2,3]""")]
    public void ParseInteraction_WhenMalformed_ReturnsFailureInsteadOfThrowing(string json)
    {
        using var document = JsonDocument.Parse(json);

        var result = DiscordPayloadParser.ParseInteraction(document.RootElement);

        Assert.False(result.IsSuccess);
        Assert.False(string.IsNullOrEmpty(result.Error));
    }

    [Fact]
    public void ParseGatewayPayload_WhenNotJson_ReturnsFailure()
    {
        var result = DiscordPayloadParser.ParseGatewayPayload("{not json"u8);

        Assert.False(result.IsSuccess);
    }

    [Fact]
    public void ParseReady_WhenFixture_KeepsSessionResumeUrlApplicationAndUser()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("gateway-ready.json"));

        var ready = DiscordPayloadParser.ParseReady(document.RootElement.GetProperty("d")).Value!;

        Assert.Equal("session_id_i_stored", ready.SessionId);
        Assert.Equal("wss://gateway-us-east1-b.discord.gg", ready.ResumeGatewayUrl);
        Assert.Equal(Snowflake.Parse("775799577604522054"), ready.Application!.Id);
        Assert.Equal(Snowflake.Parse("809850198683418695"), ready.User!.Id);
    }

    [Fact]
    public void ParseGuild_WhenFixture_ReadsIdNameAndChannels()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("guild-create.json"));

        var guild = DiscordPayloadParser.ParseGuild(document.RootElement.GetProperty("d")).Value!;

        Assert.Equal(Snowflake.Parse("290926798626357999"), guild.Id);
        Assert.Equal(2, guild.Channels!.Count);
    }

    [Fact]
    public void Parse_WhenGatewayBotFixture_ReadsUrlAndSessionStartLimit()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("gateway-bot.json"));

        var info = DiscordPayloadParser.Parse(document.RootElement, DiscordJsonContext.Default.GatewayBotInfo).Value!;

        Assert.Equal("wss://gateway.discord.gg/", info.Url);
        Assert.Equal(999, info.SessionStartLimit!.Remaining);
        Assert.Equal(14_400_000, info.SessionStartLimit.ResetAfter);
    }

    [Fact]
    public void Parse_WhenMessageAndDmChannelFixtures_ReadsIds()
    {
        using var message = JsonDocument.Parse(DiscordFixtures.ReadText("message-create-response.json"));
        using var channel = JsonDocument.Parse(DiscordFixtures.ReadText("dm-channel.json"));

        var parsedMessage = DiscordPayloadParser.Parse(message.RootElement, DiscordJsonContext.Default.DiscordMessage).Value!;
        var parsedChannel = DiscordPayloadParser.Parse(channel.RootElement, DiscordJsonContext.Default.DiscordChannel).Value!;

        Assert.Equal(Snowflake.Parse("334385199974967042"), parsedMessage.Id);
        Assert.Equal("Supa Hot", parsedMessage.Content);
        Assert.Equal(1, parsedChannel.Type);
        Assert.Equal(Snowflake.Parse("82198898841029460"), Assert.Single(parsedChannel.Recipients!).Id);
    }

    [Theory]
    [InlineData("error-50007.json", 50007, null)]
    [InlineData("error-rate-limited-429.json", null, false)]
    [InlineData("error-rate-limited-429-global.json", null, true)]
    [InlineData("error-invalid-form-body-50035.json", 50035, null)]
    [InlineData("error-invalid-form-body-50035-request.json", 50035, null)]
    public void Parse_WhenErrorFixture_ReadsCodeAndRateLimitFields(string fixture, int? code, bool? global)
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText(fixture));

        var error = DiscordPayloadParser.Parse(document.RootElement, DiscordJsonContext.Default.DiscordErrorBody).Value!;

        Assert.Equal(code, error.Code);
        Assert.Equal(global, error.Global);
        Assert.Equal(global is not null, error.RetryAfter is 64.57);
    }

    [Fact]
    public void FlattenErrors_WhenRequestWideError_ReportsItAsTheRequest()
    {
        using var document = JsonDocument.Parse(DiscordFixtures.ReadText("error-invalid-form-body-50035-request.json"));
        var lines = new List<string>();

        CoachBot.Discord.Rest.DiscordRestClient.FlattenErrors(document.RootElement.GetProperty("errors"), "", lines);

        Assert.Equal(["(request): Command exceeds maximum size (8000)"], lines);
    }

    [Fact]
    public void Snowflake_CreatedAt_DecodesTheDiscordEpoch()
    {
        var id = Snowflake.Parse("175928847299117063");

        Assert.Equal(DateTimeOffset.Parse("2016-04-30T11:18:25.796Z", System.Globalization.CultureInfo.InvariantCulture), id.CreatedAt);
    }
}
