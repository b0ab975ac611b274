namespace CoachBot.Discord.Gateway;

internal enum GatewayCloseAction
{
    Resume,
    Reidentify,
    Fatal,
}

/// <summary>What to do after each close code (Discord docs: topics/opcodes-and-status-codes, gateway close event codes).</summary>
internal static class GatewayCloseCodes
{
    public const int ZombieOrReconnect = 4000;

    public static GatewayCloseAction Classify(int? code) => code switch
    {
        4003 or 4007 or 4009 => GatewayCloseAction.Reidentify,
        4004 or (>= 4010 and <= 4014) => GatewayCloseAction.Fatal,
        _ => GatewayCloseAction.Resume,
    };

    /// <summary>One sentence saying what went wrong and what to fix; never contains the token.</summary>
    public static string FatalSentence(int code, DiscordClientOptions options, int shardId = 0, int shardCount = 1) => code switch
    {
        4004 => $"Discord rejected the bot token (gateway close 4004): the token in {options.TokenSettingName} is wrong or was reset; copy the current token from the Developer Portal (Bot → Reset Token) into {options.TokenSettingName} and restart.",
        4010 => $"Discord rejected shard {shardId} of {shardCount} (gateway close 4010): set Discord__ShardCount to 0 (the count Discord recommends) or to the count every process of this bot uses, with each Discord__ShardIds below it.",
        4011 => $"Discord requires more shards for this bot (gateway close 4011): it is in too many servers for {shardCount} shard{(shardCount == 1 ? "" : "s")}; set Discord__ShardCount to 0 (the count Discord recommends) or higher, the same in every process.",
        4012 => "Discord rejected the gateway API version (close 4012): this client speaks v10; update it.",
        4013 => $"Discord rejected the intents bitmask {options.Intents} (gateway close 4013): set Intents to valid bits (GUILDS = 1 is enough for slash commands).",
        4014 => $"Discord refused a privileged intent (gateway close 4014): intents {options.Intents} include one not enabled for this bot; remove it or enable it in the Developer Portal under Bot → Privileged Gateway Intents.",
        _ => $"Discord closed the gateway with code {code}, which is not retryable.",
    };
}
