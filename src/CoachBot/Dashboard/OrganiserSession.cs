using System.Security.Claims;

namespace CoachBot.Dashboard;

/// <summary>
/// Who is signed in and for which server: the claims of the dashboard's cookie. Every page reads the server from here,
/// never from the URL, so an id typed by hand can only ever name something of this server.
/// </summary>
public sealed record OrganiserSession(string Platform, string GuildId, string UserId)
{
    public const string PlatformClaim = "coachbot:platform";
    public const string GuildClaim = "coachbot:guild";
    public const string UserClaim = "coachbot:user";

    public IEnumerable<Claim> ToClaims() =>
    [
        new(PlatformClaim, Platform),
        new(GuildClaim, GuildId),
        new(UserClaim, UserId),
    ];

    /// <summary>The session of a signed-in request; null when a claim is missing (the authorisation policy turns those away first).</summary>
    public static OrganiserSession? From(ClaimsPrincipal user)
    {
        ArgumentNullException.ThrowIfNull(user);
        return user.FindFirst(PlatformClaim)?.Value is { } platform
            && user.FindFirst(GuildClaim)?.Value is { } guild
            && user.FindFirst(UserClaim)?.Value is { } userId
                ? new OrganiserSession(platform, guild, userId)
                : null;
    }
}
