namespace CoachBot.Discord.Testing;

/// <summary>How the fake Discord behaves: Discord's rules and numbers unless a test changes them.</summary>
public sealed class FakeDiscordOptions
{
    /// <summary>The only token the fake accepts (REST 401 / gateway 4004 otherwise).</summary>
    public string Token { get; set; } = "fake-bot-token.Zm9vYmFy.c2VjcmV0LXRva2Vu";

    public string ApplicationId { get; set; } = "775799577604522054";
    public string BotUserId { get; set; } = "809850198683418695";
    public string GuildId { get; set; } = "290926798626357999";

    /// <summary>
    /// HELLO's heartbeat_interval: Discord's 41.25 s, so no test depends on a heartbeat ACK arriving in time on a busy
    /// machine (a late one makes the client reconnect). Tests about heartbeats set a short one.
    /// </summary>
    public int HeartbeatIntervalMilliseconds { get; set; } = 41_250;

    /// <summary>
    /// session_start_limit.remaining reported by /gateway/bot (decremented by each accepted IDENTIFY). An IDENTIFY at 0
    /// does what Discord does: every session ends and the bot token is reset (close 4004; REST answers 401 after).
    /// </summary>
    public int SessionStartRemaining { get; set; } = 1000;

    /// <summary>session_start_limit.total: what <see cref="SessionStartRemaining"/> returns to when the reset comes.</summary>
    public int SessionStartTotal { get; set; } = 1000;

    /// <summary>When the session-start count resets, from the fake's start (on its clock).</summary>
    public long SessionStartResetAfterMilliseconds { get; set; } = 14_400_000;

    /// <summary>
    /// session_start_limit.max_concurrency: the identify buckets (<c>shard_id % max_concurrency</c>); a second IDENTIFY
    /// in one bucket within <see cref="IdentifyWindow"/> gets op 9.
    /// </summary>
    public int MaxConcurrency { get; set; } = 1;

    /// <summary>The identify rate-limit window (Discord: 5 seconds per max_concurrency bucket).</summary>
    public TimeSpan IdentifyWindow { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Privileged intents switched on "in the portal"; others in IDENTIFY give close 4014.</summary>
    public int EnabledPrivilegedIntents { get; set; }

    /// <summary>
    /// More servers the bot is in, beside <see cref="GuildId"/>: each is in READY and gets GUILD_CREATE on its own shard
    /// (<see cref="FakeDiscordServer.ShardOf"/>). <see cref="FakeDiscordServer.GuildIdOnShard"/> makes ids for a shard.
    /// </summary>
    public List<string> MoreGuildIds { get; } = [];

    /// <summary>
    /// The shard count /gateway/bot recommends and IDENTIFY must use: a smaller <c>shard</c> count (or none when this is
    /// above 1) gets close 4011, as Discord does for a bot in too many servers for its shards; a larger count or an id
    /// outside it gets close 4010.
    /// </summary>
    public int ShardCount { get; set; } = 1;

    /// <summary>Send GUILD_CREATE for <see cref="GuildId"/> after READY.</summary>
    public bool SendGuildCreate { get; set; } = true;

    /// <summary>After this long an interaction callback gets 10062 (Discord: 3 s).</summary>
    public TimeSpan InteractionResponseWindow { get; set; } = TimeSpan.FromSeconds(3);

    /// <summary>After this long an interaction's token is dead: callbacks, edits and follow-ups get 401 / 50027 (Discord: 15 minutes).</summary>
    public TimeSpan InteractionTokenLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>Global REST limit per second (interaction routes exempt).</summary>
    public int GlobalLimitPerSecond { get; set; } = 50;

    /// <summary>Default per-bucket limit and window.</summary>
    public int DefaultBucketLimit { get; set; } = 50;

    public TimeSpan DefaultBucketWindow { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Per-route limits keyed by "METHOD /template", e.g. "POST /channels/{channel_id}/messages".</summary>
    public Dictionary<string, (int Limit, TimeSpan Window)> BucketLimits { get; } = new(StringComparer.Ordinal);

    /// <summary>Users whose DMs are closed: messages to their DM channel get 403 / 50007.</summary>
    public HashSet<string> DmClosedUserIds { get; } = new(StringComparer.Ordinal);

    /// <summary>
    /// How long a message sent with <c>nonce</c> and <c>enforce_nonce: true</c> is remembered: the same nonce from the bot
    /// within this window, on any channel, returns the existing message instead of creating one (Discord checks it per
    /// author, for "the past few minutes").
    /// </summary>
    public TimeSpan NonceWindow { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>
    /// Validate every request body against the OpenAPI spec (and the docs' extra limits) and refuse one that breaks
    /// them with 400 / 50035 as Discord does. The benchmarks switch it off: its CPU cost would set their rate.
    /// </summary>
    public bool ValidateRequestBodies { get; set; } = true;
}
