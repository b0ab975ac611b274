namespace CoachBot.Slack;

/// <summary>How CoachBot talks to Slack: the two tokens, where the Web API is, and how fast it posts.</summary>
public sealed class SlackClientOptions
{
    /// <summary>The bot token (<c>xoxb-…</c>) every Web API method but <c>apps.connections.open</c> is called with. Never logged.</summary>
    public string BotToken { get; set; } = "";

    /// <summary>The app-level token (<c>xapp-…</c>, scope <c>connections:write</c>) that opens Socket Mode connections. Never logged.</summary>
    public string AppToken { get; set; } = "";

    /// <summary>Slack's Web API; tests and proxies point it elsewhere. The Socket Mode URL comes from <c>apps.connections.open</c>.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://slack.com/api/");

    /// <summary>
    /// The least time between two messages posted to one channel (Slack allows about one a second per channel, with short
    /// bursts it does not promise to keep).
    /// </summary>
    public TimeSpan ChannelPostInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How many times a call answered 429 is tried again (after the <c>Retry-After</c> Slack gives) before it fails.</summary>
    public int MaxRateLimitRetries { get; set; } = 3;

    /// <summary>
    /// How long an envelope's handler may take before its envelope is acknowledged without an answer (Slack wants the
    /// ack within 3 seconds; the handler then answers through the <c>response_url</c>).
    /// </summary>
    public TimeSpan AckWithin { get; set; } = TimeSpan.FromSeconds(2.5);

    /// <summary>
    /// How many Socket Mode connections to keep open (1 to 10; Slack allows 10 per app and spreads envelopes over them):
    /// with more than one, a connection being replaced or lost leaves another to take envelopes meanwhile.
    /// </summary>
    public int Connections { get; set; } = 2;

    /// <summary>The longest wait between two failed attempts to open a Socket Mode connection (it doubles from one second).</summary>
    public TimeSpan MaxReconnectDelay { get; set; } = TimeSpan.FromSeconds(30);
}
