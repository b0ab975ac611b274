using System.Text.Json;

namespace CoachBot.Discord.Models;

public enum ApplicationCommandType
{
    ChatInput = 1,
    User = 2,
    Message = 3,
}

[System.Diagnostics.CodeAnalysis.SuppressMessage("Naming", "CA1720:Identifier contains type name", Justification = "Names mirror Discord's documented option types.")]
public enum ApplicationCommandOptionType
{
    SubCommand = 1,
    SubCommandGroup = 2,
    String = 3,
    Integer = 4,
    Boolean = 5,
    User = 6,
    Channel = 7,
    Role = 8,
    Mentionable = 9,
    Number = 10,
    Attachment = 11,
}

public enum ApplicationIntegrationType
{
    GuildInstall = 0,
    UserInstall = 1,
}

/// <summary>A command as the bot defines it (body of the bulk overwrite).</summary>
public record ApplicationCommandDefinition
{
    /// <summary>1–32 chars, lower-case, <c>^[-_'\p{L}\p{N}]{1,32}$</c> for slash commands.</summary>
    public string Name { get; init; } = "";

    public ApplicationCommandType? Type { get; init; }

    /// <summary>1–100 chars; required for slash commands.</summary>
    public string? Description { get; init; }

    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }

    /// <summary>Permission bitset as a decimal string (e.g. "32" = Manage Server); "0" = administrators only.</summary>
    public string? DefaultMemberPermissions { get; init; }

    /// <summary>Where the command can be used (global commands only). The registrar defaults it to guild + bot DM.</summary>
    public IReadOnlyList<InteractionContextType>? Contexts { get; init; }

    public IReadOnlyList<ApplicationIntegrationType>? IntegrationTypes { get; init; }
    public bool? Nsfw { get; init; }
    public IReadOnlyDictionary<string, string>? NameLocalizations { get; init; }
    public IReadOnlyDictionary<string, string>? DescriptionLocalizations { get; init; }
}

/// <summary>A registered command as Discord returns it (definition + server-assigned fields).</summary>
public sealed record ApplicationCommand : ApplicationCommandDefinition
{
    public Snowflake Id { get; init; }
    public Snowflake ApplicationId { get; init; }
    public Snowflake? GuildId { get; init; }
    public Snowflake? Version { get; init; }
}

public sealed record ApplicationCommandOption
{
    public ApplicationCommandOptionType Type { get; init; }
    public string Name { get; init; } = "";
    public string Description { get; init; } = "";

    /// <summary>Required options must come before optional ones.</summary>
    public bool? Required { get; init; }

    /// <summary>≤ 25; not together with <see cref="Autocomplete"/>.</summary>
    public IReadOnlyList<ApplicationCommandOptionChoice>? Choices { get; init; }

    public IReadOnlyList<ApplicationCommandOption>? Options { get; init; }
    public bool? Autocomplete { get; init; }
    public IReadOnlyList<int>? ChannelTypes { get; init; }
    public double? MinValue { get; init; }
    public double? MaxValue { get; init; }
    public int? MinLength { get; init; }
    public int? MaxLength { get; init; }
    public IReadOnlyDictionary<string, string>? NameLocalizations { get; init; }
    public IReadOnlyDictionary<string, string>? DescriptionLocalizations { get; init; }
}

/// <summary>A choice of a command option or an autocomplete suggestion (name ≤ 100, string value ≤ 100).</summary>
public sealed record ApplicationCommandOptionChoice(string Name, JsonElement Value)
{
    public IReadOnlyDictionary<string, string>? NameLocalizations { get; init; }

    public static ApplicationCommandOptionChoice FromString(string name, string value) =>
        new(name, JsonSerializer.SerializeToElement(value, DiscordJsonContext.Default.String));

    public static ApplicationCommandOptionChoice FromInt64(string name, long value) =>
        new(name, JsonSerializer.SerializeToElement(value, DiscordJsonContext.Default.Int64));

    public static ApplicationCommandOptionChoice FromDouble(string name, double value) =>
        new(name, JsonSerializer.SerializeToElement(value, DiscordJsonContext.Default.Double));
}
