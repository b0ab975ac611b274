using CoachBot.Discord.Testing;
using CoachBot.TestSupport;

namespace CoachBot.Testing;

/// <summary>
/// What a bot needs to run against a <see cref="FakeDiscordServer"/>: its token and API address, a database, the
/// repository's pathways, UTC, and a health file in the caller's folder. The in-process host reads them as
/// configuration keys; a child process as environment variables (<see cref="AsEnvironment"/>).
/// </summary>
internal static class FakeDiscordBotSettings
{
    public static Dictionary<string, string?> For(FakeDiscordServer fake, string connectionString, string folder)
    {
        ArgumentNullException.ThrowIfNull(fake);
        return new(StringComparer.Ordinal)
        {
            ["Discord:Token"] = fake.Options.Token,
            ["Discord:ApiBaseUrl"] = fake.ApiBaseUrl.ToString(),
            ["ConnectionStrings:CoachBot"] = connectionString,
            ["Pathways:Directory"] = RepositoryRoot.PathwaysDirectory,
            ["Coach:DefaultTimeZone"] = "UTC",

            // Never the machine's default health file: a test run must not make a real bot look alive.
            ["Health:File"] = Path.Combine(folder, "healthy"),
        };
    }

    /// <summary>The same settings as environment variables ("Section:Key" becomes Section__Key), for a child process.</summary>
    public static Dictionary<string, string> AsEnvironment(IReadOnlyDictionary<string, string?> settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return settings.ToDictionary(setting => setting.Key.Replace(":", "__", StringComparison.Ordinal), setting => setting.Value ?? "", StringComparer.Ordinal);
    }
}
