namespace CoachBot.Core.Commands;

public enum OptionKind
{
    Text,
    Boolean,
    User,
    Channel,
}

/// <summary>What an option suggests as the member types (Discord's autocomplete).</summary>
public enum Suggestions
{
    None,

    /// <summary>The pathways on offer.</summary>
    Pathways,

    /// <summary>The pathways the member follows.</summary>
    OwnPathways,

    /// <summary>The member's open tasks, this week's and overdue first.</summary>
    OpenTasks,

    /// <summary>The member's done tasks.</summary>
    DoneTasks,

    /// <summary>Time zone ids.</summary>
    TimeZones,
}

/// <param name="Choices">Fixed values the option allows (empty when free text).</param>
/// <param name="Suggest">What the router suggests for it as the member types; none unless set.</param>
public sealed record OptionDefinition(
    string Name,
    string Description,
    OptionKind Kind = OptionKind.Text,
    bool Required = false,
    Suggestions Suggest = Suggestions.None,
    IReadOnlyList<string>? Choices = null)
{
    /// <summary>Whether platforms ask for suggestions as the member types.</summary>
    public bool Autocomplete => Suggest != Suggestions.None;

    /// <summary>
    /// The <c>action</c> this option goes with when it is not named like it (<c>on</c> of <c>/coach chart</c>):
    /// platforms with sub-commands offer it, optional, under that sub-command only.
    /// </summary>
    public string? OfAction { get; init; }
}

/// <param name="OrganisersOnly">Shown only to members who can manage the server; the router checks again.</param>
public sealed record CommandDefinition(
    string Name,
    string Description,
    IReadOnlyList<OptionDefinition> Options,
    bool OrganisersOnly = false)
{
    /// <summary>One or two typical uses as typed, e.g. <c>/remind day:Friday time:18:00</c>, for help texts (not registered with platforms).</summary>
    public IReadOnlyList<string> Examples { get; init; } = [];
}

/// <summary>Options that several commands share, defined once.</summary>
internal static class SharedOptions
{
    /// <summary>The option of the commands about one of the member's pathways.</summary>
    public static readonly OptionDefinition Pathway =
        new("pathway", "Which of your pathways (needed when you follow several)", Suggest: Suggestions.OwnPathways);

    public static readonly OptionDefinition TimeZone =
        new("timezone", "Your time zone, e.g. Europe/Berlin", Suggest: Suggestions.TimeZones);
}

/// <summary>
/// The commands and their options, in the order of the product brief: what platforms register and what help lists.
/// Each handler owns its definition; this gathers them from the handlers the router runs.
/// </summary>
public static class CommandCatalog
{
    public static IReadOnlyList<CommandDefinition> All { get; } = [.. CommandHandlers.Create(usage: null).Select(handler => handler.Definition)];

    public static CommandDefinition? Find(string name) =>
        All.FirstOrDefault(command => string.Equals(command.Name, name, StringComparison.OrdinalIgnoreCase));
}
