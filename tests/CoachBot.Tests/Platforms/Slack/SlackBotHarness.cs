using System.Text.Json.Nodes;
using CoachBot.Platforms;
using CoachBot.Slack.Testing;
using CoachBot.TestSupport;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Platforms.Slack;

/// <summary>
/// The real bot host (<see cref="BotMode"/>) in-process with only Slack's tokens set, against a <see cref="FakeSlackServer"/>,
/// with a temporary SQLite file, the repository's pathways and every log line recorded. Slash commands and button presses
/// go in as Socket Mode envelopes shaped like Slack's own examples (Fixtures/); the answers are read where Slack would show
/// them: with the ack, or posted to the interaction's response_url.
/// </summary>
internal sealed class SlackBotHarness : IAsyncDisposable
{
    public const string Workspace = "T0WORKSPACE";
    public const string Member = "U0MEMBER";
    public const string Admin = "U0ADMIN";

    private readonly string _folder = Path.Combine(Path.GetTempPath(), "coachbot-tests", Guid.NewGuid().ToString("N"));
    private readonly TimeProvider? _clock;
    private CancellationTokenSource? _stop;
    private int _interactions;

    private SlackBotHarness(FakeSlackServer fake, TimeProvider? clock)
    {
        Fake = fake;
        _clock = clock;
        Directory.CreateDirectory(_folder);
    }

    public FakeSlackServer Fake { get; }

    public FakeLoggerProvider Logs { get; } = new();

    public StringWriter Error { get; } = new();

    public Task<int>? Run { get; private set; }

    /// <summary>Settings laid over the defaults for the next start.</summary>
    public Dictionary<string, string?> Settings { get; } = new(StringComparer.Ordinal);

    public string DatabasePath => Path.Combine(_folder, "coachbot.db");

    /// <param name="clock">The bot's and the fake's clock (a test moving time to a reminder's minute), or the system's.</param>
    public static async Task<SlackBotHarness> CreateAsync(TimeProvider? clock = null) =>
        new(await FakeSlackServer.StartAsync(time: clock), clock);

