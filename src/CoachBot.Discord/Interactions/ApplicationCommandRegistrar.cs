using System.Text.Json.Nodes;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace CoachBot.Discord.Interactions;

/// <summary>
/// Registers application commands by bulk overwrite only when they changed: GETs the registered set, compares it
/// semantically with the definitions (ignoring id, version, application_id and Discord's defaults), and PUTs only on
/// a difference — each new name counts against Discord's 200 creates per day.
/// </summary>
public sealed class ApplicationCommandRegistrar(DiscordRestClient rest, ILogger<ApplicationCommandRegistrar> logger)
{
    /// <summary>Where global commands are usable unless a definition says otherwise: guilds and the bot's DMs.</summary>
    public static IReadOnlyList<InteractionContextType> DefaultGlobalContexts { get; } = [InteractionContextType.Guild, InteractionContextType.BotDm];

    /// <summary>Registers global commands; returns true when Discord's set was overwritten.</summary>
    public async Task<bool> SyncGlobalCommandsAsync(Snowflake applicationId, IReadOnlyList<ApplicationCommandDefinition> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);
        var desired = commands.Select(c => c.Contexts is null ? c with { Contexts = DefaultGlobalContexts } : c).ToList();
        var existing = await rest.GetGlobalCommandsAsync(applicationId, cancellationToken);
        if (AreEquivalent(existing, desired, global: true))
        {
            InteractionLog.CommandsUpToDate(logger, "global", desired.Count);
            return false;
        }

        InteractionLog.CommandsOverwritten(logger, "global", desired.Count);
        await rest.BulkOverwriteGlobalCommandsAsync(applicationId, desired, cancellationToken);
        return true;
    }

    /// <summary>Registers commands in one guild (they update at once; good for development). Returns true when overwritten.</summary>
    public async Task<bool> SyncGuildCommandsAsync(Snowflake applicationId, Snowflake guildId, IReadOnlyList<ApplicationCommandDefinition> commands, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(commands);

        // contexts only apply to global commands.
        var desired = commands.Select(c => c with { Contexts = null }).ToList();
        var existing = await rest.GetGuildCommandsAsync(applicationId, guildId, cancellationToken);
        var scope = "guild " + guildId;
        if (AreEquivalent(existing, desired, global: false))
        {
            InteractionLog.CommandsUpToDate(logger, scope, desired.Count);
            return false;
        }

        InteractionLog.CommandsOverwritten(logger, scope, desired.Count);
        await rest.BulkOverwriteGuildCommandsAsync(applicationId, guildId, desired, cancellationToken);
        return true;
    }

    /// <summary>True when both sets define the same commands once Discord's defaults and server fields are ignored.</summary>
    public static bool AreEquivalent(IEnumerable<ApplicationCommandDefinition> registered, IEnumerable<ApplicationCommandDefinition> desired, bool global) =>
        Canonical(registered, global) == Canonical(desired, global);

    private static string Canonical(IEnumerable<ApplicationCommandDefinition> commands, bool global) =>
        new JsonArray([.. commands
            .Select(c => Command(c, global))
            .OrderBy(c => c.ToJsonString(), StringComparer.Ordinal)]).ToJsonString();

    private static JsonObject Command(ApplicationCommandDefinition command, bool global)
    {
        var permissions = string.IsNullOrEmpty(command.DefaultMemberPermissions) ? null : command.DefaultMemberPermissions;
        return new JsonObject
        {
            ["name"] = command.Name,
            ["type"] = (int)(command.Type ?? ApplicationCommandType.ChatInput),
            ["description"] = command.Description ?? "",
            ["options"] = Options(command.Options),
            ["default_member_permissions"] = permissions,
            ["contexts"] = global ? IntList(command.Contexts?.Select(c => (int)c)) : null,
            ["integration_types"] = IntList(command.IntegrationTypes?.Select(t => (int)t) ?? [(int)ApplicationIntegrationType.GuildInstall]),
            ["nsfw"] = command.Nsfw ?? false,
            ["name_localizations"] = Localizations(command.NameLocalizations),
            ["description_localizations"] = Localizations(command.DescriptionLocalizations),
        };
    }

    private static JsonArray Options(IReadOnlyList<ApplicationCommandOption>? options) =>
        new([.. (options ?? []).Select(o => (JsonNode)new JsonObject
        {
            ["type"] = (int)o.Type,
            ["name"] = o.Name,
            ["description"] = o.Description,
            ["required"] = o.Required ?? false,
            ["autocomplete"] = o.Autocomplete ?? false,
            ["choices"] = new JsonArray([.. (o.Choices ?? []).Select(c => (JsonNode)new JsonObject
            {
                ["name"] = c.Name,
                ["value"] = c.Value.GetRawText(),
                ["name_localizations"] = Localizations(c.NameLocalizations),
            })]),
            ["options"] = Options(o.Options),
            ["channel_types"] = IntList(o.ChannelTypes),
            ["min_value"] = o.MinValue,
            ["max_value"] = o.MaxValue,
            ["min_length"] = o.MinLength,
            ["max_length"] = o.MaxLength,
            ["name_localizations"] = Localizations(o.NameLocalizations),
            ["description_localizations"] = Localizations(o.DescriptionLocalizations),
        })]);

    private static JsonArray? IntList(IEnumerable<int>? values) =>
        values is null ? null : new JsonArray([.. values.Order().Select(v => (JsonNode)v)]);

    private static JsonObject? Localizations(IReadOnlyDictionary<string, string>? values) =>
        values is null || values.Count == 0
            ? null
            : new JsonObject(values.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
}
