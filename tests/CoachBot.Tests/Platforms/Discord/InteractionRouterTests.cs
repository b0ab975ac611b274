using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Discord;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Testing;
using CoachBot.Operations;
using CoachBot.Platforms.Discord;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Moq;

namespace CoachBot.Tests.Platforms.Discord;

public sealed class InteractionRouterTests : IAsyncLifetime, IDisposable
{
    private readonly Mock<ICoachStore> _store = new();
    private readonly FakeLoggerProvider _logs = new();
    private FakeDiscordServer _fake = null!;
    private ServiceProvider _services = null!;
    private readonly ReplyRenderer _renderer = new();
    private InteractionRouter _router = null!;

    public async Task InitializeAsync()
    {
        // Discord's 3-second answer window is tested on a fake clock (InteractionResponderTests); on the real clock here a busy
        // machine can take longer than that between creating an interaction and answering it.
        _fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { InteractionResponseWindow = TimeSpan.FromSeconds(30) });
        _services = new ServiceCollection()
            .AddLogging(logging => logging.AddProvider(_logs).SetMinimumLevel(LogLevel.Trace))
            .AddDiscordClient(options =>
            {
                options.Token = _fake.Options.Token;
                options.ApiBaseUrl = _fake.ApiBaseUrl;
            })
            .AddCoachBotMetrics()
            .BuildServiceProvider();
        var coach = new CoachServices(_store.Object, new PathwayCatalog([]), TimeProvider.System, new CoachSettings(TimeZoneInfo.Utc));
        _router = new InteractionRouter(
            new CommandRouter(coach),
            _services.GetRequiredService<InteractionResponder>(),
            _renderer,
            _services.GetRequiredService<CoachBotMetrics>(),
            _services.GetRequiredService<ILogger<InteractionRouter>>());
    }

    public async Task DisposeAsync()
    {
        await _services.DisposeAsync();
        await _fake.DisposeAsync();
    }

    public void Dispose() => _logs.Dispose();

    [Fact]
    public async Task HandleAsync_WhenTheCoachingEngineFails_AnswersWithAPrivateSentenceAndLogsTheError()
    {
        _store.Setup(store => store.UpsertMemberAsync(It.IsAny<MemberKey>(), It.IsAny<string>(), It.IsAny<DateTimeOffset>(), It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("database is locked"));
        var (interaction, created) = Interaction(json => json["data"] = new JsonObject { ["id"] = "1", ["name"] = "today", ["type"] = 1 });

        await _router.HandleAsync(created, CancellationToken.None);

        var callback = JsonNode.Parse(Assert.Single(interaction.Callbacks))!;
        Assert.Equal(4, callback["type"]!.GetValue<int>());
        Assert.Equal(InteractionRouter.FailureSentence, callback["data"]!["content"]!.GetValue<string>());
        Assert.Equal(64, callback["data"]!["flags"]!.GetValue<int>());
        Assert.DoesNotContain("database is locked", callback.ToJsonString());
        Assert.Contains(_logs.Collector.GetSnapshot(), record => record.Level == LogLevel.Error && record.Exception is InvalidOperationException);
    }

    [Fact]
    public async Task HandleAsync_ForAComponentWithoutCustomId_LogsAndSendsNothing()
    {
        // The gateway's parser already drops such frames; the router guards on its own as well.
        var interaction = _fake.CreateInteraction(type: 3);
        var created = new InteractionCreated(
            new Interaction
            {
                Id = Snowflake.Parse(interaction.Id),
                ApplicationId = Snowflake.Parse(_fake.Options.ApplicationId),
                Type = InteractionType.MessageComponent,
                Token = interaction.Token,
                GuildId = Snowflake.Parse(_fake.Options.GuildId),
                Member = new GuildMember { User = new DiscordUser { Id = Snowflake.Parse(BotHarness.MemberUserId), Username = "Mason" }, Permissions = "0" },
                Data = new InteractionData { ComponentType = ComponentType.Button },
            },
            TimeProvider.System.GetTimestamp());

        await _router.HandleAsync(created, CancellationToken.None);

        Assert.Empty(interaction.Callbacks);
        Assert.Contains(_logs.Collector.GetSnapshot(), record => record.Level == LogLevel.Warning && record.Message.Contains("dropped", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("How was it?", "How was it?", null)]
    [InlineData("What got in your way this week, and what would help you most next week?", "Your answer", "What got in your way this week, and what would help you most next week?")]
    public async Task HandleAsync_ForAPromptButton_OpensAModalAskingThePrompt(string prompt, string label, string? description)
    {
        _renderer.Render(Reply.Private("Check-in").WithButtons([new ReplyButton("Add a note", "checkin-note:1:2", TextPrompt: prompt)]));
        var (interaction, created) = Interaction(json =>
        {
            json["type"] = 3;
            json["data"] = new JsonObject { ["component_type"] = 2, ["id"] = 2, ["custom_id"] = "?checkin-note:5:6" };
        });

        await _router.HandleAsync(created, CancellationToken.None);

        var callback = JsonNode.Parse(Assert.Single(interaction.Callbacks))!;
        Assert.Equal(9, callback["type"]!.GetValue<int>());
        Assert.Equal("checkin-note:5:6", callback["data"]!["custom_id"]!.GetValue<string>());
        var field = callback["data"]!["components"]![0]!;
        Assert.Equal(label, field["label"]!.GetValue<string>());
        Assert.Equal(description, field["description"]?.GetValue<string>());
        Assert.Equal(InteractionRouter.ModalTextId, field["component"]!["custom_id"]!.GetValue<string>());
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public void Options_FromASubcommand_BecomeTheActionPlusItsOptions()
    {
        var data = new InteractionData
        {
            Name = "coach",
            Options =
            [
                new InteractionDataOption
                {
                    Name = "channel",
                    Type = ApplicationCommandOptionType.SubCommand,
                    Options = [new InteractionDataOption { Name = "channel", Type = ApplicationCommandOptionType.Channel, Value = JsonSerializer.SerializeToElement("645027906669510667") }],
                },
            ],
        };

        var options = InteractionRouter.Options(data);

        Assert.Equal("channel", options["action"]);
        Assert.Equal("645027906669510667", options["channel"]);
    }

    [Fact]
    public async Task HandleAsync_WhenACommandFailsAfterItsChangeWasSaved_DoesNotSayNothingWasChanged()
    {
        // Issue 12: `/done 1` recorded the completion and then failed while answering; the member was told nothing had changed.
        await using var database = await Storage.TempDatabase.CreateAsync();
        var completionSaved = false;
        var store = Scheduling.FaultyStore.Wrap<ICoachStore>(database.Store, (method, _) =>
        {
            completionSaved |= method == nameof(ICoachStore.AppendCompletionAsync);
            return completionSaved && method == nameof(ICoachStore.GetCompletionEventsAsync);
        });
        var coach = new CoachServices(store, new PathwayCatalog([Storage.TestPathway.With("ai-safety", 2, "t1", "t2")]), TimeProvider.System, new CoachSettings(TimeZoneInfo.Utc));
        var router = new InteractionRouter(
            new CommandRouter(coach),
            _services.GetRequiredService<InteractionResponder>(),
            _renderer,
            _services.GetRequiredService<CoachBotMetrics>(),
            _services.GetRequiredService<ILogger<InteractionRouter>>());
        var (_, enrol) = Interaction(json => json["data"] = new JsonObject
        {
            ["id"] = "1", ["name"] = "enroll", ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = "pathway", ["type"] = 3, ["value"] = "ai-safety" }),
        });
        await router.HandleAsync(enrol, CancellationToken.None);
        var (done, created) = Interaction(json => json["data"] = new JsonObject
        {
            ["id"] = "2", ["name"] = "done", ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["name"] = "task", ["type"] = 3, ["value"] = "1" }),
        });

        await router.HandleAsync(created, CancellationToken.None);

        var answer = JsonNode.Parse(Assert.Single(done.Callbacks))!["data"]!["content"]!.GetValue<string>();
        Assert.DoesNotContain("nothing was changed", answer, StringComparison.Ordinal);
        Assert.Contains("may already be saved", answer, StringComparison.Ordinal);
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM completion_events WHERE kind = 'done';"));
    }

    private (FakeInteraction Interaction, InteractionCreated Created) Interaction(Action<JsonObject> customize)
    {
        var json = DiscordFixtures.Read(BotHarness.GuildMemberFixture).AsObject();
        customize(json);

        // The fake accepts only callback types that fit the interaction's type, as Discord does.
        var fake = _fake.CreateInteraction(json["type"]!.GetValue<int>(), fromMessage: json["message"] is JsonObject);
        json["id"] = fake.Id;
        json["token"] = fake.Token;
        json["application_id"] = _fake.Options.ApplicationId;
        var interaction = DiscordPayloadParser.ParseInteraction(JsonSerializer.SerializeToElement(json)).Value!;
        return (fake, new InteractionCreated(interaction, TimeProvider.System.GetTimestamp()));
    }
}
