using CoachBot.Core.Messaging;
using CoachBot.Core.Pictures;
using CoachBot.Core.Usage;

namespace CoachBot.Core.Commands;

/// <summary>One slash command.</summary>
internal interface ICommandHandler
{
    /// <summary>Its name, description, options and examples: what platforms register and help lists.</summary>
    CommandDefinition Definition { get; }

    Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken);
}

/// <summary>The command handlers, in the order of the product brief (the order <see cref="CommandCatalog.All"/> lists).</summary>
internal static class CommandHandlers
{
    /// <param name="usage">The host's counts since start, shown by <c>/coach stats</c> (left out when null).</param>
    /// <param name="dashboard">Makes <c>/coach dashboard</c>'s sign-in links (null: the dashboard is off).</param>
    /// <param name="pictures">Draws the progress card of <c>/progress</c> (null: text only).</param>
    /// <param name="calendarLinks">Makes <c>/calendar</c>'s feed links (null: no web host, the file only).</param>
    public static ICommandHandler[] Create(
        IUsageStats? usage, IDashboardLinks? dashboard = null, IPictureRenderer? pictures = null, ICalendarLinks? calendarLinks = null) =>
    [
        new PathwaysCommand(), new EnrollCommand(), new TodayCommand(), new DoneCommand(), new UndoCommand(), new ProgressCommand(pictures),
        new RemindCommand(), new CheckInCommand(), new PauseCommand(), new ResumeCommand(), new UnenrollCommand(), new GroupCommand(),
        new MyDataCommand(), new CoachCommand(usage, dashboard), new CalendarCommand(calendarLinks), new BuddyCommand(),
    ];
}

/// <summary>The buttons whose action id starts with <see cref="Prefix"/> and a colon.</summary>
internal interface IActionHandler
{
    string Prefix { get; }

    /// <param name="arguments">The parts of the action id after the prefix, split on ':'.</param>
    Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken);
}

/// <summary>The option values of a request, by name.</summary>
internal sealed class CommandOptions(IReadOnlyDictionary<string, string> values)
{
    /// <summary>No option (an id, a task name, a date, a zone) needs more; longer text is refused rather than echoed back.</summary>
    public const int MaxLength = 200;

    public string? Get(string name)
    {
        if (!values.TryGetValue(name, out var value) || string.IsNullOrWhiteSpace(value))
        {
            return null;
        }

        var trimmed = value.Trim();
        return trimmed.Length <= MaxLength
            ? trimmed
            : throw new CommandException($"`{name}` is too long ({trimmed.Length} characters); keep it under {MaxLength}.");
    }

    public string Require(string name, string whenMissing) => Get(name) ?? throw new CommandException(whenMissing);
}
