using System.Collections.Concurrent;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;

namespace CoachBot.Discord.Tests.Support;

/// <summary>A real <see cref="GatewayClient"/> over real WebSockets, connected to the fake Discord.</summary>
internal sealed class GatewayHarness : IAsyncDisposable
{
    private readonly CancellationTokenSource _stop = new();

    private GatewayHarness(FakeDiscordServer fake, DiscordClientOptions options, TestLogging logging)
    {
        Options = options;
        Rest = Clients.Rest(options, logging);
        Client = new GatewayClient(Rest, new WebSocketGatewayTransportFactory(), Microsoft.Extensions.Options.Options.Create(options), TimeProvider.System, logging.For<GatewayClient>());
        Client.Ready += (e, _) => Record(Readies, e, fake);
        Client.Resumed += (e, _) => Record(Resumes, e, fake);
        Client.InteractionCreated += (e, _) => Record(Interactions, e, fake);
        Client.GuildCreated += (e, _) => Record(Guilds, e, fake);
        Client.HeartbeatAcknowledged += (e, _) => Record(Acks, e, fake);
        Client.FatalStopped += (e, _) => Record(Fatal, e, fake);
    }

    public DiscordClientOptions Options { get; }
    public DiscordRestClient Rest { get; }
    public GatewayClient Client { get; }
    public Task Run { get; private set; } = Task.CompletedTask;
    public ConcurrentQueue<GatewayReady> Readies { get; } = new();
    public ConcurrentQueue<GatewayResumed> Resumes { get; } = new();
    public ConcurrentQueue<InteractionCreated> Interactions { get; } = new();
    public ConcurrentQueue<CoachBot.Discord.Models.DiscordGuild> Guilds { get; } = new();
    public ConcurrentQueue<HeartbeatAcknowledged> Acks { get; } = new();
    public ConcurrentQueue<GatewayFatalError> Fatal { get; } = new();

    /// <summary>Creates the client (so tests can subscribe more handlers) without starting it.</summary>
    public static GatewayHarness Create(FakeDiscordServer fake, TestLogging logging, Action<DiscordClientOptions>? configure = null) =>
        new(fake, Clients.OptionsFor(fake, configure), logging);

    /// <summary>Starts the client and waits for READY.</summary>
    public static async Task<GatewayHarness> ConnectAsync(FakeDiscordServer fake, TestLogging logging, Action<DiscordClientOptions>? configure = null)
    {
        var harness = Create(fake, logging, configure);
        harness.Start();
        await fake.WaitForAsync(() => !harness.Readies.IsEmpty, "READY delivered to the client");
        return harness;
    }

    public void Start() => Run = Client.RunAsync(_stop.Token);

    public async Task StopAsync()
    {
        await _stop.CancelAsync();
        await Run.WaitAsync(TimeSpan.FromSeconds(10));
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            await Run.WaitAsync(TimeSpan.FromSeconds(10));
        }
        catch (GatewayFatalException)
        {
            // Asserted by the tests that expect it.
        }

        await Client.DisposeAsync();
        _stop.Dispose();
    }

    private static Task Record<T>(ConcurrentQueue<T> queue, T item, FakeDiscordServer fake)
    {
        queue.Enqueue(item);
        fake.Poke();
        return Task.CompletedTask;
    }
}
