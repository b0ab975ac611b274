namespace CoachBot.Core.Messaging;

/// <summary>
/// Who a member is on which platform. <see cref="Scope"/> is where they are talking from (a Discord guild id,
/// "console", or "dm"); member identity itself is <see cref="Platform"/> + <see cref="UserId"/>, so a second
/// platform never collides with the first.
/// </summary>
public sealed record MemberRef(string Platform, string Scope, string UserId)
{
    public override string ToString() => $"{Platform}:{UserId}@{Scope}";
}
