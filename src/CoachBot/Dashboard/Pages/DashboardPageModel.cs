using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoachBot.Dashboard.Pages;

/// <summary>
/// What every signed-in page shares: the session's server (never the URL's) and the zone its times are shown in.
/// </summary>
public abstract class DashboardPageModel(ICoachStore store, CoachSettings settings) : PageModel
{
    protected ICoachStore Store { get; } = store;

    /// <summary>The signed-in organiser and their server. The authorisation policy lets no page run without one.</summary>
    public OrganiserSession Session =>
        OrganiserSession.From(User) ?? throw new InvalidOperationException("A dashboard page ran without a session; its folder must require one.");

    /// <summary>The zone times are shown in: the bot's default for members without one of their own.</summary>
    public TimeZoneInfo Zone => Settings.DefaultTimeZone;

    protected CoachSettings Settings { get; } = settings;

    protected Task<ServerSettings?> GetServerSettingsAsync(CancellationToken cancellationToken) =>
        Store.GetServerSettingsAsync(Session.Platform, Session.GuildId, cancellationToken);
}