    public void Start()
    {
        _stop = new CancellationTokenSource();
        var settings = new Dictionary<string, string?>(StringComparer.Ordinal)
        {
            ["Slack:BotToken"] = Fake.Options.BotToken,
            ["Slack:AppToken"] = Fake.Options.AppToken,
            ["Slack:ApiBaseUrl"] = Fake.ApiBaseUrl.ToString(),
            ["ConnectionStrings:CoachBot"] = $"Data Source={DatabasePath}",
            ["Pathways:Directory"] = RepositoryRoot.PathwaysDirectory,
            ["Coach:DefaultTimeZone"] = "UTC",
            ["Health:File"] = Path.Combine(_folder, "healthy"),
            ["Scheduling:TickInterval"] = "00:00:01",
        };
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
            if (_clock is not null)
            {
                builder.Services.AddSingleton(_clock);
            }
        }, _stop.Token));
    }

    /// <summary>Socket Mode connections the bot keeps open (Slack:Connections' default).</summary>
    public const int Connections = 2;

    /// <summary>Starts the host and waits until it has opened its Socket Mode connections.</summary>
    public async Task StartAndWaitForConnectionAsync()
    {
        Start();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        while (Fake.ConnectionsOpened < Connections && !Run!.IsCompleted)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, timeout.Token);
        }

        Assert.False(Run!.IsCompleted, "The bot stopped: " + Error + string.Join('\n', LogLines()));
    }

    public async Task<int> StopAsync()
    {
        await _stop!.CancelAsync();
        return await Run!.WaitAsync(TimeSpan.FromSeconds(15));
    }

    /// <summary>
    /// A slash command as Slack sends it over Socket Mode (its example envelope's payload, with this command and text),
    /// and the answer the member sees: the ack's payload, or what was posted to the command's response_url.
    /// </summary>
    public async Task<JsonObject> CommandAsync(string command, string text = "", string user = Member, string workspace = Workspace)
    {
        var id = NextId("command");
        var payload = SlackFixtures.Load("socket-mode-slash-commands-envelope.json")["payload"]!.AsObject();
        payload["team_id"] = workspace;
        payload["team_domain"] = "study-group";
        payload["channel_id"] = "C0GROUP";
        payload["user_id"] = user;
        payload["user_name"] = Fake.Options.Users.TryGetValue(user, out var known) ? known.Name : user;
        payload["command"] = "/" + command;
        payload["text"] = text;
        payload["response_url"] = Fake.ResponseUrl(id).ToString();
        var (ack, _) = await Fake.SendEnvelopeAsync("slash_commands", payload, acceptsResponsePayload: true);
        return ack["payload"] as JsonObject ?? await ResponseAsync(id);
    }

    /// <summary>A button press (Slack's example block_actions payload with this button), and where it is answered: its response_url's id.</summary>
    /// <param name="channel">Where the message with the button is (a DM's id starts with D); the example's channel unless given.</param>
    public async Task<string> PressAsync(JsonObject button, string user = Member, string? channel = null)
    {
        var id = NextId("press");
        var payload = SlackFixtures.Load("socket-mode-interactive-block-actions-envelope.json")["payload"]!.AsObject();
        payload["team"] = new JsonObject { ["id"] = Workspace, ["domain"] = "study-group" };
        payload["user"] = new JsonObject { ["id"] = user, ["username"] = Fake.Options.Users.TryGetValue(user, out var known) ? known.Name : user, ["team_id"] = Workspace };
        payload["trigger_id"] = "trigger-" + id;
        payload["response_url"] = Fake.ResponseUrl(id).ToString();
        if (channel is not null)
        {
            payload["channel"] = new JsonObject { ["id"] = channel, ["name"] = channel.StartsWith('D') ? "directmessage" : channel };
            payload["container"]!["channel_id"] = channel;
        }

        var action = payload["actions"]![0]!.AsObject();
        action["action_id"] = button["action_id"]!.GetValue<string>();
        action["value"] = button["value"]?.GetValue<string>();
        action["text"] = button["text"]!.DeepClone();
        var (ack, _) = await Fake.SendEnvelopeAsync("interactive", payload, acceptsResponsePayload: false);
        Assert.Null(ack["payload"]);
        return id;
    }

    /// <summary>Submits the modal the bot opened last with <paramref name="text"/> typed into its one input (a view_submission).</summary>
    public async Task SubmitLastModalAsync(string text, string user = Member)
    {
        var opened = Fake.Requests.Last(request => request.Method == "views.open");
        var view = opened.Arguments["view"]!.AsObject();
        var input = view["blocks"]![0]!.AsObject();
        var payload = new JsonObject
        {
            ["type"] = "view_submission",
            ["team"] = new JsonObject { ["id"] = Workspace, ["domain"] = "study-group" },
            ["user"] = new JsonObject { ["id"] = user, ["username"] = Fake.Options.Users[user].Name, ["team_id"] = Workspace },
            ["api_app_id"] = "A0FAKE",
            ["trigger_id"] = "trigger-submit",
            ["view"] = new JsonObject
            {
                ["id"] = "V0FAKE",
                ["type"] = "modal",
                ["callback_id"] = view["callback_id"]!.DeepClone(),
                ["private_metadata"] = view["private_metadata"]!.DeepClone(),
                ["state"] = new JsonObject
                {
                    ["values"] = new JsonObject
                    {
                        [input["block_id"]!.GetValue<string>()] = new JsonObject
                        {
                            [input["element"]!["action_id"]!.GetValue<string>()] = new JsonObject { ["type"] = "plain_text_input", ["value"] = text },
                        },
                    },
                },
            },
            ["response_urls"] = new JsonArray(),
        };
        var (ack, _) = await Fake.SendEnvelopeAsync("interactive", payload, acceptsResponsePayload: true);
        // An empty ack closes the modal; an ack with response_action would keep it open with errors.
        Assert.Null(ack["payload"]);
    }

    /// <summary>The first answer posted to the response_url with this id (waits up to 30 s).</summary>
    public async Task<JsonObject> ResponseAsync(string id, int index = 0)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        while (Fake.ResponsesTo(id).Count <= index)
        {
            Assert.False(Run!.IsCompleted, "The bot stopped: " + Error + string.Join('\n', LogLines()));
            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, timeout.Token);
        }

        return Fake.ResponsesTo(id)[index];
    }

    /// <summary>
    /// Waits (real time, up to 30 s) until <paramref name="done"/> holds or the bot stopped. With <paramref name="ticking"/>,
    /// that clock moves <paramref name="step"/> (a second unless given) every 20 ms meanwhile: Quartz runs on the bot's clock, so after a jump past a tick's
    /// time it fires again only once the clock moves on (a jump is a misfire, rescheduled to the next interval).
    /// </summary>
    public async Task WaitForAsync(Func<bool> done, string what, FakeTimeProvider? ticking = null, TimeSpan? step = null)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (!done() && !Run!.IsCompleted)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, timeout.Token);
                ticking?.Advance(step ?? TimeSpan.FromSeconds(1));
            }
        }
        catch (OperationCanceledException)
        {
            Assert.Fail($"Waited 30 s for {what}. Outbox: {Outbox()}. Log:\n" + string.Join('\n', LogLines()));
        }
    }

    /// <summary>The outbox rows, one line each (for a failing test's message).</summary>
    private string Outbox()
    {
        using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        connection.Open();
        using var query = connection.CreateCommand();
        query.CommandText = "SELECT group_concat(subject || ' ' || kind || ' ' || period || ' ' || state || ' ' || coalesce(last_error, ''), '; ') FROM deliveries";
        var deliveries = query.ExecuteScalar() as string ?? "empty";
        query.CommandText = "SELECT group_concat(platform || ' ' || guild_id || ' ' || coalesce(group_channel_id, '-') || ' ' || coalesce(group_channel_broken_at, '-') || ' ' || coalesce(default_time_zone, '-'), '; ') FROM server_settings";
        return deliveries + " | servers: " + (query.ExecuteScalar() as string ?? "none");
    }

    /// <summary>The check-in notes the database holds, as the bot saved them.</summary>
    public async Task<IReadOnlyList<string>> StoredNotesAsync()
    {
        await using var connection = new SqliteConnection($"Data Source={DatabasePath};Mode=ReadOnly;Pooling=False");
        await connection.OpenAsync();
        await using var query = connection.CreateCommand();
        query.CommandText = "SELECT note FROM checkin_answers WHERE note IS NOT NULL ORDER BY id";
        var notes = new List<string>();
        await using var reader = await query.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            notes.Add(reader.GetString(0));
        }

        return notes;
    }

    /// <summary>Every text of a Slack message (its fallback text and its sections' mrkdwn), one string.</summary>
    public static string TextOf(JsonObject message) =>
        string.Join('\n', new[] { message["text"]?.GetValue<string>() ?? "" }.Concat(
            (message["blocks"] as JsonArray ?? []).OfType<JsonObject>().Select(block => block["text"]?["text"]?.GetValue<string>() ?? "")));

    /// <summary>The buttons of a Slack message.</summary>
    public static IReadOnlyList<JsonObject> Buttons(JsonObject message) =>
        [.. (message["blocks"] as JsonArray ?? []).OfType<JsonObject>().SelectMany(block => block["elements"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(element => element["type"]?.GetValue<string>() == "button")];

    public IReadOnlyList<string> LogLines() =>
        [.. Logs.Collector.GetSnapshot().Select(record => string.Join(" | ", new[] { record.Level.ToString(), record.Message, record.Exception?.ToString() ?? "" }))];

    public async ValueTask DisposeAsync()
    {
        if (Run is { IsCompleted: false })
        {
            await StopAsync();
        }

        _stop?.Dispose();
        await Fake.DisposeAsync();
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

    private string NextId(string kind) => $"{kind}-{Interlocked.Increment(ref _interactions)}";
}
