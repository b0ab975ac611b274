using System.Net;
using Microsoft.Extensions.Options;

namespace CoachBot.Dashboard;

/// <summary>
/// <c>Dashboard:Urls</c> (where the organisers' web dashboard listens; unset: no dashboard) and <c>Dashboard:PublicUrl</c>
/// (the address organisers open, e.g. <c>https://coach.example.org</c> behind a reverse proxy; unset: the first of
/// <c>Urls</c>). Sign-in links are made from the public address.
/// </summary>
internal sealed class DashboardOptions
{
    public const string SectionName = "Dashboard";

    /// <summary>One or more plain-HTTP addresses separated by ';', as ASP.NET Core's <c>--urls</c>: <c>http://127.0.0.1:8080</c>.</summary>
    public string? Urls { get; set; }

    public string? PublicUrl { get; set; }

    public bool IsEnabled => !string.IsNullOrWhiteSpace(Urls);

    public IReadOnlyList<string> ListenUrls =>
        Urls is null ? [] : Urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

    /// <summary>
    /// The address links point at: <see cref="PublicUrl"/>, else the first listen address, else (that address asked
    /// for a free port, <c>:0</c>) the address the server was given, <paramref name="boundAddress"/>.
    /// </summary>
    public Uri PublicBase(Uri? boundAddress)
    {
        if (!string.IsNullOrWhiteSpace(PublicUrl))
        {
            return new Uri(PublicUrl.TrimEnd('/') + "/");
        }

        var first = new Uri(ListenUrls[0]);
        return first.Port == 0 && boundAddress is not null ? boundAddress : new Uri(first.GetLeftPart(UriPartial.Authority) + "/");
    }

    /// <summary>Hosts that mean "every address": a link to them opens nothing, so they need a <see cref="PublicUrl"/>.</summary>
    internal static bool IsWildcardHost(string host) =>
        host is "*" or "+" or "0.0.0.0" or "[::]" or "::" || (IPAddress.TryParse(host.Trim('[', ']'), out var address) && (address.Equals(IPAddress.Any) || address.Equals(IPAddress.IPv6Any)));
}

internal sealed class DashboardOptionsValidator : IValidateOptions<DashboardOptions>
{
    public ValidateOptionsResult Validate(string? name, DashboardOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        var wildcard = false;
        foreach (var url in options.ListenUrls)
        {
            // ASP.NET accepts http://*:8080 and http://+:8080, which Uri does not parse; the host part is checked alone.
            var host = HostOf(url);
            if (host is null || !Uri.TryCreate(url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var parsed)
                || parsed.Scheme is not ("http" or "https") || parsed.AbsolutePath != "/")
            {
                failures.Add($"Dashboard:Urls '{Core.Texts.Text.Truncate(url, 80)}' is not an address to listen on; set Dashboard__Urls to one such as 'http://127.0.0.1:8080' (several separated by ';').");
                continue;
            }

            if (parsed.Scheme == "https")
            {
                // Certificates are the reverse proxy's job (docs/operations.md); the dashboard itself speaks plain HTTP on a private address.
                failures.Add($"Dashboard:Urls '{Core.Texts.Text.Truncate(url, 80)}' asks for https, which the dashboard leaves to a reverse proxy; listen on http (such as 'http://127.0.0.1:8080') and put the proxy's https address in Dashboard__PublicUrl (docs/operations.md).");
                continue;
            }

            wildcard |= DashboardOptions.IsWildcardHost(host);
        }

        if (!string.IsNullOrWhiteSpace(options.PublicUrl))
        {
            var shown = Core.Texts.Text.Truncate(options.PublicUrl, 80);
            if (!Uri.TryCreate(options.PublicUrl, UriKind.Absolute, out var publicUrl) || publicUrl.Scheme is not ("http" or "https")
                || !string.IsNullOrEmpty(publicUrl.Query) || !string.IsNullOrEmpty(publicUrl.Fragment))
            {
                failures.Add($"Dashboard:PublicUrl '{shown}' is not a web address; set Dashboard__PublicUrl to the address organisers open, such as 'https://coach.example.org'.");
            }
            else if (publicUrl.AbsolutePath != "/")
            {
                // The pages link to each other from the site's root, so the proxy must give the dashboard a host of its own.
                failures.Add($"Dashboard:PublicUrl '{shown}' has a path; the dashboard needs a host name of its own at the root, such as 'https://coach.example.org' (docs/operations.md).");
            }
        }
        else if (wildcard)
        {
            failures.Add("Dashboard:Urls listens on every address, so sign-in links need the address organisers open; set Dashboard__PublicUrl, such as 'https://coach.example.org'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static string? HostOf(string url)
    {
        var start = url.IndexOf("://", StringComparison.Ordinal);
        if (start < 0)
        {
            return null;
        }

        var rest = url[(start + 3)..];
        var end = rest.StartsWith('[') ? rest.IndexOf(']', StringComparison.Ordinal) + 1 : rest.IndexOfAny([':', '/']);
        return end <= 0 ? rest : rest[..end];
    }
}
