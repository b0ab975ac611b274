using System.Text;
using CoachBot.Core.Dashboard;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace CoachBot.Dashboard.Pages;

/// <summary>
/// The cohort: every member of this server, one table per pathway, sortable by any column, filtered to those behind or
/// blocked, and as CSV. Sort and filter live in the address (no script), so a view can be bookmarked or shared with
/// another organiser of the same server.
/// </summary>
public sealed class CohortModel(ICoachStore store, CoachSettings settings, PathwayCatalog pathways, TimeProvider time) : DashboardPageModel(store, settings)
{
    public static readonly IReadOnlyList<(CohortFilter Filter, string Label)> Filters =
        [(CohortFilter.All, "Everyone"), (CohortFilter.Behind, "Behind"), (CohortFilter.Blocked, "Blocked")];

    public static readonly IReadOnlyList<(CohortSort Sort, string Label)> Columns =
    [
        (CohortSort.Name, "Member"), (CohortSort.Week, "Phase and week"), (CohortSort.Progress, "Progress"),
        (CohortSort.Behind, "On track"), (CohortSort.Streak, "Streak"), (CohortSort.CheckIn, "Last check-in"),
    ];

    public IReadOnlyList<CohortTableRow> AllRows { get; private set; } = [];

    public IReadOnlyList<(string Title, IReadOnlyList<CohortTableRow> Rows)> Groups { get; private set; } = [];

    public CohortFilter Filter { get; private set; }

    public CohortSort Sort { get; private set; }

    public bool Descending { get; private set; }

    public string Summary
    {
        get
        {
            var shown = AllRows.Count(row => row.CanBeShown);
            return $"{AllRows.Count} {(AllRows.Count == 1 ? "member" : "members")}: {AllRows.Count(row => row.CanBeShown && !row.IsBehind)} on track, "
                + $"{Count(CohortFilter.Behind)} behind, {Count(CohortFilter.Blocked)} blocked"
                + (shown < AllRows.Count ? $", {AllRows.Count - shown} cannot be shown right now." : ".");
        }
    }

    public async Task OnGetAsync(string? filter, string? sort, string? dir, CancellationToken cancellationToken)
    {
        await LoadAsync(filter, sort, dir, cancellationToken);
        Groups = [.. CohortTable.Apply(AllRows, Filter, Sort, Descending)
            .GroupBy(row => row.PathwayTitle, StringComparer.Ordinal)
            .OrderBy(group => group.Key, StringComparer.OrdinalIgnoreCase)
            .Select(group => (group.Key, (IReadOnlyList<CohortTableRow>)[.. group]))];
    }

    /// <summary>The rows of the current filter and sort, as a spreadsheet opens them (a BOM, so Excel reads UTF-8 names right).</summary>
    public async Task<IActionResult> OnGetCsvAsync(string? filter, string? sort, string? dir, CancellationToken cancellationToken)
    {
        await LoadAsync(filter, sort, dir, cancellationToken);
        var csv = CohortCsv.Write(CohortTable.Apply(AllRows, Filter, Sort, Descending), Zone);
        var day = TimeZoneInfo.ConvertTime(time.GetUtcNow(), Zone).ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture);
        return File([.. Encoding.UTF8.GetPreamble(), .. Encoding.UTF8.GetBytes(csv)], CohortCsv.ContentType, $"cohort-{day}.csv");
    }

    public int Count(CohortFilter filter) => CohortTable.Apply(AllRows, filter, CohortSort.Name, descending: false).Count;

    /// <summary>This page's address with one thing changed; the rest of the view stays as it is.</summary>
    public string Link(CohortFilter? filter = null, CohortSort? sort = null, bool? descending = null, string? handler = null)
    {
        var parts = new List<string>();
        if (handler is not null)
        {
            parts.Add("handler=" + handler);
        }

        if ((filter ?? Filter) is var chosen && chosen != CohortFilter.All)
        {
            parts.Add("filter=" + chosen.ToString().ToLowerInvariant());
        }

        parts.Add("sort=" + (sort ?? Sort).ToString().ToLowerInvariant());
        parts.Add("dir=" + ((descending ?? Descending) ? "desc" : "asc"));
        return "/?" + string.Join('&', parts);
    }

    /// <summary>A second click on the sorted column turns the order round; a new column starts with the order that reads best (most behind first, say).</summary>
    public bool NextDescending(CohortSort sort) => sort == Sort ? !Descending : sort is CohortSort.Behind or CohortSort.CheckIn or CohortSort.Progress or CohortSort.Streak;

    public string? AriaSort(CohortSort sort) => sort == Sort ? (Descending ? "descending" : "ascending") : null;

    public static string CheckInClass(CheckInStatus? status) => status switch
    {
        CheckInStatus.OnTrack => "status-good",
        CheckInStatus.Behind => "status-warn",
        CheckInStatus.Blocked => "status-bad",
        _ => "muted",
    };

    private async Task LoadAsync(string? filter, string? sort, string? dir, CancellationToken cancellationToken)
    {
        Filter = CohortTable.Parse(filter, CohortFilter.All);
        Sort = CohortTable.Parse(sort, CohortSort.Name);
        Descending = string.Equals(dir, "desc", StringComparison.OrdinalIgnoreCase);
        var cohort = await Store.GetCohortAsync(Session.Platform, Session.GuildId, cancellationToken);
        AllRows = CohortTable.Build(CohortView.Rows(cohort, pathways, Settings, time.GetUtcNow()));
    }
}
