using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CoachBot.Dashboard.Pages;

/// <summary>
/// What did not reach members, and why: the group channel's state, members whose DMs are closed, failed and skipped
/// messages (a failed one can be retried: the same key and nonce, so it is still delivered at most once) and items set
/// aside after a failure.
/// </summary>
public sealed class DeliveriesModel(ICoachStore store, IDashboardStore dashboardStore, CoachSettings settings, TimeProvider time)
    : DashboardPageModel(store, settings)
{
    private const int MessagesShown = 200;

    public ServerSettings? Server { get; private set; }

    public IReadOnlyList<MemberRow> DmsClosed { get; private set; } = [];

    public IReadOnlyList<ServerDelivery> Problems { get; private set; } = [];

    public IReadOnlyList<QuarantinedItem> Quarantined { get; private set; } = [];

    public string? Notice { get; private set; }

    public bool NoticeIsError { get; private set; }

    public async Task OnGetAsync(bool retried, CancellationToken cancellationToken)
    {
        Notice = retried ? "Queued: it is sent at the next sweep (within a minute or so), once." : null;
        await LoadAsync(cancellationToken);
    }

    public async Task<IActionResult> OnPostRetryAsync(long deliveryId, CancellationToken cancellationToken)
    {
        if (await dashboardStore.RetryFailedDeliveryAsync(Session.Platform, Session.GuildId, deliveryId, time.GetUtcNow(), cancellationToken))
        {
            return RedirectToPage(new { retried = true });
        }

        // Someone else retried it first, it was sent meanwhile, or the id is not a failed message of this server: all alike.
        Notice = "That message is not a failed message of this server any more (it may have been retried already); nothing was changed.";
        NoticeIsError = true;
        Response.StatusCode = StatusCodes.Status404NotFound;
        await LoadAsync(cancellationToken);
        return Page();
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Server = await GetServerSettingsAsync(cancellationToken);
        var cohort = await Store.GetCohortAsync(Session.Platform, Session.GuildId, cancellationToken);
        DmsClosed = [.. cohort.Select(entry => entry.Member).Where(member => member.DmClosedAt is not null).DistinctBy(member => member.Id)
            .OrderBy(member => member.DisplayName, StringComparer.OrdinalIgnoreCase)];
        Problems = await dashboardStore.GetServerDeliveriesAsync(
            Session.Platform, Session.GuildId, [DeliveryState.Failed, DeliveryState.Skipped], MessagesShown, cancellationToken);
        Quarantined = await dashboardStore.GetQuarantinedItemsAsync(Session.Platform, Session.GuildId, cancellationToken);
    }
}
