namespace CoachBot.Core.Commands;

public enum OptionKind
{
    Text,
    Boolean,
    User,
    Channel,
}

/// <param name="Choices">Fixed values the option allows (empty when free text).</param>
public sealed record OptionDefinition(
    string Name,
    string Description,
    OptionKind Kind = OptionKind.Text,
    bool Required = false,
    bool Autocomplete = false,
    IReadOnlyList<string>? Choices = null);

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

/// <summary>The commands and their options, in the order of the product brief: what platforms register and what help lists.</summary>
public static class CommandCatalog
{
    private static readonly OptionDefinition _pathwayOption =
        new("pathway", "Which of your pathways (needed when you follow several)", Autocomplete: true);

    /// <summary>Examples by command name, kept apart from the definitions so each reads as its options.</summary>
    private static readonly Dictionary<string, string[]> _examples = new(StringComparer.Ordinal)
    {
        ["pathways"] = ["/pathways", "/pathways ai-safety"],
        ["enroll"] = ["/enroll ai-safety", "/enroll ai-safety start:2027-01-04 timezone:Europe/Berlin"],
        ["today"] = ["/today"],
        ["done"] = ["/done 1", "/done \"Read the paper\""],
        ["undo"] = ["/undo 1"],
        ["progress"] = ["/progress", "/progress member:alice"],
        ["remind"] = ["/remind day:Friday time:18:00", "/remind checkin_day:Sunday checkin_time:20:00"],
        ["checkin"] = ["/checkin"],
        ["pause"] = ["/pause", "/pause until:2027-01-04"],
        ["resume"] = ["/resume"],
        ["unenroll"] = ["/unenroll ai-safety"],
        ["group"] = ["/group", "/group ai-safety"],
        ["mydata"] = ["/mydata export", "/mydata delete"],
        ["coach"] = ["/coach channel study-group", "/coach stats"],
    };

    public static IReadOnlyList<CommandDefinition> All { get; } = WithExamples(
    [
        new("pathways", "List the pathways, or show one", [new("id", "A pathway id, e.g. ai-safety", Autocomplete: true)]),
        new("enroll", "Start a pathway",
        [
            new("pathway", "The pathway id, e.g. ai-safety", Required: true, Autocomplete: true),
            new("start", "First day, YYYY-MM-DD (default: today)"),
            new("timezone", "Your time zone, e.g. Europe/Berlin", Autocomplete: true),
        ]),
        new("today", "This week's tasks and overdue ones", [_pathwayOption]),
        new("done", "Mark a task done", [new("task", "Number from /today, task id or name", Required: true, Autocomplete: true), _pathwayOption]),
        new("undo", "Un-mark a task", [new("task", "Number from /today, task id or name", Required: true, Autocomplete: true), _pathwayOption]),
        new("progress", "Progress per phase, streak and projected finish",
            [_pathwayOption, new("member", "Someone else in this server", OptionKind.User)]),
        new("remind", "Set your weekly reminder and check-in",
        [
            new("day", "Reminder day, e.g. Monday", Choices: [.. Enum.GetNames<DayOfWeek>()]),
            new("time", "Reminder time, HH:MM (24-hour)"),
            new("timezone", "Your time zone, e.g. Europe/Berlin", Autocomplete: true),
            new("off", "true turns the weekly reminder off", OptionKind.Boolean),
            new("checkin_day", "Check-in day, e.g. Friday", Choices: [.. Enum.GetNames<DayOfWeek>()]),
            new("checkin_time", "Check-in time, HH:MM (24-hour)"),
            new("checkin_off", "true turns the weekly check-in off (phase check-ins too)", OptionKind.Boolean),
        ]),
        new("checkin", "Answer this week's check-in", [_pathwayOption]),
        new("pause", "Pause your pathways: no reminders, the schedule waits", [new("until", "The day you come back, YYYY-MM-DD (default: until /resume)")]),
        new("resume", "End a pause", []),
        new("unenroll", "Leave a pathway", [_pathwayOption]),
        new("group", "How this server's cohort is doing", [new("pathway", "Only this pathway", Autocomplete: true)]),
        new("mydata", "Export or delete all your data",
            [new("action", "export or delete", Required: true, Choices: ["export", "delete"])]),
        new("coach", "Organiser settings and stats",
        [
            new("action", "channel or stats", Required: true, Choices: ["channel", "stats"]),
            new("channel", "Channel for the weekly digest and DM fallbacks", OptionKind.Channel),
        ], OrganisersOnly: true),
    ]);

    private static CommandDefinition[] WithExamples(CommandDefinition[] commands) =>
        [.. commands.Select(command => command with { Examples = _examples.GetValueOrDefault(command.Name, []) })];

    public static CommandDefinition? Find(string name) =>
        All.FirstOrDefault(command => string.Equals(command.Name, name, StringComparison.OrdinalIgnoreCase));
}
