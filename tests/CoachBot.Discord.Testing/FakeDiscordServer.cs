using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Discord.Testing;

/// <summary>
/// A fake Discord (REST v10 + gateway v10 over a real WebSocket) on 127.0.0.1 with a free port, started by tests.
/// It records every request and refuses what Discord refuses: bodies that break the OpenAPI spec or the documented
/// limits (400 / 50035 with an errors object), rate limits (429), the interaction rules (3-second window → 10062,
/// second acknowledgement → 40060, a callback type that does not fit the interaction → 400, a token older than
/// 15 minutes → 401 / 50027), one IDENTIFY per 5 s (op 9) and the session-start limit (token reset). It can be
/// steered (op 7, op 9, close codes, no heartbeat ACKs, injected interactions).
/// </summary>
public sealed partial class FakeDiscordServer : IAsyncDisposable
{
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<string> _violations = new();
    private readonly Lock _changeLock = new();
    private TaskCompletionSource _changed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private WebApplication? _app;

    public FakeDiscordServer(FakeDiscordOptions? options = null, TimeProvider? timeProvider = null)
    {
        Options = options ?? new FakeDiscordOptions();
        TimeProvider = timeProvider ?? TimeProvider.System;
    }

    public FakeDiscordOptions Options { get; }
    public TimeProvider TimeProvider { get; }

    /// <summary>e.g. http://127.0.0.1:5123/api/v10 — give it to the client as ApiBaseUrl.</summary>
    public Uri ApiBaseUrl { get; private set; } = null!;

    /// <summary>The URL /gateway/bot returns.</summary>
    public Uri GatewayUrl { get; private set; } = null!;

    /// <summary>The URL READY gives as resume_gateway_url (a different path, so tests can tell them apart).</summary>
    public Uri ResumeGatewayUrl { get; private set; } = null!;

    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Problems found in request bodies (OpenAPI schema and documented limits). Tests assert it is empty.</summary>
    public IReadOnlyList<string> SchemaViolations => [.. _violations];

    public static async Task<FakeDiscordServer> StartAsync(FakeDiscordOptions? options = null, TimeProvider? timeProvider = null)
    {
        var server = new FakeDiscordServer(options, timeProvider);
        await server.StartAsync();
        return server;
    }

    public async Task StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _app = builder.Build();
        _app.UseWebSockets();
        _app.Run(HandleAsync);
        await _app.StartAsync();
        var address = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        ApiBaseUrl = new Uri($"http://127.0.0.1:{port}/api/v10");
        GatewayUrl = new Uri($"ws://127.0.0.1:{port}/gateway");
        ResumeGatewayUrl = new Uri($"ws://127.0.0.1:{port}/resume-gateway");
    }

    /// <summary>
    /// Waits until <paramref name="condition"/> holds, re-checking whenever the fake's state changes. The default timeout
    /// is long because it only bounds a failing test: a passing one returns as soon as the condition holds, and a CI
    /// machine busy with parallel builds can be many times slower than a quiet one.
    /// </summary>
    public async Task WaitForAsync(Func<bool> condition, string description, TimeSpan? timeout = null)
    {
        using var cts = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(30));
        while (true)
        {
            Task changed;
            lock (_changeLock)
            {
                changed = _changed.Task;
            }

            if (condition())
            {
                return;
            }

            try
            {
                await changed.WaitAsync(TimeSpan.FromMilliseconds(100), cts.Token);
            }
            catch (TimeoutException)
            {
                // Re-check: some conditions depend on time, not on a state change.
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The fake Discord never saw: {description}.");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var connection in _connections.Where(c => c.IsOpen))
        {
            try
            {
                connection.Socket.Abort();
            }
            catch (ObjectDisposedException)
            {
                // The request already ended.
            }
        }

        foreach (var session in _sessions.Values)
        {
            session.Dispose();
        }

        if (_app is not null)
        {
            await _app.StopAsync();
            await _app.DisposeAsync();
        }

        foreach (var connection in _connections.ToArray())
        {
            connection.Dispose();
        }
    }

    /// <summary>Wakes <see cref="WaitForAsync"/> callers: for tests whose condition depends on client-side state.</summary>
    public void Poke() => NotifyChanged();

    private void NotifyChanged()
    {
        TaskCompletionSource previous;
        lock (_changeLock)
        {
            previous = _changed;
            _changed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        previous.TrySetResult();
    }

    private Task HandleAsync(Microsoft.AspNetCore.Http.HttpContext context)
    {
        var path = context.Request.Path.Value ?? "";
        if (path is "/gateway" or "/resume-gateway")
        {
            return HandleGatewayAsync(context, isResumeUrl: path == "/resume-gateway");
        }

        return HandleRestAsync(context);
    }
}
