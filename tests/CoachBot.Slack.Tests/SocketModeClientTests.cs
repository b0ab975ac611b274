using System.Text.Json.Nodes;
using CoachBot.Slack.SocketMode;
using CoachBot.Slack.Testing;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Options;

namespace CoachBot.Slack.Tests;

/// <summary>
/// Socket Mode against the fake Slack's WebSocket, on real time: every envelope acknowledged within Slack's 3 seconds
/// (with the handler's answer when it comes in time), a disconnect warning bridged by a new connection before the old
/// closes, a dropped connection reopened, and a refused token or Socket Mode turned off ending the run with one sentence.
/// </summary>
public sealed class SocketModeClientTests : IAsyncLifetime, IDisposable
{
    private static readonly HttpClient _http = new();
    private readonly FakeLogger<SocketModeClient> _logger = new();
    private readonly CancellationTokenSource _stop = new(TimeSpan.FromSeconds(60));
    private FakeSlackServer _slack = null!;

    public async Task InitializeAsync() => _slack = await FakeSlackServer.StartAsync();

    public async Task DisposeAsync()
    {
        await _stop.CancelAsync();
        await _slack.DisposeAsync();
    }

    public void Dispose() => _stop.Dispose();

    [Fact]
    public async Task A_slash_command_is_acknowledged_with_the_handlers_answer_and_a_slow_one_in_time_without_it()
    {
        // The slow handler answers only once the test has its ack: however busy the machine, its answer cannot be in it.
        var release = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        var answered = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var running = Client().RunAsync(async (envelope, cancellationToken) =>
        {
            var command = envelope.Payload["command"]!.GetValue<string>();
            if (command == "/slow")
            {
                await release.Task.WaitAsync(cancellationToken);
                answered.TrySetResult(command);
            }

            return new JsonObject { ["text"] = "Hello from " + command };
        }, _stop.Token);
        await _slack.WaitForConnectionsAsync(1);

        var (quick, _) = await _slack.SendEnvelopeAsync("slash_commands", new JsonObject { ["command"] = "/today", ["user_id"] = "U0MEMBER" });
        var (slow, after) = await _slack.SendEnvelopeAsync("slash_commands", new JsonObject { ["command"] = "/slow", ["user_id"] = "U0MEMBER" });
        release.SetResult();

        Assert.Equal("Hello from /today", quick["payload"]!["text"]!.GetValue<string>());
        Assert.Null(slow["payload"]);
        Assert.InRange(after, TimeSpan.FromMilliseconds(550), TimeSpan.FromSeconds(2.9));
        Assert.Equal("/slow", await answered.Task.WaitAsync(TimeSpan.FromSeconds(10)));
        Assert.False(running.IsCompleted);
    }

    [Fact]
    public async Task A_disconnect_warning_opens_the_next_connection_before_the_old_one_closes_and_nothing_is_dropped()
    {
        var seen = new List<string>();
        _ = Client().RunAsync((envelope, _) =>
        {
            lock (seen)
            {
                seen.Add(envelope.Payload["n"]!.GetValue<string>());
            }

            return Task.FromResult<JsonObject?>(null);
        }, _stop.Token);
        await _slack.WaitForConnectionsAsync(1);
        await _slack.SendEnvelopeAsync("events_api", new JsonObject { ["n"] = "before" });

        await _slack.DisconnectAsync("warning", closeAfter: TimeSpan.FromSeconds(2));
        await _slack.WaitForConnectionsAsync(2);
        await _slack.SendEnvelopeAsync("events_api", new JsonObject { ["n"] = "after" });

        Assert.Equal(["before", "after"], seen);
        Assert.Contains(_logger.Collector.GetSnapshot(), record => record.Message == "Slack asked to disconnect (warning); opening the next connection first");
    }

