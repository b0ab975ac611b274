using CoachBot.Core.Messaging;

namespace CoachBot.Core.Commands;

/// <summary>One slash command.</summary>
internal interface ICommandHandler
{
    string Name { get; }

    Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken);
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
