using System.Threading.RateLimiting;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using CoachBot.Options;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.DataProtection.KeyManagement;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Dashboard;

/// <summary>
/// The dashboard's web application: Razor Pages under <c>Dashboard/Pages</c>, signed-in by a one-time link into a
/// cookie for one server, with the security headers, CSRF checks and rate limit every page relies on. It shares the
/// host's store, pathways, settings, clock and logging; nothing else of the bot runs in it.
/// </summary>
internal static class DashboardApp
{
    public const string CookieScheme = "CoachBot.Dashboard";
    public const string SignInRateLimit = "sign-in";

    /// <summary>Sign-in attempts per address per minute: plenty for an organiser, too few to guess a 256-bit token (which nobody could anyway) or to fill the log.</summary>
    public const int SignInsPerMinute = 10;

    public static readonly TimeSpan SessionLifetime = TimeSpan.FromHours(12);

    public static WebApplication Build(DashboardOptions settings, IServiceProvider host)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions
        {
            // Razor Pages find their pages in the application's assembly: this one, also when a test process hosts it.
            ApplicationName = typeof(DashboardApp).Assembly.GetName().Name,
            ContentRootPath = AppContext.BaseDirectory,
            EnvironmentName = Environments.Production,
        });
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            // Forms here are a few fields; nothing bigger has a reason to arrive.
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
        });
        builder.WebHost.UseUrls([.. settings.ListenUrls]);

        var time = host.GetRequiredService<TimeProvider>();
        ShareHostLogging(builder, host.GetRequiredService<ILoggerFactory>());
        builder.Services.AddSingleton(time);
        builder.Services.AddSingleton(host.GetRequiredService<ICoachStore>());
        builder.Services.AddSingleton(host.GetRequiredService<IDashboardStore>());
        builder.Services.AddSingleton(host.GetRequiredService<PathwayCatalog>());
        builder.Services.AddSingleton(host.GetRequiredService<CoachSettings>());
        builder.Services.AddSingleton(host.GetRequiredService<CoachServices>());
        builder.Services.AddSingleton(host.GetRequiredService<IPictureRenderer>());
        builder.Services.AddSingleton(host.GetRequiredService<IOptions<PathwayOptions>>());
        builder.Services.AddSingleton(host.GetRequiredService<IOptions<DashboardOptions>>());

        builder.Services.AddRazorPages(pages =>
        {
            pages.RootDirectory = "/Dashboard/Pages";
            // Every page needs a session for one server; only signing in and the pages that say why you are not are open.
            pages.Conventions.AuthorizeFolder("/");
            pages.Conventions.AllowAnonymousToPage("/SignIn");
            pages.Conventions.AllowAnonymousToPage("/SignedOut");
            pages.Conventions.AllowAnonymousToPage("/Error");
        });
        builder.Services.AddAuthentication(CookieScheme).AddCookie(CookieScheme, cookie =>
        {
            cookie.Cookie.Name = "coachbot_dashboard";
            cookie.Cookie.HttpOnly = true;
            cookie.Cookie.SameSite = SameSiteMode.Lax;
            // Secure whenever the organiser's browser speaks https (behind a reverse proxy, from X-Forwarded-Proto).
            cookie.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            cookie.ExpireTimeSpan = SessionLifetime;
            cookie.SlidingExpiration = false;
            cookie.LoginPath = "/signed-out";
            cookie.AccessDeniedPath = "/signed-out";
            cookie.TimeProvider = time;
        });
        builder.Services.AddAuthorizationBuilder().SetDefaultPolicy(new AuthorizationPolicyBuilder(CookieScheme)
            .RequireAuthenticatedUser()
            .RequireClaim(OrganiserSession.PlatformClaim)
            .RequireClaim(OrganiserSession.GuildClaim)
            .RequireClaim(OrganiserSession.UserClaim)
            .Build());
        builder.Services.AddAntiforgery(antiforgery =>
        {
            antiforgery.Cookie.Name = "coachbot_csrf";
            antiforgery.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
        });
        builder.Services.AddDataProtection().SetApplicationName("CoachBot.Dashboard");
        builder.Services.AddSingleton<IConfigureOptions<KeyManagementOptions>>(services => new ConfigureOptions<KeyManagementOptions>(
            keys => keys.XmlRepository = new StoreXmlRepository(services.GetRequiredService<IDashboardStore>())));
        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.AddPolicy(SignInRateLimit, context => RateLimitPartition.GetFixedWindowLimiter(
                context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                _ => new FixedWindowRateLimiterOptions { PermitLimit = SignInsPerMinute, Window = TimeSpan.FromMinutes(1), QueueLimit = 0 }));
            limiter.OnRejected = async (rejected, cancellationToken) =>
            {
                rejected.HttpContext.Response.StatusCode = StatusCodes.Status429TooManyRequests;
                rejected.HttpContext.Response.ContentType = "text/plain; charset=utf-8";
                await rejected.HttpContext.Response.WriteAsync(
                    "Too many sign-in attempts from this address; wait a minute, then open your link again.", cancellationToken);
            };
        });
        builder.Services.Configure<ForwardedHeadersOptions>(forwarded =>
        {
            // Trusted from the reverse proxy on this machine only (the default known proxies are loopback): docs/operations.md.
            forwarded.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
        });

        var app = builder.Build();
        app.UseForwardedHeaders();
        app.Use(SecurityHeaders.ApplyAsync);
        app.UseExceptionHandler("/error");
        app.UseStatusCodePagesWithReExecute("/error", "?status={0}");
        app.UseRouting();
        app.UseRateLimiter();
        app.UseAuthentication();
        app.UseAuthorization();
        app.MapGet("/assets/{name}", DashboardAssets.Serve).AllowAnonymous();
        // Members' calendar feeds: the token in the address is the key (a calendar app cannot sign in).
        app.MapGet("/" + CalendarLinks.PathPrefix + "{file}", CalendarLinks.ServeAsync).AllowAnonymous();
        app.MapRazorPages();
        return app;
    }

    /// <summary>
    /// The host's log providers and levels, with ASP.NET's own request logging kept at warnings: at Information it
    /// writes every URL, and a sign-in URL carries its token.
    /// </summary>
    private static void ShareHostLogging(WebApplicationBuilder builder, ILoggerFactory hostLogging)
    {
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new SharedLoggerProvider(hostLogging));
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        // The dashboard's own start and stop are the host's business (DashboardServer says where it listens, or why it cannot).
        builder.Logging.AddFilter("Microsoft.Extensions.Hosting", LogLevel.None);
        builder.Logging.AddFilter("Microsoft.Hosting.Lifetime", LogLevel.None);
        // Keys live in CoachBot's database with the data they protect; the warning that they are not encrypted at rest says nothing new each start.
        builder.Logging.AddFilter("Microsoft.AspNetCore.DataProtection", LogLevel.Error);
    }

    /// <summary>Hands out the host's loggers; the host owns (and disposes) its providers.</summary>
    private sealed class SharedLoggerProvider(ILoggerFactory hostLogging) : ILoggerProvider
    {
        public ILogger CreateLogger(string categoryName) => hostLogging.CreateLogger(categoryName);

        public void Dispose()
        {
        }
    }
}
