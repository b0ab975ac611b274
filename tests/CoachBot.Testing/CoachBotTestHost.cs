using CoachBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachBot.Testing;

/// <summary>
/// The bot's host as the options and scheduling tests build it: the example settings, a database in a test's folder and
/// the repository's pathways, then the test's own keys on top. No logging and nothing started: a test adds its services
/// and builds.
/// </summary>
internal static class CoachBotTestHost
{
    public static HostApplicationBuilder CreateBuilder(DirectoryInfo folder, params (string Key, string Value)[] overrides)
    {
        ArgumentNullException.ThrowIfNull(folder);
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddJsonFile(Path.Combine(RepositoryRoot.Path, "appsettings.example.json"));
        builder.Configuration.AddInMemoryCollection(
        [
            new("ConnectionStrings:CoachBot", $"Data Source={Path.Combine(folder.FullName, "coachbot.db")}"),
            new("Pathways:Directory", RepositoryRoot.PathwaysDirectory),
        ]);
        builder.Configuration.AddInMemoryCollection(overrides.Select(entry => new KeyValuePair<string, string?>(entry.Key, entry.Value)));
        builder.Services.AddCoachBotCore();
        return builder;
    }
}
