using System.Text.Json.Nodes;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;

namespace CoachBot.Discord.Tests.Interactions;

public sealed class ApplicationCommandRegistrarTests : IAsyncLifetime, IDisposable
{
    private static readonly IReadOnlyList<ApplicationCommandDefinition> Commands =
    [
        new()
        {
            Name = "enroll",
            Description = "Join a learning pathway",
            Options =
            [
                new ApplicationCommandOption { Type = ApplicationCommandOptionType.String, Name = "pathway", Description = "Pathway", Required = true, Autocomplete = true },
                new ApplicationCommandOption { Type = ApplicationCommandOptionType.String, Name = "timezone", Description = "Your time zone", Required = false, Autocomplete = true },
            ],
        },
        new() { Name = "today", Description = "Show today's task" },
        new()
        {
            Name = "coach",
            Description = "Organiser tools",
            DefaultMemberPermissions = DiscordPermissions.ToDefaultMemberPermissions(DiscordPermissions.ManageGuild),
            Contexts = [InteractionContextType.Guild],
            Options =
            [
                new ApplicationCommandOption
                {
                    Type = ApplicationCommandOptionType.SubCommand,
                    Name = "digest",
                    Description = "Post the group digest",
                    Options = [new ApplicationCommandOption { Type = ApplicationCommandOptionType.Integer, Name = "week", Description = "Week", Choices = [ApplicationCommandOptionChoice.FromInt64("This week", 0), ApplicationCommandOptionChoice.FromInt64("Last week", -1)] }],
                },
            ],
        },
    ];

    private readonly TestLogging _logging = new();
    private FakeDiscordServer _fake = null!;
    private ApplicationCommandRegistrar _registrar = null!;
    private Snowflake _app;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync();
        _registrar = new ApplicationCommandRegistrar(Clients.Rest(Clients.OptionsFor(_fake), _logging), _logging.For<ApplicationCommandRegistrar>());
        _app = Snowflake.Parse(_fake.Options.ApplicationId);
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task SyncGlobalCommandsAsync_WhenNothingIsRegistered_OverwritesWithGuildAndDmContexts()
    {
        var changed = await _registrar.SyncGlobalCommandsAsync(_app, Commands, CancellationToken.None);

        Assert.True(changed);
        Assert.Equal(1, _fake.CommandOverwriteCount);
        var put = JsonNode.Parse(Assert.Single(_fake.Requests, r => r.Method == "PUT").Body)!.AsArray();
        Assert.Equal([0, 1], put[0]!["contexts"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal([0], put[2]!["contexts"]!.AsArray().Select(n => n!.GetValue<int>()));
        Assert.Equal("32", put[2]!["default_member_permissions"]!.GetValue<string>());
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task SyncGlobalCommandsAsync_WhenDefinitionsAreUnchanged_DoesNotOverwrite()
    {
        await _registrar.SyncGlobalCommandsAsync(_app, Commands, CancellationToken.None);

        var changed = await _registrar.SyncGlobalCommandsAsync(_app, Commands, CancellationToken.None);

        Assert.False(changed);
        Assert.Equal(1, _fake.CommandOverwriteCount);
    }

    [Fact]
    public async Task SyncGlobalCommandsAsync_WhenADescriptionChanged_OverwritesAgain()
    {
        await _registrar.SyncGlobalCommandsAsync(_app, Commands, CancellationToken.None);
        var edited = Commands.Select(c => c.Name == "today" ? c with { Description = "Show today's tasks" } : c).ToList();

        var changed = await _registrar.SyncGlobalCommandsAsync(_app, edited, CancellationToken.None);

        Assert.True(changed);
        Assert.Equal(2, _fake.CommandOverwriteCount);
    }

    [Fact]
    public async Task SyncGuildCommandsAsync_WhenRunTwice_OverwritesOnceWithoutContexts()
    {
        var guild = Snowflake.Parse(_fake.Options.GuildId);

        var first = await _registrar.SyncGuildCommandsAsync(_app, guild, Commands, CancellationToken.None);
        var second = await _registrar.SyncGuildCommandsAsync(_app, guild, Commands, CancellationToken.None);

        Assert.True(first);
        Assert.False(second);
        var put = Assert.Single(_fake.Requests, r => r.Method == "PUT");
        Assert.Equal($"/applications/{_app}/guilds/{guild}/commands", put.Path);
        Assert.DoesNotContain("contexts", put.Body, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, false, true)]
    [InlineData(false, null, true)]
    [InlineData(true, false, false)]
    public void AreEquivalent_WhenOnlyDefaultsDiffer_TreatsThemAsEqual(bool? registeredRequired, bool? desiredRequired, bool expected)
    {
        var registered = new ApplicationCommandDefinition { Name = "done", Description = "d", Options = [new ApplicationCommandOption { Type = ApplicationCommandOptionType.String, Name = "task", Description = "t", Required = registeredRequired }] };
        var desired = registered with { Options = [registered.Options![0] with { Required = desiredRequired }] };

        var equal = ApplicationCommandRegistrar.AreEquivalent([registered], [desired], global: true);

        Assert.Equal(expected, equal);
    }
}
