using System.Text.Json.Serialization;
using CoachBot.Core.Messaging;

namespace CoachBot.Scheduling;

/// <summary>The outbox stores each message as JSON, so a retry sends exactly what was claimed.</summary>
[JsonSerializable(typeof(Reply))]
internal sealed partial class ScheduledJsonContext : JsonSerializerContext;
