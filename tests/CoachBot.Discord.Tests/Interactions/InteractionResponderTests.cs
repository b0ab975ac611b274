using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Tests.Interactions;

/// <summary>The 3-second rule: REST against the fake Discord, timing on a fake clock.</summary>
public sealed class InteractionResponderTests : IAsyncLifetime, IDisposable
{
    private readonly TestLogging _logging = new();
    private readonly ObservedTimeProvider _time = new(DateTimeOffset.Parse("2026-01-05T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture));
    private FakeDiscordServer _fake = null!;
    private InteractionResponder _responder = null!;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync(timeProvider: _time);
        var options = Clients.OptionsFor(_fake, o => o.InteractionDeferAfter = TimeSpan.FromMilliseconds(1500));
        var rest = Clients.Rest(options, _logging);
        _responder = new InteractionResponder(rest, Options.Create(options), _time, _logging.For<InteractionResponder>());
    }

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task RunAsync_WhenHandlerIsFast_SendsOneType4ResponseWithoutDeferring()
    {
        var (fakeInteraction, context) = Create("interaction-slash-command-guild.json");

        await _responder.RunAsync(context, (c, ct) => c.RespondAsync(new InteractionMessage { Content = "Today: read chapter 1", Ephemeral = true }, ct), CancellationToken.None);

        var callback = JsonNode.Parse(Assert.Single(fakeInteraction.Callbacks))!;
        Assert.Equal(4, callback["type"]!.GetValue<int>());
        Assert.Equal(64, callback["data"]!["flags"]!.GetValue<int>());
        Assert.Empty(callback["data"]!["allowed_mentions"]!["parse"]!.AsArray());
        Assert.Empty(fakeInteraction.OriginalEdits);
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task RunAsync_WhenHandlerTakesLongerThanTheDeferDelay_DefersThenEditsTheOriginal()
    {
        var (fakeInteraction, context) = Create("interaction-slash-command-guild.json", ephemeralDefer: true);
        var finish = new TaskCompletionSource();

        var run = _responder.RunAsync(context, async (c, ct) =>
        {
            await finish.Task;
            await c.RespondAsync(new InteractionMessage { Content = "Marked done" }, ct);
        }, CancellationToken.None);
        _time.Advance(TimeSpan.FromMilliseconds(1499));
        await _time.WaitForArmedTimersAsync();
        var ackedEarly = fakeInteraction.AcknowledgedWithType is not null;
        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _fake.WaitForAsync(() => fakeInteraction.AcknowledgedWithType is not null, "the deferral");
        finish.SetResult();
        await run;

        Assert.False(ackedEarly);
        Assert.Equal(5, fakeInteraction.AcknowledgedWithType);
        Assert.Equal(64, JsonNode.Parse(Assert.Single(fakeInteraction.Callbacks))!["data"]!["flags"]!.GetValue<int>());
        Assert.Equal("Marked done", JsonNode.Parse(Assert.Single(fakeInteraction.OriginalEdits))!["content"]!.GetValue<string>());
        Assert.Equal(InteractionResponseState.Responded, context.State);
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task RunAsync_WhenAPublicDeferralEndsInAPrivateReply_DeletesTheThinkingMessageAndAnswersPrivately()
    {
        var (fakeInteraction, context) = Create("interaction-slash-command-guild.json", ephemeralDefer: false);
        var finish = new TaskCompletionSource();

        var run = _responder.RunAsync(context, async (c, ct) =>
        {
            await finish.Task;
            await c.RespondAsync(new InteractionMessage { Content = "There is no pathway `nope`.", Ephemeral = true }, ct);
        }, CancellationToken.None);
        await _time.AdvanceUntilAsync(() => fakeInteraction.AcknowledgedWithType is not null, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));
        finish.SetResult();
        await run;

        Assert.Equal(5, fakeInteraction.AcknowledgedWithType);
        Assert.Null(JsonNode.Parse(Assert.Single(fakeInteraction.Callbacks))!["data"]?["flags"]);
        Assert.Empty(fakeInteraction.OriginalEdits);
        Assert.True(fakeInteraction.OriginalDeleted);
        var followup = JsonNode.Parse(Assert.Single(fakeInteraction.Followups))!;
        Assert.Equal("There is no pathway `nope`.", followup["content"]!.GetValue<string>());
        Assert.Equal(64, followup["flags"]!.GetValue<int>());
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task RunAsync_WhenAButtonHandlerIsSlow_DefersWithType6AndUpdatesTheMessage()
    {
        var (fakeInteraction, context) = Create("interaction-button.json");
        var finish = new TaskCompletionSource();

        var run = _responder.RunAsync(context, async (c, ct) =>
        {
            await finish.Task;
            await c.UpdateMessageAsync(new InteractionMessage { Content = "Done ✓", Components = [] }, ct);
        }, CancellationToken.None);
        await _time.AdvanceUntilAsync(() => fakeInteraction.AcknowledgedWithType is not null, TimeSpan.FromMilliseconds(500), TimeSpan.FromSeconds(3));
        finish.SetResult();
        await run;

        Assert.Equal(6, fakeInteraction.AcknowledgedWithType);
        Assert.Single(fakeInteraction.OriginalEdits);
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task RespondAsync_WhenCalledTwice_NeverSendsASecondInitialResponse()
    {
        var (fakeInteraction, context) = Create("interaction-slash-command-guild.json");
        await context.RespondAsync(new InteractionMessage { Content = "first" }, CancellationToken.None);

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => context.RespondAsync(new InteractionMessage { Content = "second" }, CancellationToken.None));
        await context.FollowupAsync(new InteractionMessage { Content = "second", Ephemeral = true }, CancellationToken.None);

        Assert.Contains("FollowupAsync", error.Message, StringComparison.Ordinal);
        Assert.Single(fakeInteraction.Callbacks);
        Assert.Single(fakeInteraction.Followups);
    }

    [Fact]
    public async Task RespondAsync_WhenDeferAndReplyRace_SendsExactlyOneCallback()
    {
        var (fakeInteraction, context) = Create("interaction-slash-command-guild.json");

        await Task.WhenAll(
            context.DeferAsync(CancellationToken.None),
            context.RespondAsync(new InteractionMessage { Content = "hello" }, CancellationToken.None));

        Assert.Single(fakeInteraction.Callbacks);
        Assert.Equal(InteractionResponseState.Responded, context.State);
        Assert.DoesNotContain(_fake.Requests, r => r.Status == 400);
    }

    [Fact]
    public async Task RunAsync_WhenAutocompleteIsSlow_AnswersDirectlyWithoutDeferring()
    {
        var (fakeInteraction, context) = Create("interaction-autocomplete.json");
        var finish = new TaskCompletionSource();

        var run = _responder.RunAsync(context, async (c, ct) =>
        {
            await finish.Task;
            await c.AutocompleteAsync([ApplicationCommandOptionChoice.FromString("AI safety", "ai-safety")], ct);
        }, CancellationToken.None);
        _time.Advance(TimeSpan.FromSeconds(2));
        var ackedWhileWaiting = fakeInteraction.AcknowledgedWithType;
        finish.SetResult();
        await run;

        Assert.Null(ackedWhileWaiting);
        Assert.Equal(8, fakeInteraction.AcknowledgedWithType);
        Assert.Equal("ai-safety", JsonNode.Parse(fakeInteraction.Callbacks[0])!["data"]!["choices"]![0]!["value"]!.GetValue<string>());
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task ShowModalAsync_AsTheInitialResponse_SendsAValidType9()
    {
        var (fakeInteraction, context) = Create("interaction-button.json");
        var modal = new Modal("checkin:7", "Weekly check-in", [
            MessageComponent.LabelFor("How did the week go?", MessageComponent.TextInput("note", TextInputStyle.Paragraph, required: false, maxLength: 1000)),
        ]);

        await context.ShowModalAsync(modal, CancellationToken.None);

        Assert.Equal(9, fakeInteraction.AcknowledgedWithType);
        Assert.Empty(_fake.SchemaViolations);
    }

    [Fact]
    public async Task ShowModalAsync_AfterADeferral_IsRefusedLocally()
    {
        var (fakeInteraction, context) = Create("interaction-slash-command-guild.json");
        await context.DeferAsync(CancellationToken.None);

        await Assert.ThrowsAsync<InvalidOperationException>(() => context.ShowModalAsync(new Modal("m", "t", [MessageComponent.TextInput("x", TextInputStyle.Short)]), CancellationToken.None));

        Assert.Single(fakeInteraction.Callbacks);
    }

    [Fact]
    public async Task RespondAsync_AfterDiscordsThreeSecondWindow_GetsUnknownInteraction10062()
    {
        var (_, context) = Create("interaction-slash-command-guild.json");
        _time.Advance(TimeSpan.FromSeconds(3.1));

        var error = await Assert.ThrowsAsync<DiscordApiException>(() => context.RespondAsync(new InteractionMessage { Content = "late" }, CancellationToken.None));

        Assert.Equal(DiscordErrorCodes.UnknownInteraction, error.Code);
    }

    [Fact]
    public async Task RespondAsync_WhenContentIsTooLong_SendsItShortenedToFit()
    {
        var (fakeInteraction, context) = Create("interaction-slash-command-guild.json");

        await context.RespondAsync(new InteractionMessage { Content = new string('x', 2500) }, CancellationToken.None);

        Assert.Equal(2000, JsonNode.Parse(fakeInteraction.Callbacks[0])!["data"]!["content"]!.GetValue<string>().Length);
        Assert.Empty(_fake.SchemaViolations);
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
