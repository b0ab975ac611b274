using CoachBot.Discord;
using CoachBot.Discord.Models;
using CoachBot.Platforms;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CoachBot.Options;

/// <summary><c>Discord:GuildIds</c>: register the commands in these servers only (instant updates while testing).</summary>
internal sealed class DiscordBotOptions
{
    public const string SectionName = "Discord";

    public IList<string> GuildIds { get; } = [];
}

/// <summary>Every <c>Discord:GuildIds</c> item that is not a server id, one sentence each.</summary>
/// <param name="configuration">
/// Read for one rule the bound list cannot show: a value on the list's own key (<c>Discord__GuildIds=1,2</c>), which the
/// binder skips without a word, so the bot would register its commands globally instead.
/// </param>
internal sealed class DiscordBotOptionsValidator(IConfiguration configuration) : IValidateOptions<DiscordBotOptions>
{
    private const string GuildIdsKey = DiscordBotOptions.SectionName + ":" + nameof(DiscordBotOptions.GuildIds);

    public ValidateOptionsResult Validate(string? name, DiscordBotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (configuration[GuildIdsKey] is { Length: > 0 } notAList)
        {
            failures.Add($"Discord:GuildIds is '{notAList}', but it is a list: set Discord__GuildIds__0 (then Discord__GuildIds__1, …) to one server id each, "
                + "and remove Discord__GuildIds.");
        }

        // The binder fills the list in key order (0, 1, 2, …), so an item's place is the number in its variable's name.
        for (var index = 0; index < options.GuildIds.Count; index++)
        {
            if (!Snowflake.TryParse(options.GuildIds[index], out _))
            {
                failures.Add($"Discord:GuildIds holds '{options.GuildIds[index]}', which is not a server id: set Discord__GuildIds__{index} to a server id "
                    + "(Discord Developer Mode → right-click the server → Copy Server ID) or remove it.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}

/// <summary>
/// The bot's own rule for the client's settings, beside the library's <see cref="DiscordClientOptionsValidator"/>: a
/// token is required, and the sentence for a missing one points a newcomer at the console too.
/// </summary>
internal sealed class DiscordTokenValidator : IValidateOptions<DiscordClientOptions>
{
    public ValidateOptionsResult Validate(string? name, DiscordClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Token) ? ValidateOptionsResult.Fail(BotMode.NoTokenSentence) : ValidateOptionsResult.Success;
    }
}
