using System.Net;

namespace CoachBot.Discord.Rest;

/// <summary>
/// A REST call Discord refused. <see cref="Code"/> is Discord's JSON error code (e.g. 50007 cannot DM the user,
/// 10062 unknown interaction, 40060 already acknowledged); <see cref="Errors"/> the flattened "path: message" list.
/// The message names the route template only, never a token.
/// </summary>
public sealed class DiscordApiException : Exception
{
    public DiscordApiException(HttpStatusCode statusCode, int? code, string? discordMessage, IReadOnlyList<string> errors, string route, string? explanation = null)
        : base(BuildMessage(statusCode, code, discordMessage, errors, route, explanation))
    {
        StatusCode = statusCode;
        Code = code;
        DiscordMessage = discordMessage;
        Errors = errors;
        Route = route;
    }

    public DiscordApiException()
        : this(HttpStatusCode.InternalServerError, null, null, [], "")
    {
    }

    public DiscordApiException(string message)
        : base(message)
    {
        Errors = [];
        Route = "";
    }

    public DiscordApiException(string message, Exception innerException)
        : base(message, innerException)
    {
        Errors = [];
        Route = "";
    }

    public HttpStatusCode StatusCode { get; }

    /// <summary>Discord's JSON error code, or null when the body had none (e.g. an HTML error page).</summary>
    public int? Code { get; }

    public string? DiscordMessage { get; }

    public IReadOnlyList<string> Errors { get; }

    /// <summary>Method and route template, e.g. "POST /channels/{channel_id}/messages".</summary>
    public string Route { get; }

    /// <summary>True when the user cannot receive a DM from the bot (50007 or 50278): permanent, do not retry.</summary>
    public bool IsDmUndeliverable => Code is DiscordErrorCodes.CannotSendMessagesToUser or DiscordErrorCodes.NoMutualGuilds;

    private static string BuildMessage(HttpStatusCode statusCode, int? code, string? discordMessage, IReadOnlyList<string> errors, string route, string? explanation)
    {
        var text = $"Discord answered {(int)statusCode}{(code is { } c ? $" (code {c}: {discordMessage})" : "")} to {route}.";
        if (errors.Count > 0)
        {
            text += " " + string.Join("; ", errors);
        }

        return explanation is null ? text : $"{explanation} {text}";
    }
}

/// <summary>Discord JSON error codes a bot commonly handles (docs: topics/opcodes-and-status-codes).</summary>
public static class DiscordErrorCodes
{
    public const int UnknownChannel = 10003;
    public const int UnknownMessage = 10008;
    public const int UnknownWebhook = 10015;
    public const int UnknownInteraction = 10062;
    public const int Unauthorized = 40001;
    public const int OpeningDmsTooFast = 40003;
    public const int InteractionAlreadyAcknowledged = 40060;
    public const int MissingAccess = 50001;
    public const int CannotSendMessagesToUser = 50007;
    public const int MissingPermissions = 50013;
    public const int InvalidWebhookToken = 50027;
    public const int InvalidFormBody = 50035;
    public const int NoMutualGuilds = 50278;
}