    [Fact]
    public async Task A_dropped_connection_is_opened_again()
    {
        _ = Client().RunAsync((_, _) => Task.FromResult<JsonObject?>(new JsonObject { ["text"] = "ok" }), _stop.Token);
        await _slack.WaitForConnectionsAsync(1);

        _slack.DropNewestConnection();
        await _slack.WaitForConnectionsAsync(2);
        var (ack, _) = await _slack.SendEnvelopeAsync("slash_commands", new JsonObject { ["command"] = "/today" });

        Assert.Equal("ok", ack["payload"]!["text"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_refused_app_token_ends_the_run_with_the_sentence_to_fix_it()
    {
        var client = Client(options => options.AppToken = "xapp-wrong");

        var refused = await Assert.ThrowsAsync<SlackAuthException>(() => client.RunAsync((_, _) => Task.FromResult<JsonObject?>(null), _stop.Token));

        Assert.StartsWith("Slack does not accept the app-level token (Slack:AppToken, xapp-…): invalid_auth.", refused.Message, StringComparison.Ordinal);
        Assert.Equal(0, _slack.ConnectionsOpened);
    }

    [Fact]
    public async Task Socket_Mode_turned_off_for_the_app_ends_the_run_with_one_sentence()
    {
        var running = Client().RunAsync((_, _) => Task.FromResult<JsonObject?>(null), _stop.Token);
        await _slack.WaitForConnectionsAsync(1);

        await _slack.DisconnectAsync("link_disabled", closeAfter: TimeSpan.FromSeconds(1));

        var stopped = await Assert.ThrowsAsync<SocketModeDisabledException>(() => running.WaitAsync(TimeSpan.FromSeconds(20)));
        Assert.Contains("turn it on again under Socket Mode", stopped.Message, StringComparison.Ordinal);
        Assert.Equal(1, _slack.ConnectionsOpened);
    }

    [Fact]
    public async Task An_envelope_Slack_sends_again_is_acked_again_but_handled_once()
    {
        var handled = 0;
        var running = Client().RunAsync((_, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.FromResult<JsonObject?>(new JsonObject { ["text"] = "ok" });
        }, _stop.Token);
        await _slack.WaitForConnectionsAsync(1);

        var (first, _) = await _slack.SendEnvelopeAsync("slash_commands", new JsonObject { ["command"] = "/done" }, envelopeId: "env-retried");
        var (again, _) = await _slack.SendEnvelopeAsync("slash_commands", new JsonObject { ["command"] = "/done" }, envelopeId: "env-retried", retryAttempt: 1);

        Assert.Equal("ok", first["payload"]!["text"]!.GetValue<string>());
        Assert.Equal("env-retried", again["envelope_id"]!.GetValue<string>());
        Assert.Null(again["payload"]);
        Assert.Equal(1, handled);
        Assert.False(running.IsCompleted);
    }

    [Fact]
    public async Task Several_connections_are_kept_open_a_lost_one_is_replaced_and_envelopes_on_any_are_answered()
    {
        var handled = 0;
        var client = Client(options => options.Connections = 3);
        var running = client.RunAsync((_, _) =>
        {
            Interlocked.Increment(ref handled);
            return Task.FromResult<JsonObject?>(new JsonObject { ["text"] = "ok" });
        }, _stop.Token);
        await _slack.WaitForConnectionsAsync(3);

        var (first, _) = await _slack.SendEnvelopeAsync("slash_commands", new JsonObject { ["command"] = "/today" });
        _slack.DropNewestConnection();
        await _slack.WaitForConnectionsAsync(4);
        var (second, _) = await _slack.SendEnvelopeAsync("slash_commands", new JsonObject { ["command"] = "/today" });

        Assert.Equal(("ok", "ok"), (first["payload"]!["text"]!.GetValue<string>(), second["payload"]!["text"]!.GetValue<string>()));
        Assert.Equal(2, handled);
        Assert.True(client.IsConnected);
        Assert.False(running.IsCompleted);
    }

    [Fact]
    public async Task A_refused_app_token_on_several_connections_ends_the_run_once_with_the_sentence()
    {
        var client = Client(options =>
        {
            options.AppToken = "xapp-wrong";
            options.Connections = 3;
        });

        var refused = await Assert.ThrowsAsync<SlackAuthException>(() => client.RunAsync((_, _) => Task.FromResult<JsonObject?>(null), _stop.Token));

        Assert.StartsWith("Slack does not accept the app-level token", refused.Message, StringComparison.Ordinal);
        Assert.False(client.IsConnected);
    }

    private SocketModeClient Client(Action<SlackClientOptions>? configure = null)
    {
        var options = new SlackClientOptions
        {
            BotToken = _slack.Options.BotToken, AppToken = _slack.Options.AppToken, ApiBaseUrl = _slack.ApiBaseUrl, AckWithin = TimeSpan.FromMilliseconds(600),

            // One connection unless a test asks for more, so connection counts are exact.
            Connections = 1,
        };
        configure?.Invoke(options);
        var wrapped = Options.Create(options);
        var api = new SlackWebApiClient(_http, wrapped, TimeProvider.System, new FakeLogger<SlackWebApiClient>());
        return new SocketModeClient(api, wrapped, TimeProvider.System, _logger);
    }
}
