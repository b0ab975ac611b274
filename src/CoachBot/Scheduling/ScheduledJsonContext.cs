using System.Text.Json.Serialization;
using CoachBot.Core.Messaging;

namespace CoachBot.Scheduling;

/// <summary>
/// The outbox stores each message as JSON, so a retry sends exactly what was claimed, and the lines that show each member
/// in it (a JSON array of strings), so they can be redacted.
/// </summary>
[JsonSerializable(typeof(Reply))]
[JsonSerializable(typeof(string[]))]
internal sealed partial class ScheduledJsonContext : JsonSerializerContext;
