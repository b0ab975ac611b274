using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Options;
using CoachBot.Pathways;
using Microsoft.Extensions.Options;

namespace CoachBot.Dashboard.Pages.Pathways;

/// <summary>
/// The loaded pathways, and the folder's files as they are now: a file being fixed shows its errors here as
/// <c>file:line:column: what to change</c>, so an author sees them without the bot's log.
/// </summary>
public sealed class PathwaysModel(ICoachStore store, CoachSettings settings, PathwayCatalog pathways, IOptions<PathwayOptions> options)
    : DashboardPageModel(store, settings)
{
    public IReadOnlyList<Pathway> Pathways => pathways.All;

    public string Directory => options.Value.Directory;

    public IReadOnlyList<string> Errors { get; private set; } = [];

    public void OnGet() => Errors = PathwayDirectory.Load(options.Value.Directory).Errors;
}
