using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Tests.Interactions;

/// <summary>
/// A picture goes with an interaction's reply whichever way the reply goes (initial response, edit after a deferral,
/// private follow-up after a public deferral, a component's update) and with a channel message: multipart, each file
/// named in <c>attachments</c> with its alt text, shown by an embed as <c>attachment://</c>, the body valid by Discord's spec.
/// </summary>
public sealed class InteractionFileTests : IAsyncLifetime, IDisposable
{
    private static readonly byte[] _png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 1, 2, 3, 4, 5, 250, 251, 252];

    private readonly TestLogging _logging = new();
    private readonly ObservedTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private FakeDiscordServer _fake = null!;
    private DiscordRestClient _rest = null!;
    private InteractionResponder _responder = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync(timeProvider: _time);
        var options = Clients.OptionsFor(_fake, o => o.InteractionDeferAfter = TimeSpan.FromMilliseconds(1500));
        _rest = Clients.Rest(options, _logging);
        _responder = new InteractionResponder(_rest, Options.Create(options), _time, _logging.For<InteractionResponder>());
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _logging.Dispose();

    private static InteractionMessage Card(bool ephemeral = true) => new()
    {
        Content = "Your progress",
        Ephemeral = ephemeral,
        Embeds = [new Embed { Image = EmbedImage.Attachment("progress.png") }],
        Files = [new MessageFile("progress.png", "image/png", _png) { Description = "Progress card: 40% done" }],
    };

    [Fact]
    public async Task The_initial_response_carries_the_picture()
    {
        var (fake, context) = Create("interaction-slash-command-guild.json");

        await context.RespondAsync(Card(), CancellationToken.None);

        AssertCardArrived(fake, JsonNode.Parse(fake.AcceptedCallback!)!["data"]!);
        Assert.Equal(4, fake.AcknowledgedWithType);
    }

    [Fact]
    public async Task An_edit_after_a_deferral_carries_the_picture()
    {
        var (fake, context) = Create("interaction-slash-command-guild.json", ephemeralDefer: true);
        await context.DeferAsync(CancellationToken.None);

        await context.RespondAsync(Card(), CancellationToken.None);

        AssertCardArrived(fake, JsonNode.Parse(Assert.Single(fake.OriginalEdits))!);
    }

    [Fact]
    public async Task A_private_reply_after_a_public_deferral_carries_the_picture_in_its_follow_up()
    {
        var (fake, context) = Create("interaction-slash-command-guild.json");
        await context.DeferAsync(CancellationToken.None);

        await context.RespondAsync(Card(), CancellationToken.None);

        Assert.True(fake.OriginalDeleted);
        AssertCardArrived(fake, JsonNode.Parse(Assert.Single(fake.Followups))!);
    }

    [Fact]
    public async Task A_components_update_carries_the_picture()
    {
        var (fake, context) = Create("interaction-button.json");

        await context.UpdateMessageAsync(Card(ephemeral: false), CancellationToken.None);

        Assert.Equal(7, fake.AcknowledgedWithType);
        AssertCardArrived(fake, JsonNode.Parse(fake.AcceptedCallback!)!["data"]!);
    }

    [Fact]
    public async Task A_channel_message_carries_the_picture_and_keeps_its_nonce()
    {
        await _rest.CreateMessageAsync(
            Snowflake.Parse("5"),
            new MessageCreate { Content = "Weekly digest", Nonce = "dig-1-2026-W50", Embeds = [new Embed { Image = EmbedImage.Attachment("cohort.png") }] },
            [new MessageFile("cohort.png", "image/png", _png) { Description = "Cohort chart" }],
            CancellationToken.None);

        var request = Assert.Single(_fake.Requests);
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("dig-1-2026-W50", body["nonce"]!.GetValue<string>());
        Assert.True(body["enforce_nonce"]!.GetValue<bool>());
        Assert.Equal("attachment://cohort.png", body["embeds"]![0]!["image"]!["url"]!.GetValue<string>());
        Assert.Equal("Cohort chart", body["attachments"]![0]!["description"]!.GetValue<string>());
        var file = Assert.Single(request.Files);
        Assert.Equal(("files[0]", "cohort.png", "image/png"), (file.Name, file.FileName, file.ContentType));
        Assert.Equal(_png, file.Bytes);
        Assert.True(_fake.SchemaViolations.Count == 0, string.Join("\n", _fake.SchemaViolations));
    }

    [Fact]
    public async Task A_retry_after_a_429_sends_the_same_bytes_again()
    {
        _fake.Script(new ScriptedResponse("POST", "/channels/", 429, """{"message":"You are being rate limited.","retry_after":0.01,"global":false}""")
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "0.01", ["X-RateLimit-Scope"] = "user" },
        });
        var rest = Clients.Rest(Clients.OptionsFor(_fake), _logging);

        await rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, [new MessageFile("cohort.png", "image/png", _png)], CancellationToken.None);

        Assert.Equal(2, _fake.Requests.Count);
        Assert.All(_fake.Requests, request => Assert.Equal(_png, Assert.Single(request.Files).Bytes));
        Assert.Equal(200, _fake.Requests[^1].Status);
    }

    [Theory]
    [InlineData(11, "progress.png", 10, "at most 10 files")]
    [InlineData(1, "my card.png", 10, "cannot be uploaded")]
    [InlineData(1, "../card.png", 10, "cannot be uploaded")]
    [InlineData(1, "card.png", 10 * 1024 * 1024 + 1, "bytes together")]
    public async Task Files_Discord_would_refuse_are_refused_before_anything_is_sent(int count, string name, int size, string expected)
    {
        var (fake, context) = Create("interaction-slash-command-guild.json");
        var files = Enumerable.Range(0, count).Select(_ => new MessageFile(name, "image/png", new byte[size])).ToList();

        var refused = await Assert.ThrowsAsync<ArgumentException>(() => context.RespondAsync(new InteractionMessage { Content = "x", Files = files }, CancellationToken.None));
        var refusedMessage = await Assert.ThrowsAsync<ArgumentException>(() => _rest.CreateMessageAsync(Snowflake.Parse("5"), new MessageCreate { Content = "x" }, files, CancellationToken.None));

        Assert.Contains(expected, refused.Message, StringComparison.Ordinal);
        Assert.Contains(expected, refusedMessage.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Requests);
        Assert.Null(fake.AcknowledgedWithType);
    }

    [Fact]
    public async Task A_long_alt_text_is_cut_to_discords_1024_characters()
    {
        var (fake, context) = Create("interaction-slash-command-guild.json");

        await context.RespondAsync(Card() with { Files = [new MessageFile("progress.png", "image/png", _png) { Description = new string('d', 3000) }] }, CancellationToken.None);

        var attachment = JsonNode.Parse(fake.AcceptedCallback!)!["data"]!["attachments"]![0]!;
        Assert.Equal(1024, attachment["description"]!.GetValue<string>().Length);
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task The_fake_refuses_a_file_that_attachments_does_not_name_as_discord_does()
    {
        using var http = new HttpClient();
        using var form = new MultipartFormDataContent
        {
            { new StringContent("""{"content":"x","attachments":[]}""", System.Text.Encoding.UTF8, "application/json"), "payload_json" },
            { new ByteArrayContent(_png), "files[0]", "card.png" },
        };
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(_fake.ApiBaseUrl + "/channels/5/messages")) { Content = form };
        request.Headers.TryAddWithoutValidation("Authorization", "Bot " + _fake.Options.Token);

        using var response = await http.SendAsync(request);

        Assert.Equal(System.Net.HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("files[0] has no entry with id 0 in attachments", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    private void AssertCardArrived(FakeInteraction fake, JsonNode message)
    {
        Assert.Equal("attachment://progress.png", message["embeds"]![0]!["image"]!["url"]!.GetValue<string>());
        var attachment = message["attachments"]![0]!;
        Assert.Equal(("0", "progress.png", "Progress card: 40% done"),
            (attachment["id"]!.ToString(), attachment["filename"]!.GetValue<string>(), attachment["description"]!.GetValue<string>()));
        var file = Assert.Single(_fake.FilesFor(fake));
        Assert.Equal(("files[0]", "progress.png", "image/png"), (file.Name, file.FileName, file.ContentType));
        Assert.Equal(_png, file.Bytes);
        Assert.True(_fake.SchemaViolations.Count == 0, string.Join("\n", _fake.SchemaViolations));
    }

    private (FakeInteraction Fake, InteractionContext Context) Create(string fixture, bool ephemeralDefer = false)
    {
        var json = DiscordFixtures.Read(fixture).AsObject();
        var fakeInteraction = _fake.CreateInteraction(json["type"]!.GetValue<int>(), fromMessage: json["message"] is JsonObject);
        json["id"] = fakeInteraction.Id;
        json["token"] = fakeInteraction.Token;
        json["application_id"] = _fake.Options.ApplicationId;
        using var document = JsonDocument.Parse(json.ToJsonString());
        var interaction = DiscordPayloadParser.ParseInteraction(document.RootElement).Value!;
        return (fakeInteraction, _responder.CreateContext(interaction, _time.GetTimestamp(), ephemeralDefer));
    }
}
