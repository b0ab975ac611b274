using System.Collections.Concurrent;
using CoachBot.Options;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Platforms.Slack;

/// <summary>
/// What CoachBot needs to know of a Slack member beyond a payload, from <c>users.info</c>: whether they may run the
/// organiser commands (the user ids of <c>Slack:Organisers</c>, and the workspace's admins and owners) and their
/// profile's time zone (used when they enrol without naming one). An answer is kept ten minutes, so a burst of commands
/// asks Slack once per member; a member Slack cannot describe (an error, a rate limit) is no organiser and has no
/// profile zone for that command, never the reverse.
/// </summary>
internal sealed partial class SlackProfiles(
    SlackWebApiClient api,
    IOptions<SlackBotOptions> options,
    TimeProvider time,
    ILogger<SlackProfiles> logger)
{
    private static readonly TimeSpan _keepFor = TimeSpan.FromMinutes(10);
    private readonly HashSet<string> _configured = new(options.Value.Organisers, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Team, string User), (SlackUser? Profile, DateTimeOffset Until)> _known = new();

    public async Task<bool> IsOrganiserAsync(string team, string user, CancellationToken cancellationToken) =>
        _configured.Contains(user)
        || (await ProfileAsync(team, user, cancellationToken) is { } profile && (profile.IsAdmin || profile.IsOwner) && !profile.IsBot);

    /// <summary>The IANA zone of the member's Slack profile (<c>tz</c>), or null.</summary>
    public async Task<string?> TimeZoneAsync(string team, string user, CancellationToken cancellationToken) =>
        (await ProfileAsync(team, user, cancellationToken))?.TimeZone;

    private async Task<SlackUser?> ProfileAsync(string team, string user, CancellationToken cancellationToken)
    {
        if (user.Length == 0)
        {
            // A payload without its user is refused where it is read; no need to ask Slack about nobody.
            return null;
        }

        var now = time.GetUtcNow();
        if (_known.TryGetValue((team, user), out var known) && known.Until > now)
        {
            return known.Profile;
        }

        try
        {
            var profile = await api.GetUserAsync(user, cancellationToken);
            _known[(team, user)] = (profile, now + _keepFor);
            return profile;
        }
        catch (SlackApiException failure) when (failure is not SlackAuthException)
        {
            Log.NotDescribed(logger, user, failure.Error);
            return null;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 833, Level = LogLevel.Warning, Message = "Slack could not describe user {UserId} ({Error}); for this command they are a member without a profile zone")]
        public static partial void NotDescribed(ILogger logger, string userId, string error);
    }
}
