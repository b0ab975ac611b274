using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Discord.Models;

/// <summary>Gateway opcodes (Discord docs: topics/opcodes-and-status-codes).</summary>
public enum GatewayOpcode
{
    Dispatch = 0,
    Heartbeat = 1,
    Identify = 2,
    PresenceUpdate = 3,
    Resume = 6,
    Reconnect = 7,
    InvalidSession = 9,
    Hello = 10,
    HeartbeatAck = 11,
}

/// <summary>A received gateway frame <c>{op, d, s, t}</c>; <c>d</c> is parsed later according to op / t.</summary>
public sealed record GatewayPayload
{
    public GatewayOpcode Op { get; init; }
    public JsonElement? D { get; init; }
    public int? S { get; init; }
    public string? T { get; init; }
}

public sealed record HelloData
{
    public int HeartbeatInterval { get; init; }
}

public sealed record ReadyData
{
    public int V { get; init; }
    public DiscordUser? User { get; init; }
    public string SessionId { get; init; } = "";
    public string ResumeGatewayUrl { get; init; } = "";
    public DiscordApplication? Application { get; init; }
    public IReadOnlyList<DiscordGuild>? Guilds { get; init; }
}

/// <summary>GET /gateway/bot.</summary>
public sealed record GatewayBotInfo
{
    public string Url { get; init; } = "";
    public int Shards { get; init; }
    public SessionStartLimit? SessionStartLimit { get; init; }
}

public sealed record SessionStartLimit
{
    public int Total { get; init; }
    public int Remaining { get; init; }

    /// <summary>Milliseconds until <see cref="Remaining"/> is reset.</summary>
    public long ResetAfter { get; init; }

    public int MaxConcurrency { get; init; }
}

/// <summary>IDENTIFY / RESUME / heartbeat frames the client sends. Classes, not records: they carry the token.</summary>
internal sealed class IdentifyFrame(IdentifyData d)
{
    public int Op { get; } = (int)GatewayOpcode.Identify;
    public IdentifyData D { get; } = d;
}

internal sealed class IdentifyData
{
    public required string Token { get; init; }
    public required int Intents { get; init; }
    public required IdentifyProperties Properties { get; init; }

    /// <summary><c>[shard_id, num_shards]</c>; <c>[0, 1]</c> for an unsharded bot.</summary>
    public required int[] Shard { get; init; }
}

internal sealed record IdentifyProperties(string Os, string Browser, string Device);

internal sealed class ResumeFrame(ResumeData d)
{
    public int Op { get; } = (int)GatewayOpcode.Resume;
    public ResumeData D { get; } = d;
}

internal sealed class ResumeData
{
    public required string Token { get; init; }
    public required string SessionId { get; init; }
    public required int? Seq { get; init; }
}

internal sealed class HeartbeatFrame(int? d)
{
    public int Op { get; } = (int)GatewayOpcode.Heartbeat;

    /// <summary>The last sequence number; written as null before any dispatch (never omitted).</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.Never)]
    public int? D { get; } = d;
}

/// <summary>REST error body <c>{code, message, errors?}</c>.</summary>
internal sealed record DiscordErrorBody
{
    public int? Code { get; init; }
    public string? Message { get; init; }
    public JsonElement? Errors { get; init; }
    public double? RetryAfter { get; init; }
    public bool? Global { get; init; }
}

internal sealed record CreateDmRequest(Snowflake RecipientId);
