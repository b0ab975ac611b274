using System.Security.Claims;
using CoachBot.Core.Storage;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;
using Microsoft.AspNetCore.RateLimiting;

namespace CoachBot.Dashboard.Pages;

/// <summary>
/// Opening a one-time link: the token is used (once, atomically), a session for that link's server starts, and the
/// browser goes on to the cohort, leaving the token out of its address bar and history. Anything else answers with a
/// sentence and status 400 or 410.
/// </summary>
[EnableRateLimiting(DashboardApp.SignInRateLimit)]
public sealed class SignInModel(IDashboardStore store, TimeProvider time) : PageModel
{
    public string Problem { get; private set; } = "";

    public async Task<IActionResult> OnGetAsync(string? token, CancellationToken cancellationToken)
    {
        var redemption = DashboardLinks.LooksLikeToken(token)
            ? await store.RedeemSignInLinkAsync(DashboardLinks.Hash(token!), time.GetUtcNow(), cancellationToken)
            : new SignInRedemption(SignInOutcome.Unknown);
        if (redemption is { Outcome: SignInOutcome.SignedIn, Link: { } link })
        {
            // A session of another server (or another organiser) in this browser ends here: one session, one server.
            var session = new OrganiserSession(link.Platform, link.GuildId, link.UserId);
            var identity = new ClaimsIdentity(session.ToClaims(), DashboardApp.CookieScheme, ClaimTypes.Name, ClaimTypes.Role);
            // Not persistent: the cookie carries no Expires date, so it ends with the browser, and the 12 hours are
            // enforced by the server from the ticket's own expiry on CoachBot's clock. A browser-side Expires date
            // would be judged on the browser's clock, which may disagree with the server's.
            await HttpContext.SignInAsync(DashboardApp.CookieScheme, new ClaimsPrincipal(identity), new AuthenticationProperties { IsPersistent = false });
            return Redirect("/");
        }

        (Response.StatusCode, Problem) = redemption.Outcome switch
        {
            SignInOutcome.AlreadyUsed => (StatusCodes.Status410Gone, "This sign-in link was already used. Links work once."),
            SignInOutcome.Expired => (StatusCodes.Status410Gone, "This sign-in link has expired: links work for 10 minutes."),
            _ => (StatusCodes.Status400BadRequest, "This is not a CoachBot sign-in link, or it was copied only in part."),
        };
        return Page();
    }
}
