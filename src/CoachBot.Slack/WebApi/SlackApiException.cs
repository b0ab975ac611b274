namespace CoachBot.Slack.WebApi;

/// <summary>
/// A Web API call Slack answered with <c>ok: false</c>: <see cref="Error"/> is Slack's short code (e.g.
/// <c>channel_not_found</c>, <c>not_in_channel</c>). The message names the method and the code, never a token.
/// </summary>
public class SlackApiException(string method, string error, string? message = null)
    : Exception(message ?? $"Slack refused {method}: {error}.")
{
    public string Method { get; } = method;

    public string Error { get; } = error;
}

/// <summary>
/// Slack does not accept the token a call carried (<c>invalid_auth</c>, <c>not_authed</c>, <c>account_inactive</c>,
/// <c>token_revoked</c>, <c>token_expired</c>): nothing with that token will work until an operator replaces it.
/// </summary>
public sealed class SlackAuthException(string method, string error, SlackTokenKind token)
    : SlackApiException(method, error,
        $"Slack does not accept the {(token == SlackTokenKind.App ? "app-level token (Slack:AppToken, xapp-…)" : "bot token (Slack:BotToken, xoxb-…)")}: {error}. "
        + "Copy a current one from the app's settings at api.slack.com/apps, or reinstall the app to the workspace.")
{
    public SlackTokenKind Token { get; } = token;

    /// <summary>The error codes that mean the token itself is refused.</summary>
    public static bool IsAuthError(string error) => error is "invalid_auth" or "not_authed" or "account_inactive" or "token_revoked" or "token_expired";
}

/// <summary>Slack kept answering 429 after <see cref="SlackClientOptions.MaxRateLimitRetries"/> tries.</summary>
public sealed class SlackRateLimitedException(string method, TimeSpan retryAfter)
    : SlackApiException(method, "ratelimited", $"Slack kept rate-limiting {method}; it asked to wait {retryAfter.TotalSeconds:0} s more.")
{
    public TimeSpan RetryAfter { get; } = retryAfter;
}

public enum SlackTokenKind
{
    /// <summary>The bot token (<c>xoxb-…</c>).</summary>
    Bot,

    /// <summary>The app-level token (<c>xapp-…</c>).</summary>
    App,
}
