using CoachBot.Core.Commands;
using CoachBot.Discord.Models;

namespace CoachBot.Platforms.Discord;

/// <summary>
/// <see cref="CommandCatalog.All"/> as Discord slash commands: lower-case names, descriptions of at most 100 characters,
/// required options first, choices and autocomplete as the catalog says. An organisers-only command whose <c>action</c>
/// option has fixed choices (<c>/coach</c>) becomes sub-commands, each taking the option named like it
/// (<c>/coach channel channel:#study-group</c>, <c>/coach stats</c>) and, optional, those that say they go with it
/// (<c>/coach chart on:false</c>); the router turns the sub-command back into <c>action</c>.
/// </summary>
internal static class CommandDefinitions
{
    /// <summary>The option a sub-command stands for (the router sets it from the sub-command's name).</summary>
    public const string ActionOption = "action";

    private const int MaxDescription = 100;

    /// <summary>Guild text channels only: where a digest can be posted (Discord docs: channel types, GUILD_TEXT = 0).</summary>
    private static readonly IReadOnlyList<int> _textChannels = [0];

    public static IReadOnlyList<ApplicationCommandDefinition> All { get; } = [.. CommandCatalog.All.Select(ToDiscord)];

    public static ApplicationCommandDefinition ToDiscord(CommandDefinition command)
    {
        ArgumentNullException.ThrowIfNull(command);
        return new ApplicationCommandDefinition
        {
            Name = command.Name.ToLowerInvariant(),
            Type = ApplicationCommandType.ChatInput,
            Description = Describe(command.Description),
            Options = UsesSubcommands(command) ? Subcommands(command) : Options(command.Options),
            DefaultMemberPermissions = command.OrganisersOnly
                ? DiscordPermissions.ToDefaultMemberPermissions(DiscordPermissions.ManageGuild)
                : null,
        };
    }

    /// <summary>True when the command's actions are sub-commands on Discord.</summary>
    public static bool UsesSubcommands(CommandDefinition command) =>
        command is { OrganisersOnly: true }
        && command.Options.FirstOrDefault(option => option.Name == ActionOption) is { Choices.Count: > 0 };

    private static List<ApplicationCommandOption> Subcommands(CommandDefinition command)
    {
        var actions = command.Options.First(option => option.Name == ActionOption).Choices!;
        return
        [
            .. actions.Select(action => new ApplicationCommandOption
            {
                Type = ApplicationCommandOptionType.SubCommand,
                Name = action.ToLowerInvariant(),
                Description = Describe($"{command.Description}: {action}"),
                Options = Options(
                [
                    .. command.Options.Where(option => option.Name == action).Select(option => option with { Required = true }),
                    .. command.Options.Where(option => option.OfAction == action),
                ]),
            }),
        ];
    }

    private static List<ApplicationCommandOption> Options(IEnumerable<OptionDefinition> options) =>
    [
        .. options
            .OrderBy(option => option.Required ? 0 : 1) // stable: Discord rejects a required option after an optional one
            .Select(option => new ApplicationCommandOption
            {
                Type = option.Kind switch
                {
                    OptionKind.Boolean => ApplicationCommandOptionType.Boolean,
                    OptionKind.User => ApplicationCommandOptionType.User,
                    OptionKind.Channel => ApplicationCommandOptionType.Channel,
                    _ => ApplicationCommandOptionType.String,
                },
                Name = option.Name.ToLowerInvariant(),
                Description = Describe(option.Description),
                Required = option.Required ? true : null,

                // Discord allows choices or autocomplete, not both; fixed choices win.
                Autocomplete = option.Autocomplete && option.Choices is not { Count: > 0 } ? true : null,
                Choices = option.Choices is { Count: > 0 } choices
                    ? [.. OrderChoices(choices).Select(choice => ApplicationCommandOptionChoice.FromString(choice, choice))]
                    : null,
                ChannelTypes = option.Kind == OptionKind.Channel ? _textChannels : null,
            }),
    ];

    /// <summary>Days read Monday to Sunday, as members count a week.</summary>
    private static IEnumerable<string> OrderChoices(IReadOnlyList<string> choices) =>
        choices.All(choice => Enum.TryParse<DayOfWeek>(choice, out _))
            ? choices.OrderBy(choice => ((int)Enum.Parse<DayOfWeek>(choice) + 6) % 7)
            : choices;

    private static string Describe(string description) =>
        description.Length <= MaxDescription ? description : string.Concat(description.AsSpan(0, MaxDescription - 1), "…");
}
