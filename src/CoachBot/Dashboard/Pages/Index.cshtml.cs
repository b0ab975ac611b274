using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;

namespace CoachBot.Dashboard.Pages;

/// <summary>The cohort: every member of this server, per pathway.</summary>
public sealed class CohortModel(ICoachStore store, CoachSettings settings, PathwayCatalog pathways, TimeProvider time) : DashboardPageModel(store, settings)
{
    public IReadOnlyList<CohortRow> Rows { get; private set; } = [];

    public async Task OnGetAsync(CancellationToken cancellationToken)
    {
        var cohort = await Store.GetCohortAsync(Session.Platform, Session.GuildId, cancellationToken);
        Rows = CohortView.Rows(cohort, pathways, Settings, time.GetUtcNow());
    }
}
