namespace CoachBot.Options;

/// <summary><c>Discord:GuildIds</c>: register the commands in these servers only (instant updates while testing).</summary>
internal sealed class DiscordBotOptions
{
    public const string SectionName = "Discord";

    public IList<string> GuildIds { get; } = [];
}
