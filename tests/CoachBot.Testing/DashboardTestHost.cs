using System.Net;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Dashboard;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Testing;

/// <summary>
/// The host as the console runs it, with the dashboard on a free loopback port: the repository's pathways, a database
/// in the test's folder, and the test's clock. Members are seeded through the real commands (<see cref="RunAsync"/>),
/// so the pages show what a group would have made; <see cref="SignInLinkAsync"/> is <c>/coach dashboard</c>.
/// </summary>
internal sealed class DashboardTestHost : IAsyncDisposable
{
    private readonly IHost _host;

    private DashboardTestHost(IHost host, Uri baseAddress)
    {
        _host = host;
        BaseAddress = baseAddress;
    }

    public Uri BaseAddress { get; }

    public IServiceProvider Services => _host.Services;

    public static Task<DashboardTestHost> StartAsync(DirectoryInfo folder, TimeProvider time, params (string Key, string Value)[] overrides) =>
        StartAsync(folder, time, configure: null, overrides);

    /// <param name="configure">More services (a test's log collector).</param>
    public static async Task<DashboardTestHost> StartAsync(
        DirectoryInfo folder, TimeProvider time, Action<IServiceCollection>? configure, params (string Key, string Value)[] overrides)
    {
        (string Key, string Value)[] settings = overrides.Any(entry => entry.Key == "Dashboard:Urls")
            ? overrides
            : [("Dashboard:Urls", "http://127.0.0.1:0"), .. overrides];
        var builder = CoachBotTestHost.CreateBuilder(folder, settings);
        builder.Services.AddSingleton(time);
        builder.Services.AddLogging();
        builder.Services.AddCoachBotDashboard();
        configure?.Invoke(builder.Services);
        var host = builder.Build();
        await host.PrepareCoachBotAsync(CancellationToken.None);
        await host.StartAsync(CancellationToken.None);
        var address = host.Services.GetRequiredService<DashboardServer>().BoundAddress
            ?? throw new InvalidOperationException("The dashboard did not start.");
        return new DashboardTestHost(host, address);
    }

    /// <summary>A command as a member of <paramref name="guildId"/> types it, e.g. <c>("enroll", ("pathway", "ai-safety"))</c>.</summary>
    public Task<Reply> RunAsync(string guildId, string userId, string displayName, string command, params (string Name, string Value)[] options) =>
        Services.GetRequiredService<CommandRouter>().HandleAsync(
            new CommandRequest(new MemberRef("discord", guildId, userId), displayName, IsOrganiser: true, command,
                options.ToDictionary(option => option.Name, option => option.Value)),
            CancellationToken.None);

    /// <summary>What <c>/coach dashboard</c> hands an organiser of <paramref name="guildId"/>: the one-time link.</summary>
    public async Task<Uri> SignInLinkAsync(string guildId, string userId = "organiser", string platform = "discord")
    {
        var now = Services.GetRequiredService<TimeProvider>().GetUtcNow();
        var link = await Services.GetRequiredService<IDashboardLinks>().CreateAsync(new MemberRef(platform, guildId, userId), now, CancellationToken.None)
            ?? throw new InvalidOperationException("The dashboard is off.");
        return link.Url;
    }

    /// <summary>A browser-like client: keeps cookies, does not follow redirects (tests look at them).</summary>
    public HttpClient CreateClient(CookieContainer? cookies = null) =>
        new(new HttpClientHandler { CookieContainer = cookies ?? new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = BaseAddress };

    public async ValueTask DisposeAsync()
    {
        await _host.StopAsync(CancellationToken.None);
        _host.Dispose();
    }
}
