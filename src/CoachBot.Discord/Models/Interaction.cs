using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Discord.Models;

public enum InteractionType
{
    Ping = 1,
    ApplicationCommand = 2,
    MessageComponent = 3,
    ApplicationCommandAutocomplete = 4,
    ModalSubmit = 5,
}

public enum InteractionContextType
{
    Guild = 0,
    BotDm = 1,
    PrivateChannel = 2,
}

/// <summary>An interaction (INTERACTION_CREATE <c>d</c>). Parse with <see cref="DiscordPayloadParser.ParseInteraction"/>.</summary>
public sealed record Interaction
{
    public Snowflake Id { get; init; }
    public Snowflake ApplicationId { get; init; }
    public InteractionType Type { get; init; }
    public InteractionData? Data { get; init; }
    public Snowflake? GuildId { get; init; }
    public Snowflake? ChannelId { get; init; }

    /// <summary>Set for invocations in a guild; the user is <c>Member.User</c>.</summary>
    public GuildMember? Member { get; init; }

    /// <summary>Set for invocations in a DM.</summary>
    public DiscordUser? User { get; init; }

    /// <summary>The interaction token (a secret valid 15 minutes); never printed by <see cref="ToString"/>.</summary>
    public string Token { get; init; } = "";

    public int Version { get; init; }

    /// <summary>For components: the message the component is on.</summary>
    public DiscordMessage? Message { get; init; }

    public string? AppPermissions { get; init; }
    public string? Locale { get; init; }
    public string? GuildLocale { get; init; }
    public InteractionContextType? Context { get; init; }

    /// <summary>Who invoked the interaction, in a guild or in a DM.</summary>
    [JsonIgnore]
    public DiscordUser? Invoker => Member?.User ?? User;

    public override string ToString() =>
        $"Interaction {{ Id = {Id}, Type = {Type}, Name = {Data?.Name ?? Data?.CustomId}, GuildId = {GuildId} }}";
}

/// <summary>The <c>data</c> of an interaction: command (2/4), component (3) or modal submit (5) fields.</summary>
public sealed record InteractionData
{
    /// <summary>The command id (types 2/4); for components Discord sends the component's numeric id here.</summary>
    [JsonConverter(typeof(LenientSnowflakeJsonConverter))]
    public Snowflake? Id { get; init; }
    public string? Name { get; init; }
    public ApplicationCommandType? Type { get; init; }
    public IReadOnlyList<InteractionDataOption>? Options { get; init; }
    public Snowflake? GuildId { get; init; }
    public Snowflake? TargetId { get; init; }
    public JsonElement? Resolved { get; init; }
    public string? CustomId { get; init; }
    public ComponentType? ComponentType { get; init; }
    public IReadOnlyList<string>? Values { get; init; }

    /// <summary>Modal submit: the submitted components (action rows or labels wrapping text inputs).</summary>
    public IReadOnlyList<MessageComponent>? Components { get; init; }

    /// <summary>The sub-command path and the leaf options: <c>/coach pathway add</c> → ["pathway","add"].</summary>
    public (IReadOnlyList<string> Path, IReadOnlyList<InteractionDataOption> Options) FlattenSubcommands()
    {
        var path = new List<string>();
        var options = WellFormed(Options);
        while (options.Count == 1 && options[0].Type is ApplicationCommandOptionType.SubCommand or ApplicationCommandOptionType.SubCommandGroup)
        {
            path.Add(options[0].Name);
            options = WellFormed(options[0].Options);
        }

        return (path, options);
    }

    // The serializer lets a JSON null through as a list element or a name; such options name nothing and are skipped.
    private static List<InteractionDataOption> WellFormed(IReadOnlyList<InteractionDataOption>? options) =>
        [.. (options ?? []).Where(option => option is not null && option.Name is not null)];

    /// <summary>A leaf option by name (after sub-commands), or null.</summary>
    public InteractionDataOption? GetOption(string name) =>
        FlattenSubcommands().Options.FirstOrDefault(o => o.Name == name);

    /// <summary>The option the user is typing in (autocomplete).</summary>
    public InteractionDataOption? FocusedOption =>
        FlattenSubcommands().Options.FirstOrDefault(o => o.Focused == true);

    /// <summary>Modal submit: every text input value keyed by custom_id, whatever the wrapping (row or label).</summary>
    public IReadOnlyDictionary<string, string> GetSubmittedValues()
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(MessageComponent component)
        {
            if (component.CustomId is { } id && component.Value is { } value)
            {
                values[id] = value;
            }

            if (component.Component is { } inner)
            {
                Walk(inner);
            }

            foreach (var child in component.Components ?? [])
            {
                if (child is not null)
                {
                    Walk(child);
                }
            }
        }

        foreach (var component in Components ?? [])
        {
            if (component is not null)
            {
                Walk(component);
            }
        }

        return values;
    }
}

public sealed record InteractionDataOption
{
    public string Name { get; init; } = "";
    public ApplicationCommandOptionType Type { get; init; }

    /// <summary>String, integer, number or boolean depending on <see cref="Type"/>; absent for sub-commands.</summary>
    public JsonElement? Value { get; init; }

    public IReadOnlyList<InteractionDataOption>? Options { get; init; }
    public bool? Focused { get; init; }

    public string? GetString() => Value switch
    {
        { ValueKind: JsonValueKind.String } v => v.GetString(),
        { ValueKind: JsonValueKind.Number } v => v.GetRawText(),
        { ValueKind: JsonValueKind.True } => "true",
        { ValueKind: JsonValueKind.False } => "false",
        _ => null,
    };

    public long? GetInt64() => Value switch
    {
        { ValueKind: JsonValueKind.Number } v when v.TryGetInt64(out var n) => n,
        { ValueKind: JsonValueKind.String } v when long.TryParse(v.GetString(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => n,
        _ => null,
    };

    public double? GetDouble() => Value is { ValueKind: JsonValueKind.Number } v && v.TryGetDouble(out var d) ? d : null;

    public bool? GetBoolean() => Value?.ValueKind switch
    {
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
