using System.Reflection;

namespace CoachBot.Discord;

/// <summary>Settings for the Discord client (REST + gateway). Bind from the "Discord" configuration section.</summary>
public sealed class DiscordClientOptions
{
    public const string SectionName = "Discord";

    /// <summary>The bot token (without the "Bot " prefix). Never printed, logged or put in exception messages.</summary>
    public string Token { get; set; } = "";

    /// <summary>Where the token is configured, named in error sentences so the operator knows what to fix.</summary>
    public string TokenSettingName { get; set; } = "Discord__Token";

    /// <summary>REST base URL including the API version. Discord docs: omitting /v10 routes to a deprecated version.</summary>
    public Uri ApiBaseUrl { get; set; } = new("https://discord.com/api/v10");

    /// <summary>URL part of the required <c>User-Agent: DiscordBot (url, version)</c> header.</summary>
    public string UserAgentUrl { get; set; } = "https://github.com/coachbot/coachbot";

    /// <summary>Version part of the User-Agent header.</summary>
    public string UserAgentVersion { get; set; } =
        typeof(DiscordClientOptions).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion.Split('+')[0] ?? "1.0.0";

    /// <summary>Gateway intents bitmask. GUILDS (1) is enough for a slash-command bot; privileged intents cause close 4014.</summary>
    public int Intents { get; set; } = GatewayIntents.Guilds;

    /// <summary>Library name sent as <c>properties.browser</c> and <c>properties.device</c> in IDENTIFY.</summary>
    public string GatewayLibraryName { get; set; } = "coachbot";

    /// <summary>
    /// Client-side pacing of the global REST limit, in requests per second for this process. Discord allows 50 requests
    /// per second per bot token, counted where the requests arrive; pacing at exactly 50 where they leave lets network
    /// jitter push 51 into one of Discord's seconds (a 429 seen in the 500-member fan-out test), so the default keeps two
    /// requests of headroom. The limit belongs to the token, not the process: processes sharing a token divide it (three
    /// processes: 16 each), or all send through one rate-limit proxy (<see cref="ApiBaseUrl"/>).
    /// </summary>
    public int GlobalRateLimit { get; set; } = 48;

    /// <summary>
    /// The old name of <see cref="GlobalRateLimit"/>. Not read: the validator refuses it with a sentence naming the new
    /// key, so an upgrade never silently changes a process's budget.
    /// </summary>
    public int? GlobalRequestsPerSecond { get; set; }

    /// <summary>
    /// The bot's total number of gateway shards; 0 (the default) uses the count <c>GET /gateway/bot</c> recommends.
    /// Every process of one bot must use the same count.
    /// </summary>
    public int ShardCount { get; set; }

    /// <summary>
    /// The shards this process runs: empty for all of them, shard numbers separated by commas (<c>0,1</c>), or
    /// <c>none</c> for a process that opens no gateway and only sends over REST. Read with <see cref="Gateway.ShardSelection"/>.
    /// </summary>
    public string ShardIds { get; set; } = "";

    /// <summary>How many times a 5xx / 502 / network failure is retried before the error is raised.</summary>
    public int MaxServerErrorRetries { get; set; } = 3;

    /// <summary>First back-off delay for 5xx retries; doubled on each attempt.</summary>
    public TimeSpan ServerErrorRetryDelay { get; set; } = TimeSpan.FromMilliseconds(500);

    /// <summary>How many 429 responses a single call waits out before giving up.</summary>
    public int MaxRateLimitRetries { get; set; } = 5;

    /// <summary>Pause for every REST call after an HTML 429 (a Cloudflare block, not a normal rate limit).</summary>
    public TimeSpan CloudflareBlockPause { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>The rolling window of <see cref="Rest.DiscordRestClient.InvalidRequestsInWindow"/> (Discord counts 10 minutes).</summary>
    public TimeSpan InvalidRequestWindow { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// From this many invalid requests (401, 403, 429) in <see cref="InvalidRequestWindow"/>,
    /// <see cref="Rest.DiscordRestClient.IsInvalidRequestBrakeEngaged"/> is true: a quarter of Discord's 10,000, after which
    /// its edge bans the IP, leaving room for the replies members are waiting for.
    /// </summary>
    public int InvalidRequestPauseThreshold { get; set; } = 2500;

    /// <summary>An interaction handler still running after this long (from receipt) is deferred (type 5 / 6).</summary>
    public TimeSpan InteractionDeferAfter { get; set; } = TimeSpan.FromMilliseconds(1500);

    /// <summary>First delay after a failed gateway connect; doubles up to <see cref="ReconnectMaxDelay"/>.</summary>
    public TimeSpan ReconnectMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan ReconnectMaxDelay { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>Random wait before re-identifying after INVALID_SESSION false (docs: 1–5 s).</summary>
    public TimeSpan InvalidSessionMinDelay { get; set; } = TimeSpan.FromSeconds(1);

    public TimeSpan InvalidSessionMaxDelay { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Minimum spacing between two IDENTIFYs (docs: max_concurrency identifies per 5 s).</summary>
    public TimeSpan IdentifySpacing { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Gateway events sent per window (Discord allows 120 per 60 s; a few are kept for heartbeats).</summary>
    public int GatewaySendLimit { get; set; } = 117;

    public TimeSpan GatewaySendWindow { get; set; } = TimeSpan.FromSeconds(60);

    /// <summary>A connection that shows no HELLO within this time is dropped and retried.</summary>
    public TimeSpan GatewayHelloTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>Capacity of the queue between the receive loop and event subscribers.</summary>
    public int DispatchQueueCapacity { get; set; } = 1024;

    /// <summary>The shards this process runs (<see cref="Gateway.ShardSelection.All"/> when <see cref="ShardIds"/> cannot be read: the validator reports that).</summary>
    /// <remarks>A method, not a property, so the configuration binder does not try to bind it.</remarks>
    public Gateway.ShardSelection SelectedShards() => Gateway.ShardSelection.TryParse(ShardIds, out var selection, out _) ? selection : Gateway.ShardSelection.All;

    internal string UserAgent => $"DiscordBot ({UserAgentUrl}, {UserAgentVersion})";

    public override string ToString() =>
        $"DiscordClientOptions {{ ApiBaseUrl = {ApiBaseUrl}, Token = {(string.IsNullOrEmpty(Token) ? "(not set)" : "(set)")}, Intents = {Intents} }}";
}

/// <summary>Gateway intent bits (Discord docs: events/gateway "List of Intents").</summary>
public static class GatewayIntents
{
    public const int None = 0;
    public const int Guilds = 1 << 0;
    public const int GuildMembers = 1 << 1;
    public const int GuildPresences = 1 << 8;
    public const int GuildMessages = 1 << 9;
    public const int DirectMessages = 1 << 12;
    public const int MessageContent = 1 << 15;

    /// <summary>Intents that must be switched on in the Developer Portal (else close 4014).</summary>
    public const int Privileged = GuildMembers | GuildPresences | MessageContent;
}
