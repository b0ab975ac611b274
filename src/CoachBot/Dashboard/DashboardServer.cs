using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Dashboard;

/// <summary>
/// Runs the organisers' web dashboard beside the bot (or the console) when <c>Dashboard:Urls</c> is set: its own small
/// web application on the same store, pathways and clock. An address it cannot listen on stops the start with a
/// sentence, rather than a bot that runs without the dashboard its organisers were told about.
/// </summary>
internal sealed partial class DashboardServer(IServiceProvider services, IOptions<DashboardOptions> options, ILogger<DashboardServer> logger)
    : IHostedService, IAsyncDisposable
{
    private WebApplication? _app;

    /// <summary>Where the dashboard listens once started (the first address; with port 0, the port it was given).</summary>
    public Uri? BoundAddress { get; private set; }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsEnabled)
        {
            return;
        }

        _app = DashboardApp.Build(settings, services);
        try
        {
            await _app.StartAsync(cancellationToken);
        }
        catch (IOException failure)
        {
            throw new StartupException(
                $"The dashboard cannot listen on '{settings.Urls}' ({failure.Message}); free that port or set Dashboard__Urls to another address, such as 'http://127.0.0.1:8081'.",
                failure);
        }

        var addresses = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        BoundAddress = addresses.Select(address => new Uri(address.Replace("://[::]", "://localhost", StringComparison.Ordinal) + "/")).FirstOrDefault();
        var listening = string.Join(", ", addresses);
        var publicBase = settings.PublicBase(BoundAddress);
        LogListening(logger, listening, publicBase);
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        if (_app is not null)
        {
            await _app.StopAsync(cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_app is not null)
        {
            await _app.DisposeAsync();
            _app = null;
        }
    }

    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "Dashboard listening on {Addresses}; organisers open {PublicUrl}")]
    private static partial void LogListening(ILogger logger, string addresses, Uri publicUrl);
}
