using CoachBot.Discord.Models;
using Microsoft.Extensions.Logging;

namespace CoachBot.Discord.Gateway;

public sealed partial class GatewayClient
{
    private static partial class Log
    {
        [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "Shard {ShardId}: connecting to the Discord gateway at {Url} (resume: {Resuming})")]
        public static partial void Connecting(ILogger logger, int shardId, Uri url, bool resuming);

        [LoggerMessage(EventId = 1201, Level = LogLevel.Warning, Message = "Could not connect to the Discord gateway ({ErrorType})")]
        public static partial void ConnectFailed(ILogger logger, string errorType);

        [LoggerMessage(EventId = 1202, Level = LogLevel.Information, Message = "Reconnecting to the Discord gateway in {DelayMs} ms (attempt {Attempt})")]
        public static partial void ReconnectingAfter(ILogger logger, double delayMs, int attempt);

        [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "Shard {ShardId} of {ShardCount}: identifying with intents {Intents}")]
        public static partial void Identifying(ILogger logger, int shardId, int shardCount, int intents);

        [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "Shard {ShardId}: resuming session {SessionId} at sequence {Sequence}")]
        public static partial void Resuming(ILogger logger, int shardId, string sessionId, int? sequence);

        [LoggerMessage(EventId = 1205, Level = LogLevel.Information, Message = "Shard {ShardId} ready: session {SessionId}, application {ApplicationId}")]
        public static partial void Ready(ILogger logger, int shardId, string sessionId, Snowflake? applicationId);

        [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "Shard {ShardId}: gateway session {SessionId} resumed at sequence {Sequence}")]
        public static partial void Resumed(ILogger logger, int shardId, string sessionId, int? sequence);

        [LoggerMessage(EventId = 1207, Level = LogLevel.Information, Message = "Shard {ShardId}: Discord asked for a reconnect (op 7)")]
        public static partial void ReconnectRequested(ILogger logger, int shardId);

        [LoggerMessage(EventId = 1208, Level = LogLevel.Warning, Message = "Shard {ShardId}: Discord invalidated the session (op 9, resumable: {Resumable})")]
        public static partial void InvalidSession(ILogger logger, int shardId, bool resumable);

        [LoggerMessage(EventId = 1209, Level = LogLevel.Information, Message = "Starting a new session in {DelayMs} ms")]
        public static partial void Reidentifying(ILogger logger, double delayMs);

        [LoggerMessage(EventId = 1210, Level = LogLevel.Warning, Message = "Shard {ShardId}: no heartbeat ACK within {IntervalMs} ms: the connection is a zombie; reconnecting to resume")]
        public static partial void Zombie(ILogger logger, int shardId, double intervalMs);

        [LoggerMessage(EventId = 1211, Level = LogLevel.Trace, Message = "Shard {ShardId}: heartbeat sent (sequence {Sequence})")]
        public static partial void HeartbeatSent(ILogger logger, int shardId, int? sequence);

        [LoggerMessage(EventId = 1212, Level = LogLevel.Debug, Message = "Shard {ShardId}: Discord requested a heartbeat (op 1)")]
        public static partial void HeartbeatRequested(ILogger logger, int shardId);

        [LoggerMessage(EventId = 1213, Level = LogLevel.Warning, Message = "Heartbeat failed ({ErrorType}); dropping the connection")]
        public static partial void HeartbeatFailed(ILogger logger, string errorType);

        [LoggerMessage(EventId = 1214, Level = LogLevel.Warning, Message = "Shard {ShardId}: gateway closed with code {CloseCode}: {Reason}")]
        public static partial void Closed(ILogger logger, int shardId, int? closeCode, string reason);

        [LoggerMessage(EventId = 1215, Level = LogLevel.Warning, Message = "Gateway connection lost ({ErrorType})")]
        public static partial void ConnectionLost(ILogger logger, string errorType);

        [LoggerMessage(EventId = 1216, Level = LogLevel.Critical, Message = "The Discord gateway stopped (close code {CloseCode}): {Reason}")]
        public static partial void FatalStop(ILogger logger, int? closeCode, string reason);

        [LoggerMessage(EventId = 1217, Level = LogLevel.Warning, Message = "Dropped a gateway frame: {Reason}")]
        public static partial void MalformedFrame(ILogger logger, string reason);

        [LoggerMessage(EventId = 1218, Level = LogLevel.Warning, Message = "Dropped an interaction: {Reason}")]
        public static partial void InteractionDropped(ILogger logger, string reason);

        [LoggerMessage(EventId = 1219, Level = LogLevel.Debug, Message = "Interaction {InteractionId} ({Type} {Name}{CustomId}) received")]
        public static partial void InteractionReceived(ILogger logger, Snowflake interactionId, InteractionType type, string? name, string? customId);

        [LoggerMessage(EventId = 1220, Level = LogLevel.Trace, Message = "Ignored dispatch {EventName}")]
        public static partial void DispatchIgnored(ILogger logger, string eventName);

        [LoggerMessage(EventId = 1221, Level = LogLevel.Debug, Message = "Ignored unknown opcode {Opcode}")]
        public static partial void UnknownOpcode(ILogger logger, int opcode);

        [LoggerMessage(EventId = 1222, Level = LogLevel.Warning, Message = "The {Capacity}-event dispatch queue is full: event handlers are too slow")]
        public static partial void DispatchQueueFull(ILogger logger, int capacity);

        [LoggerMessage(EventId = 1223, Level = LogLevel.Error, Message = "A {EventName} handler failed")]
        public static partial void HandlerFailed(ILogger logger, Exception exception, string eventName);

        [LoggerMessage(EventId = 1224, Level = LogLevel.Warning, Message = "Shard {ShardId}: Discord's daily session-start limit is used up: waiting {DelayMs} ms before identifying")]
        public static partial void SessionStartLimitReached(ILogger logger, int shardId, double delayMs);

        [LoggerMessage(EventId = 1225, Level = LogLevel.Warning, Message = "GET /gateway/bot failed with {Status} (code {Code})")]
        public static partial void GatewayBotFailed(ILogger logger, int status, int? code);

        [LoggerMessage(EventId = 1226, Level = LogLevel.Warning, Message = "No HELLO within {TimeoutMs} ms; dropping the connection")]
        public static partial void HelloTimeout(ILogger logger, double timeoutMs);

        [LoggerMessage(EventId = 1228, Level = LogLevel.Error, Message = "The gateway connection failed unexpectedly; reconnecting")]
        public static partial void ConnectionFailedUnexpectedly(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 1229, Level = LogLevel.Warning, Message = "Shard {ShardId}: resuming failed {Attempts} times in a row; starting a new session")]
        public static partial void ResumeAbandoned(ILogger logger, int shardId, int attempts);

        [LoggerMessage(EventId = 1227, Level = LogLevel.Information, Message = "Closing the Discord gateway (1000) for shutdown")]
        public static partial void ShuttingDown(ILogger logger);

        [LoggerMessage(EventId = 1230, Level = LogLevel.Information, Message = "Running gateway shards {ShardIds} of {ShardCount} (max_concurrency {MaxConcurrency})")]
        public static partial void ShardsPlanned(ILogger logger, string shardIds, int shardCount, int maxConcurrency);

        [LoggerMessage(EventId = 1231, Level = LogLevel.Warning, Message = "Only {Remaining} of Discord's daily session starts are left for {Needed} shards: waiting {DelayMs} ms for the reset before identifying")]
        public static partial void SessionStartsShort(ILogger logger, int remaining, int needed, double delayMs);
    }
}
