using Microsoft.AspNetCore.Http;

namespace CoachBot.Dashboard;

/// <summary>
/// The headers every dashboard response carries: a Content-Security-Policy that allows nothing but the dashboard's own
/// styles and images (no script at all, inline or not; no framing), no MIME sniffing, no referrer (a sign-in URL never
/// leaves in one), and no caching of pages that show members.
/// </summary>
internal static class SecurityHeaders
{
    public const string ContentSecurityPolicy =
        "default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

    public static Task ApplyAsync(HttpContext context, Func<Task> next)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(next);
        var headers = context.Response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers["Cross-Origin-Opener-Policy"] = "same-origin";
        if (!context.Request.Path.StartsWithSegments("/assets", StringComparison.Ordinal))
        {
            headers.CacheControl = "no-store";
        }

        return next();
    }
}
