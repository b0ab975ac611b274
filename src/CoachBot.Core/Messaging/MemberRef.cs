namespace CoachBot.Core.Messaging;

/// <summary>
/// Who a member is on which platform. <see cref="Scope"/> is where they are talking from (a Discord guild id,
/// "console", or their own DM scope, <see cref="DirectMessageScope"/>); member identity itself is
/// <see cref="Platform"/> + <see cref="UserId"/>, so a second platform never collides with the first.
/// </summary>
public sealed record MemberRef(string Platform, string Scope, string UserId)
{
    private const string DirectMessagePrefix = "dm:";

    /// <summary>Before migration 0004 every DM shared this one scope, so DM enrollees saw each other in <c>/group</c>.</summary>
    private const string SharedDirectMessageScope = "dm";

    /// <summary>Typed in a DM with the bot: a scope of the member's own, never shared with anyone else.</summary>
    public bool IsDirectMessage => IsDirectMessageScope(Scope);

    /// <summary>
    /// The scope of a member's DMs with the bot: one per member, so what they enrol in from a DM is their cohort alone.
    /// Server scopes are platform ids (digits) or "console", so they never start with "dm:".
    /// </summary>
    public static string DirectMessageScope(string userId) => DirectMessagePrefix + userId;

    public static bool IsDirectMessageScope(string scope) =>
        scope is not null && (scope.StartsWith(DirectMessagePrefix, StringComparison.Ordinal) || scope == SharedDirectMessageScope);

    public override string ToString() => $"{Platform}:{UserId}@{Scope}";
}
