namespace CoachBot.Discord.Rest;

/// <summary>
/// One REST call: method, the route template (what the rate-limit bucket and logs use), the concrete path,
/// and the major parameter that splits buckets (channel_id, guild_id or webhook id + token).
/// </summary>
internal sealed record RestRoute(HttpMethod Method, string Template, string Path, string MajorParameter, bool IsInteraction = false)
{
    /// <summary>The bucket key before Discord told us the bucket hash.</summary>
    public string RouteKey => $"{Method.Method} {Template}";

    /// <summary>
    /// True when the call authenticates with the bot token (<c>Authorization: Bot …</c>), so a 401 means Discord rejected
    /// the token. Interaction callbacks and webhooks are authenticated by the interaction token in their path instead
    /// (Discord docs: interactions/receiving-and-responding): a 401 there (50027 once the token is older than
    /// 15 minutes) is that one reply's failure, and the bot token is not sent with them.
    /// </summary>
    public bool UsesBotToken => !IsInteraction;

    /// <summary>What logs and exceptions show: the template, never a token.</summary>
    public override string ToString() => RouteKey;

    public static RestRoute GatewayBot() => new(HttpMethod.Get, "/gateway/bot", "gateway/bot", "");

    public static RestRoute CurrentApplication() => new(HttpMethod.Get, "/applications/@me", "applications/@me", "");

    public static RestRoute GlobalCommands(HttpMethod method, string applicationId) =>
        new(method, "/applications/{application_id}/commands", $"applications/{applicationId}/commands", "");

    public static RestRoute GuildCommands(HttpMethod method, string applicationId, string guildId) =>
        new(method, "/applications/{application_id}/guilds/{guild_id}/commands", $"applications/{applicationId}/guilds/{guildId}/commands", guildId);

    public static RestRoute InteractionCallback(string interactionId, string token) =>
        new(HttpMethod.Post, "/interactions/{interaction_id}/{interaction_token}/callback", $"interactions/{interactionId}/{Uri.EscapeDataString(token)}/callback", interactionId + "/" + token, IsInteraction: true);

    public static RestRoute OriginalResponse(HttpMethod method, string applicationId, string token) =>
        new(method, "/webhooks/{application_id}/{interaction_token}/messages/@original", $"webhooks/{applicationId}/{Uri.EscapeDataString(token)}/messages/@original", applicationId + "/" + token, IsInteraction: true);

    public static RestRoute Followup(string applicationId, string token) =>
        new(HttpMethod.Post, "/webhooks/{application_id}/{interaction_token}", $"webhooks/{applicationId}/{Uri.EscapeDataString(token)}", applicationId + "/" + token, IsInteraction: true);

    public static RestRoute CreateDm() => new(HttpMethod.Post, "/users/@me/channels", "users/@me/channels", "");

    public static RestRoute CreateMessage(string channelId) =>
        new(HttpMethod.Post, "/channels/{channel_id}/messages", $"channels/{channelId}/messages", channelId);
}
