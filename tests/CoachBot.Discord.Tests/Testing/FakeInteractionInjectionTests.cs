using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Tests.Testing;

/// <summary>The fake's interaction builders produce payloads the client parses, and record what the bot answered.</summary>
public sealed class FakeInteractionInjectionTests : IAsyncLifetime, IDisposable
{
    private readonly TestLogging _logging = new();
    private FakeDiscordServer _fake = null!;
    private GatewayHarness _gateway = null!;

    public async Task InitializeAsync()
    {
        // Discord's 3-second answer window is tested on a fake clock (InteractionResponderTests); on the real clock here a busy
        // machine can take longer than that between creating an interaction and answering it.
        _fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { InteractionResponseWindow = TimeSpan.FromSeconds(30) });
        _gateway = await GatewayHarness.ConnectAsync(_fake, _logging);
    }

    public async Task DisposeAsync()
    {
        await _gateway.DisposeAsync();
        await _fake.DisposeAsync();
    }

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task InjectSlashCommandAsync_InAGuildWithASubcommand_ParsesMemberPermissionsAndOptions()
    {
        var interaction = (await ReceiveAsync(() => _fake.InjectSlashCommandAsync("coach", new Dictionary<string, object> { ["file"] = "ai.yaml", ["week"] = 3 }, FakeInvoker.Member("111", permissions: "32"), subcommand: "pathway add"))).Interaction;
        var (path, options) = interaction.Data!.FlattenSubcommands();

        Assert.Equal("coach", interaction.Data.Name);
        Assert.Equal(["pathway", "add"], path);
        Assert.Equal("ai.yaml", options.Single(o => o.Name == "file").GetString());
        Assert.Equal(3, options.Single(o => o.Name == "week").GetInt64());
        Assert.Equal(Snowflake.Parse("111"), interaction.Invoker!.Id);
        Assert.True(interaction.Member!.HasPermission(DiscordPermissions.ManageGuild));
    }

    [Fact]
    public async Task InjectSlashCommandAsync_InADm_HasTheUserAndTheirDmChannel()
    {
        var interaction = (await ReceiveAsync(() => _fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.InDm("222")))).Interaction;

        Assert.Null(interaction.Member);
        Assert.Null(interaction.GuildId);
        Assert.Equal(Snowflake.Parse("222"), interaction.Invoker!.Id);
        Assert.Equal(Snowflake.Parse(_fake.DmChannelFor("222")), interaction.ChannelId);
    }

    [Fact]
    public async Task InjectAutocompleteButtonAndModal_AreParsedWithTheirData()
    {
        var autocomplete = (await ReceiveAsync(() => _fake.InjectAutocompleteAsync("enroll", "pathway", "ai-s"))).Interaction;
        var button = (await ReceiveAsync(() => _fake.InjectButtonAsync("done:7:2", FakeInvoker.InDm("333")))).Interaction;
        var modal = (await ReceiveAsync(() => _fake.InjectModalSubmitAsync("checkin:7", new Dictionary<string, string> { ["note"] = "Good week" }))).Interaction;

        Assert.Equal("ai-s", autocomplete.Data!.FocusedOption!.GetString());
        Assert.Equal("done:7:2", button.Data!.CustomId);
        Assert.Equal(Snowflake.Parse("333"), button.Invoker!.Id);
        Assert.Equal("Good week", modal.Data!.GetSubmittedValues()["note"]);
    }

    [Fact]
    public async Task ReplyContents_AfterADeferralAndAnEdit_ListsWhatTheUserSaw()
    {
        var responder = new InteractionResponder(_gateway.Rest, Options.Create(_gateway.Options), TimeProvider.System, _logging.For<InteractionResponder>());
        FakeInteraction injected = null!;
        var created = await ReceiveAsync(async () => injected = await _fake.InjectSlashCommandAsync("today"));
        var context = responder.CreateContext(created);

        await context.DeferAsync(CancellationToken.None);
        await context.RespondAsync(new InteractionMessage { Content = "Read chapter 2" }, CancellationToken.None);
        await context.FollowupAsync(new InteractionMessage { Content = "Tip: take notes" }, CancellationToken.None);

        Assert.Equal(["Read chapter 2", "Tip: take notes"], injected.ReplyContents);
        Assert.Empty(_fake.SchemaViolations);
    }

    private async Task<CoachBot.Discord.Gateway.InteractionCreated> ReceiveAsync(Func<Task> inject)
    {
        var seen = _gateway.Interactions.Count;
        await inject();
        await _fake.WaitForAsync(() => _gateway.Interactions.Count > seen, "the injected interaction delivered");
        return _gateway.Interactions.ElementAt(seen);
    }
}
