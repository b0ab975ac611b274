using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.BrowserTests.Infrastructure;

/// <summary>
/// A few server-rendered pages on 127.0.0.1 with a free port, shaped like the dashboard's (a form posted back, a CSV
/// served as an attachment, the same strict Content-Security-Policy), so the browser infrastructure is proven on its
/// own: if one of its tests fails, the fault is in the infrastructure, not in a page.
/// </summary>
public sealed class StandInSite : IAsyncDisposable
{
    public const string CsvFileName = "cohort.csv";
    public const string CsvContent = "member,status\r\nAda,on track\r\nGrace,behind by 2 tasks\r\n";

    private readonly WebApplication _app;

    private StandInSite(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    /// <summary>e.g. http://127.0.0.1:5123/</summary>
    public Uri Address { get; }

    public static async Task<StandInSite> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            // The dashboard's headers: the tests must work under them (axe-core is injected past the CSP by the driver).
            context.Response.Headers.ContentSecurityPolicy = "default-src 'self'; frame-ancestors 'none'";
            context.Response.Headers.XContentTypeOptions = "nosniff";
            await next(context);
        });
        app.MapGet("/", () => Html("Check in", """
            <h1>Check in</h1>
            <form method="post" action="/check-in">
              <label for="name">Your name</label>
              <input id="name" name="name" type="text" autocomplete="name" required>
              <button type="submit">Send</button>
            </form>
            <p><a href="/export.csv">Download the cohort as CSV</a></p>
            """));
        app.MapPost("/check-in", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            var name = WebUtility.HtmlEncode(form["name"].ToString());
            return Html("Checked in", $"<h1>Checked in</h1><p role=\"status\">Thanks, {name}: your check-in is saved.</p><p><a href=\"/\">Back</a></p>");
        });
        app.MapGet("/export.csv", (HttpResponse response) =>
        {
            response.Headers.ContentDisposition = $"attachment; filename=\"{CsvFileName}\"";
            return Results.Text(CsvContent, "text/csv; charset=utf-8");
        });
        // A page axe-core must reject: an image without a text alternative and a field without a label.
        app.MapGet("/inaccessible", () => Html("Broken", """
            <h1>Broken</h1>
            <img src="/export.csv" width="10" height="10">
            <input type="text" name="unlabelled">
            """));

        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new StandInSite(app, new Uri($"http://127.0.0.1:{new Uri(address).Port}/"));
    }

    private static IResult Html(string title, string main) => Results.Content(
        $"""
        <!DOCTYPE html>
        <html lang="en">
        <head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1"><title>{title}</title></head>
        <body><main>{main}</main></body>
        </html>
        """,
        "text/html; charset=utf-8");

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
