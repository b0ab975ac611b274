using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace CoachBot.Dashboard.Pages;

/// <summary>Where a request without a session is sent, and where signing out ends (a form post, so another site cannot sign you out).</summary>
public sealed class SignedOutModel : PageModel
{
    public bool JustSignedOut { get; private set; }

    public void OnGet(bool done = false) => JustSignedOut = done;

    public async Task<IActionResult> OnPostSignOutAsync()
    {
        await HttpContext.SignOutAsync(DashboardApp.CookieScheme);
        return Redirect("/signed-out?done=true");
    }
}
