using System.Text.Json.Nodes;
using CoachBot.Discord.Testing;
using CoachBot.Operations;
using CoachBot.Platforms;
using CoachBot.Platforms.Discord;
using CoachBot.Testing;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>
/// The real bot host (<see cref="BotMode"/>) in-process against a <see cref="FakeDiscordServer"/>, with a temporary SQLite
/// file, the repository's pathways and every log line recorded. Start it, drive it with interactions, stop it like SIGTERM.
/// </summary>
internal sealed class BotHarness : IAsyncDisposable
{
    public const string GuildMemberFixture = "interaction-slash-command-guild.json";
    public const string MemberUserId = "53908232506183680";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "coachbot-tests", Guid.NewGuid().ToString("N"));
    private readonly bool _ownsFake;
    private CancellationTokenSource? _stop;

    private BotHarness(FakeDiscordServer fake, bool ownsFake = true)
    {
        Fake = fake;
        _ownsFake = ownsFake;
        Directory.CreateDirectory(_folder);
    }

    public FakeDiscordServer Fake { get; }

    public FakeLoggerProvider Logs { get; } = new();

    public StringWriter Error { get; } = new();

    public Task<int>? Run { get; private set; }

    /// <summary>The running host's counts (what <c>/coach stats</c> shows, per server), once it has started.</summary>
    public CoachBotMetrics? Metrics { get; private set; }

    /// <summary>Settings laid over the defaults for the next start (e.g. a wrong token, guild ids).</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    // Nothing here is about heartbeats: the fake's default is Discord's 41.25 s, so one late ACK on a busy machine never
    // makes the bot reconnect in the middle of a test. Discord's 3-second answer window is tested on a fake clock
    // (InteractionResponderTests); on the real clock here a machine busy with parallel builds can take longer than that
    // to answer, so these tests give the bot 30 seconds.
    public static async Task<BotHarness> CreateAsync() =>
        new(await FakeDiscordServer.StartAsync(new FakeDiscordOptions
        {
            InteractionResponseWindow = TimeSpan.FromSeconds(30),
        }));

    /// <summary>A bot of its own (own database and health file) on a fake Discord that the caller shares and disposes: one of several processes.</summary>
    public static BotHarness On(FakeDiscordServer fake) => new(fake, ownsFake: false);

    /// <summary>Discord's answer window for tests on the real clock (see <see cref="CreateAsync"/>), for fakes made by a test.</summary>
    public static TimeSpan InteractionResponseWindow { get; } = TimeSpan.FromSeconds(30);

    public string DatabasePath => Path.Combine(_folder, "coachbot.db");

    public string HealthFilePath => Path.Combine(_folder, "healthy");

    /// <summary>Holds an exclusive lock on the database until disposed, so every command that writes waits (a slow handler).</summary>
    public async Task<SqliteConnection> LockDatabaseAsync()
    {
        var connection = new SqliteConnection($"Data Source={DatabasePath};Pooling=False");
        await connection.OpenAsync();
        await using var begin = connection.CreateCommand();
        begin.CommandText = "BEGIN EXCLUSIVE;";
        await begin.ExecuteNonQueryAsync();
        return connection;
    }

    /// <summary>Starts the host without waiting for anything.</summary>
    public void Start()
    {
        _stop = new CancellationTokenSource();
        var settings = FakeDiscordBotSettings.For(Fake, $"Data Source={DatabasePath}", _folder);

        // Deferral (the 1.5 s default) is tested where a test sets it; elsewhere a busy machine taking longer than
        // 1.5 s must not turn a direct answer into "thinking…" and an edit, which the assertions would see.
        settings["Discord:InteractionDeferAfter"] = "00:00:20";
        foreach (var (key, value) in Settings)
        {
            settings[key] = value;
        }

        Run = Task.Run(() => BotMode.RunAsync([], Error, builder =>
        {
            builder.Configuration.AddInMemoryCollection(settings);
            builder.Logging.ClearProviders();
            builder.Logging.AddProvider(Logs);
            builder.Logging.SetMinimumLevel(LogLevel.Trace);
            builder.Services.AddHostedService(provider => new MetricsCapture(this, provider.GetRequiredService<CoachBotMetrics>()));
        }, _stop.Token));
    }

    /// <summary>Starts the host and waits until it has identified this many times in total (READY received).</summary>
    public async Task StartAndWaitForReadyAsync(int identifies = 1)
    {
        Start();
        await Fake.WaitForAsync(() => Fake.LatestSession?.Number >= identifies || Run!.IsCompleted, "the bot's IDENTIFY");
        Assert.False(Run!.IsCompleted, "The bot stopped: " + Error + string.Join('\n', LogLines()));
    }

    /// <summary>Stops the host as SIGTERM does and returns its exit code.</summary>
    public async Task<int> StopAsync()
    {
        await _stop!.CancelAsync();
        return await Run!.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>A slash command from a guild member (Manage Server unless <paramref name="permissions"/> says otherwise).</summary>
    public Task<FakeInteraction> CommandAsync(string name, JsonObject? options = null, string permissions = "2147483647", JsonArray? rawOptions = null) =>
        Fake.InjectInteractionAsync(GuildMemberFixture, json =>
        {
            json["member"]!["permissions"] = permissions;
            json["data"] = new JsonObject
            {
                ["id"] = "771825006014889984",
                ["name"] = name,
                ["type"] = 1,
                ["options"] = rawOptions ?? new JsonArray([.. (options ?? []).Select(option => (JsonNode)new JsonObject
                {
                    ["type"] = 3,
                    ["name"] = option.Key,
                    ["value"] = option.Value!.DeepClone(),
                })]),
            };
        });

    public Task<FakeInteraction> ButtonAsync(string customId, string permissions = "2147483647") =>
        Fake.InjectInteractionAsync(GuildMemberFixture, json =>
        {
            json["type"] = 3;
            json["member"]!["permissions"] = permissions;
            json["data"] = new JsonObject { ["component_type"] = 2, ["id"] = 2, ["custom_id"] = customId };
            json["message"] = new JsonObject
            {
                ["id"] = "786010239269994501",
                ["channel_id"] = "645027906669510667",
                ["content"] = "",
                ["timestamp"] = "2026-11-27T08:00:00.000000+00:00",
                ["components"] = new JsonArray(new JsonObject
                {
                    ["type"] = 1,
                    ["components"] = new JsonArray(new JsonObject { ["type"] = 2, ["custom_id"] = customId, ["label"] = "Add a note", ["style"] = 2 }),
                }),
            };
        });

    public Task<FakeInteraction> ModalSubmitAsync(string customId, string text) =>
        Fake.InjectInteractionAsync(GuildMemberFixture, json =>
        {
            json["type"] = 5;
            json["data"] = new JsonObject
            {
                ["custom_id"] = customId,
                ["components"] = new JsonArray(new JsonObject
                {
                    ["type"] = 18,
                    ["id"] = 1,
                    ["component"] = new JsonObject { ["type"] = 4, ["id"] = 2, ["custom_id"] = InteractionRouter.ModalTextId, ["value"] = text },
                }),
            };
        });

    public Task<FakeInteraction> AutocompleteAsync(string command, string option, string partial) =>
        Fake.InjectInteractionAsync("interaction-autocomplete.json", json => json["data"] = new JsonObject
        {
            ["id"] = "816437322781949972",
            ["name"] = command,
            ["type"] = 1,
            ["options"] = new JsonArray(new JsonObject { ["type"] = 3, ["name"] = option, ["value"] = partial, ["focused"] = true }),
        });

    /// <summary>
    /// The message the member ends up seeing: the type-4/7 callback data, or the edit after a type-5 deferral, or the
    /// follow-up after a type-6 deferral; for types 8 and 9 the callback data itself.
    /// </summary>
    public async Task<JsonObject> ReplyAsync(FakeInteraction interaction)
    {
        JsonObject? reply = null;
        await Fake.WaitForAsync(() => (reply = ReplyOf(interaction)) is not null || RefusedCount(interaction) > 0, "the answer to interaction " + interaction.Id, TimeSpan.FromSeconds(30));

        // Discord would have refused it too: the member saw nothing (or "The application did not respond").
        Assert.True(reply is not null, $"The fake Discord refused the answer to interaction {interaction.Id}: {string.Join('\n', RefusedOf(interaction))} {string.Join('\n', Fake.SchemaViolations)}");
        return reply!;
    }

    public static string Content(JsonObject reply) => reply["content"]?.GetValue<string>() ?? "";

    public static bool IsEphemeral(JsonObject reply) => ((reply["flags"]?.GetValue<int>() ?? 0) & 64) != 0;

    public static IEnumerable<string> CustomIds(JsonObject reply) =>
        (reply["components"] as JsonArray ?? [])
            .SelectMany(row => row?["components"] as JsonArray ?? [])
            .Select(button => button?["custom_id"]?.GetValue<string>() ?? "");

    public IReadOnlyList<string> LogLines() =>
        [.. Logs.Collector.GetSnapshot().Select(record => string.Join(" | ", new[] { record.Level.ToString(), record.Message, record.Exception?.ToString() ?? "" }
            .Concat(record.StructuredState?.Select(pair => $"{pair.Key}={pair.Value}") ?? [])))];

    public async ValueTask DisposeAsync()
    {
        if (Run is { IsCompleted: false })
        {
            await StopAsync();
        }

        _stop?.Dispose();
        if (_ownsFake)
        {
            await Fake.DisposeAsync();
        }

        Logs.Dispose();
        SqliteConnection.ClearAllPools();
        try
        {
            Directory.Delete(_folder, recursive: true);
        }
        catch (IOException)
        {
            // A leftover temp folder is harmless.
        }
    }

    private static int RefusedCount(FakeInteraction interaction)
    {
        lock (interaction)
        {
            return interaction.RefusedCallbacks.Count;
        }
    }

    private static List<string> RefusedOf(FakeInteraction interaction)
    {
        lock (interaction)
        {
            return [.. interaction.RefusedCallbacks];
        }
    }

    private static JsonObject? ReplyOf(FakeInteraction interaction)
    {
        lock (interaction)
        {
            var callback = interaction.Callbacks.Count > 0 ? JsonNode.Parse(interaction.Callbacks[0])!.AsObject() : null;
            switch (interaction.AcknowledgedWithType)
            {
                case 4 or 7 or 8 or 9:
                    return callback!["data"]!.AsObject();
                case 5 when interaction.OriginalEdits.Count > 0:
                    // Visibility was fixed by the deferral; keep its flags next to the edited content.
                    var edit = JsonNode.Parse(interaction.OriginalEdits[0])!.AsObject();
                    edit["flags"] = callback?["data"]?["flags"]?.DeepClone();
                    return edit;
                case 6 when interaction.OriginalEdits.Count > 0:
                    // The message the component is on, updated after the type-6 deferral.
                    return JsonNode.Parse(interaction.OriginalEdits[0])!.AsObject();
                case 6 when interaction.Followups.Count > 0:
                    return JsonNode.Parse(interaction.Followups[0])!.AsObject();
                default:
                    return null;
            }
        }
    }

    /// <summary>Hands the host's counts to the harness when the host starts.</summary>
    private sealed class MetricsCapture(BotHarness harness, CoachBotMetrics metrics) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken)
        {
            harness.Metrics = metrics;
            return Task.CompletedTask;
        }

        public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
    }
}
