using System.Globalization;
using CoachBot.Core.Dashboard;
using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;

namespace CoachBot.Dashboard.Pages;

/// <summary>The cohort over the weeks: share on track, check-ins answered, and where members stall. Charts are SVG drawn here.</summary>
public sealed class TrendsModel(ICoachStore store, CoachSettings settings, PathwayCatalog pathways, TimeProvider time) : DashboardPageModel(store, settings)
{
    public IReadOnlyList<TrendWeek> Weeks { get; private set; } = [];

    public IReadOnlyList<StallPoint> StallTasks { get; private set; } = [];

    public IReadOnlyList<StallPoint> StallWeeks { get; private set; } = [];

    public string OnTrackChart { get; private set; } = "";

    public string CheckInChart { get; private set; } = "";

    /// <summary>The zone the weeks are cut in: the server's own (its digest's, set on Settings), else the bot's default.</summary>
    public TimeZoneInfo WeeksZone { get; private set; } = TimeZoneInfo.Utc;

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        var cohort = await Store.GetCohortAsync(Session.Platform, Session.GuildId, cancellationToken);
        var rows = CohortView.Rows(cohort, pathways, Settings, now);
        var server = await GetServerSettingsAsync(cancellationToken) ?? new ServerSettings(Session.Platform, Session.GuildId, null);
        WeeksZone = DigestSchedule.For(server, Settings.DefaultTimeZone, out _).Zone;
        Weeks = CohortTrends.Weeks(rows, WeeksZone, now);
        (StallTasks, StallWeeks) = CohortTrends.StallPoints(rows);
        OnTrackChart = SvgChart.Line(
            "on-track", "Share of members on track, per week", SvgChart.Green,
            [.. Weeks.Select(week => (week.Label, week.OnTrackShare))], 100, " %",
            string.Join("; ", Weeks.Select(week => week.OnTrackShare is { } share
                ? string.Create(CultureInfo.InvariantCulture, $"{week.Label}: {share:0} % of {week.Members}")
                : $"{week.Label}: nobody on their pathway")));
        CheckInChart = SvgChart.Bars(
            "check-ins", "Check-ins answered and members on their pathway, per week",
            [new ChartSeries("members", SvgChart.Grey), new ChartSeries("check-ins answered", SvgChart.Blue)],
            [.. Weeks.Select(week => new ChartGroup(week.Label, [week.Members, week.CheckInsAnswered]))],
            string.Join("; ", Weeks.Select(week => $"{week.Label}: {week.CheckInsAnswered} check-ins from {week.Members} members")));
    }
}
