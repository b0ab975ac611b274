using System.Collections.Concurrent;
using CoachBot.Options;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Platforms.Slack;

/// <summary>
/// Who may run the organiser commands in a Slack workspace: the user ids of <c>Slack:Organisers</c>, and the workspace's
/// admins and owners as <c>users.info</c> says. An answer is kept ten minutes, so a burst of commands asks Slack once per
/// member; a user Slack cannot describe (an error, a rate limit) is no organiser for that command, never the reverse.
/// </summary>
internal sealed partial class SlackOrganisers(
    SlackWebApiClient api,
    IOptions<SlackBotOptions> options,
    TimeProvider time,
    ILogger<SlackOrganisers> logger)
{
    private static readonly TimeSpan _keepFor = TimeSpan.FromMinutes(10);
    private readonly HashSet<string> _configured = new(options.Value.Organisers, StringComparer.Ordinal);
    private readonly ConcurrentDictionary<(string Team, string User), (bool IsOrganiser, DateTimeOffset Until)> _known = new();

    public async Task<bool> IsOrganiserAsync(string team, string user, CancellationToken cancellationToken)
    {
        if (_configured.Contains(user))
        {
            return true;
        }

        if (user.Length == 0)
        {
            // A payload without its user is refused where it is read; no need to ask Slack about nobody.
            return false;
        }

        var now = time.GetUtcNow();
        if (_known.TryGetValue((team, user), out var known) && known.Until > now)
        {
            return known.IsOrganiser;
        }

        try
        {
            var described = await api.GetUserAsync(user, cancellationToken);
            var isOrganiser = (described.IsAdmin || described.IsOwner) && !described.IsBot;
            _known[(team, user)] = (isOrganiser, now + _keepFor);
            return isOrganiser;
        }
        catch (SlackApiException failure) when (failure is not SlackAuthException)
        {
            Log.NotDescribed(logger, user, failure.Error);
            return false;
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 833, Level = LogLevel.Warning, Message = "Slack could not say whether user {UserId} runs the workspace ({Error}); treated as a member for this command")]
        public static partial void NotDescribed(ILogger logger, string userId, string error);
    }
}
