using CoachBot.Discord.Models;

namespace CoachBot.Discord.Gateway;

/// <summary>READY: a new session on shard <see cref="ShardId"/>. <see cref="ApplicationId"/> is what command registration and follow-ups need.</summary>
public sealed record GatewayReady(string SessionId, Snowflake ApplicationId, DiscordUser? BotUser, IReadOnlyList<Snowflake> GuildIds, int ShardId = 0);

/// <summary>RESUMED: the old session continues; missed events were replayed before it.</summary>
public sealed record GatewayResumed(string SessionId, int? LastSequence, int ShardId = 0);

/// <summary>
/// An interaction and when it was received, as a <see cref="TimeProvider.GetTimestamp"/> value (monotonic):
/// the 3-second response budget is measured from here.
/// </summary>
public sealed record InteractionCreated(Interaction Interaction, long ReceivedTimestamp, int ShardId = 0);

/// <summary>Discord acknowledged a heartbeat (the connection is alive). Latency is from the send to the ACK.</summary>
public sealed record HeartbeatAcknowledged(TimeSpan? Latency, DateTimeOffset At, int ShardId = 0);

/// <summary>The gateway stopped for good; <see cref="Message"/> is one sentence saying what to fix.</summary>
public sealed record GatewayFatalError(int? CloseCode, string Message, int? ShardId = null);

/// <summary>Thrown by <see cref="GatewayClient.RunAsync"/> when Discord refuses the bot for good (bad token, disallowed intents…).</summary>
public sealed class GatewayFatalException : Exception
{
    public GatewayFatalException(GatewayFatalError error)
        : base(error?.Message)
    {
        Error = error ?? new GatewayFatalError(null, "");
    }

    public GatewayFatalException()
        : this(new GatewayFatalError(null, "The gateway stopped."))
    {
    }

    public GatewayFatalException(string message)
        : this(new GatewayFatalError(null, message))
    {
    }

    public GatewayFatalException(string message, Exception innerException)
        : base(message, innerException)
    {
        Error = new GatewayFatalError(null, message);
    }

    public GatewayFatalError Error { get; }

    public int? CloseCode => Error.CloseCode;
}
