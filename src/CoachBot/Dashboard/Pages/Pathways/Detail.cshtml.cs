using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using Microsoft.AspNetCore.Mvc;

namespace CoachBot.Dashboard.Pages.Pathways;

/// <summary>One loaded pathway as members read it: phases, weeks and tasks, resources, skills, the plan, the reality check and the questions.</summary>
public sealed class PathwayModel(ICoachStore store, CoachSettings settings, PathwayCatalog pathways) : DashboardPageModel(store, settings)
{
    public Pathway Pathway { get; private set; } = null!;

    public IActionResult OnGet(string id)
    {
        if (!pathways.TryGet(id, out var pathway))
        {
            return NotFound();
        }

        Pathway = pathway;
        return Page();
    }

    /// <summary>
    /// A resource's address as a link only when it is a web address: pathway files are authored text, and a
    /// <c>javascript:</c> or <c>data:</c> address must never become something to click.
    /// </summary>
    public static string? SafeLink(Uri? url) =>
        url is { IsAbsoluteUri: true } && (url.Scheme == Uri.UriSchemeHttps || url.Scheme == Uri.UriSchemeHttp) ? url.AbsoluteUri : null;

    public static string PriorityText(SkillPriority priority) => priority switch
    {
        SkillPriority.Critical => "critical",
        SkillPriority.Important => "important",
        _ => "nice to have",
    };
}
