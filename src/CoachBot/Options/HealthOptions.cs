namespace CoachBot.Options;

/// <summary>
/// <c>Health:File</c>: the file the bot touches on each gateway heartbeat ACK and the <c>health</c> mode checks for age.
/// The default is <c>coachbot-healthy</c> in the system's temporary folder (<c>/tmp/coachbot-healthy</c> in the image);
/// the bot and the check must agree on it, so set it through configuration that both see (environment or appsettings).
/// Empty means the default.
/// </summary>
internal sealed class HealthOptions
{
    public const string SectionName = "Health";

    public static string DefaultFile { get; } = Path.Combine(Path.GetTempPath(), "coachbot-healthy");

    public string File { get; set; } = DefaultFile;
}
