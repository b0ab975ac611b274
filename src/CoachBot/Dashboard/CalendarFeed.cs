using CoachBot.Core.Calendar;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;

namespace CoachBot.Dashboard;

/// <summary>
/// Members' calendar feeds on the dashboard's web host: <c>/calendar/&lt;token&gt;.ics</c>, the member's plan as it is at
/// each request, so a calendar app that subscribed follows pauses and changes. The token (256 random bits) is the only
/// key: it is shown once by <c>/calendar</c>, only its SHA-256 is stored, and <c>/calendar reset</c> replaces it.
/// </summary>
internal sealed class CalendarLinks(ICoachStore store, IOptions<DashboardOptions> options, DashboardServer server) : ICalendarLinks
{
    public const string PathPrefix = "calendar/";

    public bool IsAvailable => options.Value.IsEnabled;

    public async Task<Uri?> CreateAsync(long memberId, DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (!options.Value.IsEnabled)
        {
            return null;
        }

        var token = DashboardLinks.NewToken();
        await store.SaveCalendarLinkAsync(memberId, DashboardLinks.Hash(token), now, cancellationToken);
        return new Uri(options.Value.PublicBase(server.BoundAddress), $"{PathPrefix}{token}.ics");
    }

    /// <summary>
    /// Answers a feed request: the calendar for a known token, else 404 with nothing said about why (an unknown, a
    /// revoked and a made-up token look alike).
    /// </summary>
    public static async Task<IResult> ServeAsync(string file, CoachServices services, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(services);
        const string Suffix = ".ics";
        var token = file.EndsWith(Suffix, StringComparison.Ordinal) ? file[..^Suffix.Length] : null;
        var member = DashboardLinks.LooksLikeToken(token)
            ? await services.Store.FindMemberByCalendarLinkAsync(DashboardLinks.Hash(token!), cancellationToken)
            : null;
        if (member is null)
        {
            return Results.NotFound();
        }

        var (ics, _, _, _) = await MemberCalendar.ForMemberAsync(services, member, services.Time.GetUtcNow(), cancellationToken);
        return Results.Text(ics, "text/calendar; charset=utf-8");
    }
}
