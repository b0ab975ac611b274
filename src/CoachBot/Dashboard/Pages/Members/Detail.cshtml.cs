using CoachBot.Core.Dashboard;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace CoachBot.Dashboard.Pages.Members;

/// <summary>
/// One member's enrolment: their weeks against the plan, their check-ins and the messages sent to them. Found only
/// within the session's server: another server's enrolment id, a DM enrolment's or one that does not exist all answer
/// "not found", alike, so an id typed by hand tells nothing.
/// </summary>
public sealed class MemberModel(
    ICoachStore store, IDashboardStore dashboardStore, CoachSettings settings, PathwayCatalog pathways, TimeProvider time, IPictureRenderer pictures)
    : DashboardPageModel(store, settings)
{
    private const int MessagesShown = 100;

    public CohortTableRow Row { get; private set; } = null!;

    public IReadOnlyList<CheckInAnswer> CheckIns { get; private set; } = [];

    public IReadOnlyList<ServerDelivery> Messages { get; private set; } = [];

    /// <summary>The SVG of planned against done per week (drawn on the server), or null when there is nothing to draw.</summary>
    public string? WeeksChart { get; private set; }

    /// <summary>The member's progress card, as <c>/progress</c> shows it to them: the picture's alt text.</summary>
    public string? CardDescription { get; private set; }

    public async Task<IActionResult> OnGetAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(enrolmentId, cancellationToken);
        if (rows.Count == 0)
        {
            return NotFound();
        }

        if (rows[0].CanBeShown)
        {
            CardDescription = ProgressCard.From(rows[0].Snapshot!, rows[0].Member.DisplayName).Description;
        }

        Row = CohortTable.Build(rows)[0];
        CheckIns = [.. rows[0].CheckIns.OrderByDescending(answer => answer.Week)];
        Messages = await dashboardStore.GetEnrolmentDeliveriesAsync(Session.Platform, Session.GuildId, enrolmentId, MessagesShown, cancellationToken);
        WeeksChart = MemberWeeks.Chart(MemberWeeks.For(rows[0]), Row.DisplayName);
        return Page();
    }

    /// <summary>
    /// <c>/members/{id}?handler=card</c>: the member's progress card as a PNG, under the same rule as the page (this
    /// server's enrolments only; anything else is "not found").
    /// </summary>
    public async Task<IActionResult> OnGetCardAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        var rows = await RowsAsync(enrolmentId, cancellationToken);
        if (rows.Count == 0 || !rows[0].CanBeShown || pictures.RenderProgressCard(ProgressCard.From(rows[0].Snapshot!, rows[0].Member.DisplayName)) is not { } card)
        {
            return NotFound();
        }

        Response.Headers.CacheControl = "no-store";
        return File(card.Png.ToArray(), "image/png");
    }

    private async Task<IReadOnlyList<CohortRow>> RowsAsync(long enrolmentId, CancellationToken cancellationToken)
    {
        var cohort = await Store.GetCohortAsync(Session.Platform, Session.GuildId, cancellationToken);
        var entry = cohort.FirstOrDefault(candidate => candidate.Enrolment.Id == enrolmentId);
        return entry is null ? [] : CohortView.Rows([entry], pathways, Settings, time.GetUtcNow());
    }

    public static string StateText(DeliveryState state) => state switch
    {
        DeliveryState.Sent => "sent",
        DeliveryState.Failed => "failed",
        DeliveryState.Skipped => "skipped",
        _ => "being sent",
    };

    public static string StateClass(DeliveryState state) => state switch
    {
        DeliveryState.Sent => "status-good",
        DeliveryState.Failed => "status-bad",
        DeliveryState.Skipped => "status-warn",
        _ => "muted",
    };
}
