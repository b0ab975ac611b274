using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoachBot.Dashboard.Pages;

/// <summary>Every error as a sentence, never a stack trace: a page that is not there, a form sent twice, or a failure of ours (logged).</summary>
[IgnoreAntiforgeryToken]
public sealed class ErrorModel : PageModel
{
    public string Heading { get; private set; } = "Something went wrong";

    public string Sentence { get; private set; } = "";

    public void OnGet(int? status) => Describe(status);

    public void OnPost(int? status) => Describe(status);

    private void Describe(int? status)
    {
        (Heading, Sentence) = status switch
        {
            404 => ("Not found", "There is nothing at this address in this server's dashboard. It may belong to another server, or have been removed."),
            400 => ("This form has expired", "The page was open too long or came from elsewhere. Go back, reload the page and try again."),
            405 => ("Not found", "There is nothing to do at this address."),
            _ => ("Something went wrong", "The dashboard could not show this page. Nothing was changed. Try again in a moment; if it keeps happening, the bot's log says why."),
        };
    }
}
