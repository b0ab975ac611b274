using System.Net;
using System.Text.RegularExpressions;

namespace CoachBot.Tests.Dashboard;

/// <summary>What the dashboard tests read out of a page, as a browser would find it.</summary>
internal static partial class DashboardHtml
{
    /// <summary>The CSRF token a page's forms carry (the form tag helper's hidden field).</summary>
    public static string AntiforgeryToken(string page) =>
        AntiforgeryField().Match(page) is { Success: true } match
            ? WebUtility.HtmlDecode(match.Groups["token"].Value)
            : throw new InvalidOperationException("The page has no form with a CSRF token.");

    [GeneratedRegex("name=\"__RequestVerificationToken\" type=\"hidden\" value=\"(?<token>[^\"]+)\"")]
    private static partial Regex AntiforgeryField();
}
