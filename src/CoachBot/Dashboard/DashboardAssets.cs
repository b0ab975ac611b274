using Microsoft.AspNetCore.Http;

namespace CoachBot.Dashboard;

/// <summary>
/// The dashboard's stylesheet and icon, embedded in the executable (Dashboard/Assets) so they are served whatever
/// folder CoachBot starts in, and nothing is loaded from the internet.
/// </summary>
internal static class DashboardAssets
{
    private static readonly Dictionary<string, string> ContentTypes = new(StringComparer.Ordinal)
    {
        ["dashboard.css"] = "text/css; charset=utf-8",
        ["favicon.svg"] = "image/svg+xml",
    };

    public static IResult Serve(string name)
    {
        if (!ContentTypes.TryGetValue(name, out var contentType)
            || typeof(DashboardAssets).Assembly.GetManifestResourceStream($"CoachBot.Dashboard.Assets.{name}") is not { } content)
        {
            return Results.NotFound();
        }

        return Results.Stream(content, contentType);
    }
}
