using System.Text.Json.Nodes;

namespace CoachBot.Slack.SocketMode;

/// <summary>
/// One thing Slack sent over Socket Mode: a slash command, an interaction (a button, a modal) or an Events API event,
/// with the id it must be acknowledged by. <see cref="AcceptsResponsePayload"/> says whether the ack may carry the
/// answer (slash commands and some interactions).
/// </summary>
public sealed record SocketModeEnvelope(string EnvelopeId, string Type, JsonObject Payload, bool AcceptsResponsePayload, int RetryAttempt);

/// <summary>Slack turned Socket Mode off for the app (<c>disconnect</c> with reason <c>link_disabled</c>): nothing reconnects.</summary>
public sealed class SocketModeDisabledException()
    : Exception("Slack turned Socket Mode off for this app (link_disabled): turn it on again under Socket Mode in the app's settings at api.slack.com/apps.");
