using System.Globalization;
using System.Text.RegularExpressions;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Core.Texts;
using CoachBot.Operations;
using CoachBot.Scheduling;
using Microsoft.Extensions.Logging;

namespace CoachBot.Platforms.Console;

/// <summary>
/// The prompt: reads lines, runs them as commands against the same router the bots use, prints replies, and asks the
/// due-work runner for reminders after every command and clock move.
/// </summary>
internal sealed partial class ConsoleRepl(
    ConsoleSession session,
    CommandRouter router,
    AdjustableClock clock,
    IDueWorkRunner dueWork,
    MemberZones zones,
    CoachBotMetrics metrics,
    ILogger<ConsoleRepl> logger)
{
    private const string ConsoleHelp = """
        Console only:
          /clock [+7d|+3h|+2w|-1d]   show or move the simulated clock (m, h, d, w)
          /as NAME                    become another member (to simulate a group)
          /help [command]             this list, or one command's options and examples, e.g. /help remind
          /quit                       leave (end of input does too)
          b1, b2, …                   press that button of the last message (b4 My note for a text button)
        Options go by position or as name:value, e.g. /remind day:Friday time:18:00; quote values with spaces.
        """;

    /// <summary>The console's own commands, described like the catalog's so <c>/help clock</c> reads like <c>/help remind</c>.</summary>
    private static readonly IReadOnlyList<CommandDefinition> _consoleCommands =
    [
        new("clock", "Show the simulated clock, or move it (what falls due on the way is delivered)",
            [new("step", "How far: +30m, +3h, +7d, +2w, or back, e.g. -1d (nothing is sent again for moments already lived)")])
        {
            Examples = ["/clock", "/clock +7d"],
        },
        new("as", "Become another member, to simulate a group", [new("name", "The member's name, one word", Required: true)])
        {
            Examples = ["/as alice"],
        },
        new("help", "List the commands, or show one command's options and examples", [new("command", "A command's name, e.g. remind")])
        {
            Examples = ["/help", "/help remind"],
        },
        new("quit", "Leave the console (end of input does too)", []) { Examples = ["/quit"] },
    ];

    /// <summary>Enough for years of weekly messages in one move; a guard against a slot that never stops being due.</summary>
    private const int MaxDueStepsPerClockMove = 2000;

    /// <summary>How far /clock has moved the clock, forward and back (not the start the console was given).</summary>
    private TimeSpan _moved;

    /// <summary>The latest instant the clock has shown: what falls due up to here has been delivered already.</summary>
    private DateTimeOffset _furthest;

    private TextWriter Output => session.Output;

    public async Task RunAsync(TextReader input, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        _furthest = clock.GetUtcNow();
        if (interactive)
        {
            session.WriteLine(Banner(session.MemberName));
        }

        while (!cancellationToken.IsCancellationRequested)
        {
            if (interactive)
            {
                Output.Write("> ");
            }

            var line = await input.ReadLineAsync(cancellationToken);
            if (line is null)
            {
                break;
            }

            line = line.Trim();
            if (line.Length == 0 || line.StartsWith('#'))
            {
                continue;
            }

            if (!interactive)
            {
                // A script's transcript: each command above its answer.
                Output.WriteLine($"> {line}");
            }

            if (line is "/quit" or "/exit")
            {
                break;
            }

            try
            {
                await HandleLineAsync(line, cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // A bug or a storage failure ends this command, not the session; the details go to the log.
                LogCommandFailed(logger, failure, line);
                session.WriteLine("Something went wrong with that command (the log has the details); it may already be saved, so check with /today before trying again.");
            }

            try
            {
                await RunDueWorkUnlessRelivingAsync(cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // The command's answer above stands; only the scheduled messages wait for the next command.
                LogDueWorkFailed(logger, failure);
                session.WriteLine("Scheduled messages could not be checked just now (the log has the details); the answer above stands, and they are checked again after your next command.");
            }

            Output.WriteLine();
        }
    }

    /// <summary>The first line at a terminal's prompt (a piped script starts with its first command instead).</summary>
    public static string Banner(string memberName) =>
        $"CoachBot console · you are '{memberName}', organiser of the 'console' server · /help lists commands · /quit";

    private async Task HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        var tokens = TypedCommandParser.Tokenize(line);
        if (ButtonChoice().Match(tokens[0]) is { Success: true } button
            && int.TryParse(button.Groups["number"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var choice))
        {
            await PressAsync(choice, string.Join(' ', tokens.Skip(1)), cancellationToken);
            return;
        }

        if (tokens[0].All(char.IsAsciiDigit))
        {
            // A bare number once pressed a button, and /done 1 ticks /today's task 1: two numberings, easily confused.
            var number = Text.Truncate(tokens[0], 6);
            session.WriteLine($"Type b{number} to press a button of the last message; to tick off task {number} of /today, type /done {number}.");
            return;
        }

        if (!tokens[0].StartsWith('/'))
        {
            session.WriteLine("Commands start with a slash, e.g. /today; /help lists them.");
            return;
        }

        var name = tokens[0][1..].ToLowerInvariant();
        var arguments = tokens.Skip(1).ToList();
        switch (name)
        {
            case "help":
                Help(arguments.FirstOrDefault());
                return;
            case "clock":
                await MoveClockAsync(arguments.FirstOrDefault(), cancellationToken);
                return;
            case "as":
                SwitchMember(arguments);
                return;
        }

        if (CommandCatalog.Find(name) is not { } command)
        {
            session.WriteLine(MentionGuard.Neutralise($"There is no command /{Text.Truncate(name, 40)}; /help lists them."));
            return;
        }

        try
        {
            var options = TypedCommandParser.Options(command, arguments);
            var request = new CommandRequest(session.Member, session.MemberName, IsOrganiser: true, command.Name, options);
            var received = clock.GetTimestamp();
            session.Print(await router.HandleAsync(request, cancellationToken));
            metrics.RecordInteraction(command.Name, clock.GetElapsedTime(received), deferred: false, session.Member.Platform, session.Member.Scope);
        }
        catch (CommandException problem)
        {
            session.WriteMarkdownLine(problem.Message);
        }
    }

    private async Task PressAsync(int choice, string text, CancellationToken cancellationToken)
    {
        if (choice < 1 || choice > session.Choices.Count)
        {
            session.WriteLine(session.Choices.Count == 0
                ? "There is no button to press; b1, b2, … press the buttons of the last message."
                : session.Choices.Count == 1 ? "The last message has one button: b1." : $"Pick a button from b1 to b{session.Choices.Count}.");
            return;
        }

        var button = session.Choices[choice - 1];
        if (button.TextPrompt is not null && text.Length == 0)
        {
            session.WriteMarkdownLine($"{button.TextPrompt} Type b{choice} followed by your text, e.g. b{choice} It went well.");
            return;
        }

        var request = new ActionRequest(session.Member, session.MemberName, IsOrganiser: true, button.ActionId, text.Length == 0 ? null : text);
        var received = clock.GetTimestamp();
        session.Print(await router.HandleActionAsync(request, cancellationToken));
        metrics.RecordInteraction(button.ActionId.Split(':')[0], clock.GetElapsedTime(received), deferred: false, session.Member.Platform, session.Member.Scope);
    }

    private void Help(string? commandName)
    {
        if (commandName is not null)
        {
            var name = commandName.TrimStart('/');
            var consoleOnly = _consoleCommands.FirstOrDefault(candidate => string.Equals(candidate.Name, name, StringComparison.OrdinalIgnoreCase));
            if ((CommandCatalog.Find(name) ?? consoleOnly) is not { } command)
            {
                session.WriteLine(MentionGuard.Neutralise($"There is no command /{Text.Truncate(name, 40)}; type /help to list them."));
                return;
            }

            HelpFor(command, byName: consoleOnly is null);
            return;
        }

        session.WriteLine("Commands:");
        foreach (var definition in CommandCatalog.All)
        {
            var options = string.Concat(definition.Options.Select(option => option.Required ? $" <{option.Name}>" : $" [{option.Name}]"));
            session.WriteLine($"  /{definition.Name}{options} — {definition.Description}");
        }

        session.WriteLine(ConsoleHelp);
    }

    /// <summary>One command: what it does, its options (required ones marked, choices listed) and how it is typed.</summary>
    private void HelpFor(CommandDefinition command, bool byName)
    {
        session.WriteLine($"/{command.Name} — {command.Description}");
        if (command.Options.Count > 0)
        {
            session.WriteLine(byName ? "Options, in this order or as name:value:" : command.Options.Count == 1 ? "Option:" : "Options, in this order:");
            var width = command.Options.Max(option => option.Name.Length);
            foreach (var option in command.Options)
            {
                var required = option.Required ? " (required)" : string.Empty;
                var choices = option.Choices is { Count: > 0 } values ? $"; one of {string.Join(", ", values)}"
                    : option.Kind == OptionKind.Boolean ? "; true or false"
                    : string.Empty;
                session.WriteLine($"  {option.Name.PadRight(width)}  {option.Description}{choices}{required}", hangingIndent: width + 4);
            }
        }

        if (command.Examples.Count > 0)
        {
            session.WriteLine(command.Examples.Count == 1 ? "Example:" : "Examples:");
            foreach (var example in command.Examples)
            {
                session.WriteLine("  " + example);
            }
        }
    }

    private async Task MoveClockAsync(string? argument, CancellationToken cancellationToken)
    {
        if (argument is not null)
        {
            var match = ClockStep().Match(argument);
            if (!match.Success)
            {
                session.WriteLine(MentionGuard.Neutralise($"'{Text.Truncate(argument, 40)}' is not a clock step; use e.g. /clock +7d (also +3h, +2w, +30m, -1d)."));
                return;
            }

            var amount = int.Parse(match.Groups["amount"].Value, CultureInfo.InvariantCulture) * (match.Groups["sign"].Value == "-" ? -1 : 1);
            var step = match.Groups["unit"].Value switch
            {
                "m" => TimeSpan.FromMinutes(amount),
                "h" => TimeSpan.FromHours(amount),
                "d" => TimeSpan.FromDays(amount),
                _ => TimeSpan.FromDays(7 * amount),
            };
            if (!AdjustableClock.IsWithinRange(clock.GetUtcNow() + step))
            {
                session.WriteLine($"The clock stays between the years {AdjustableClock.FirstYear} and {AdjustableClock.LastYear}; move it by less, e.g. /clock +7d.");
                return;
            }

            _moved += step;
            if (step > TimeSpan.Zero)
            {
                await LiveThroughAsync(step, cancellationToken);
            }
            else
            {
                clock.Move(step);
            }
        }

        var zone = await zones.OfAsync(session.Member, cancellationToken);
        var moved = _moved == TimeSpan.Zero ? "not moved" : $"moved {(_moved < TimeSpan.Zero ? "-" : "+")}{_moved.Duration():d'd 'hh'h 'mm'm'}";
        session.WriteLine($"Clock: {Text.LocalTime(clock.GetUtcNow(), zone)} ({moved}).");
        if (clock.GetUtcNow() < _furthest)
        {
            session.WriteLine($"Scheduled messages wait until the clock passes {Text.LocalTime(_furthest, zone)} again: what fell due before then was sent already.");
        }
    }

    /// <summary>
    /// Runs the due work unless the clock was moved back behind the furthest instant it reached: a moment already lived
    /// sends nothing again (a back-dated digest would count check-ins made "later"); it waits until the clock is past it.
    /// </summary>
    private async Task RunDueWorkUnlessRelivingAsync(CancellationToken cancellationToken)
    {
        var now = clock.GetUtcNow();
        if (now < _furthest)
        {
            return;
        }

        _furthest = now;
        await dueWork.RunDueWorkAsync(cancellationToken);
    }

    /// <summary>
    /// Moves the clock forward by <paramref name="step"/> through each instant something falls due on the way, and delivers
    /// it then, as a bot running all along would: a week's jump prints Monday's reminder and Friday's check-in, in order,
    /// rather than treating them as missed while the bot was down.
    /// </summary>
    private async Task LiveThroughAsync(TimeSpan step, CancellationToken cancellationToken)
    {
        var targetOffset = clock.Offset + step;
        var target = clock.GetUtcNow() + step;
        if (clock.GetUtcNow() < _furthest)
        {
            // Back over the stretch already lived without sending anything: delivery resumes past the furthest point.
            var catchUp = (target < _furthest ? target : _furthest) - clock.GetUtcNow();
            clock.Move(catchUp);
        }

        for (var i = 0; i < MaxDueStepsPerClockMove && clock.GetUtcNow() >= _furthest; i++)
        {
            await RunDueWorkUnlessRelivingAsync(cancellationToken);
            if (await dueWork.NextDueAtAsync(cancellationToken) is not { } due || due > target)
            {
                break;
            }

            var now = clock.GetUtcNow();
            if (due > now)
            {
                clock.Move(due - now);
            }
        }

        // Land on exactly the offset asked for, whatever real time passed meanwhile.
        clock.Move(targetOffset - clock.Offset);
    }

    private void SwitchMember(List<string> arguments)
    {
        if (arguments.Count != 1 || arguments[0].Length > 32)
        {
            session.WriteLine("Say who to become, one word, e.g. /as alice.");
            return;
        }

        session.SwitchTo(arguments[0]);
        session.WriteLine(MentionGuard.Neutralise($"You are now '{arguments[0]}'."));
    }

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Checking the scheduled messages after a console command failed")]
    private static partial void LogDueWorkFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Console command {Line} failed")]
    private static partial void LogCommandFailed(ILogger logger, Exception exception, string line);

    /// <summary>ASCII digits only: <c>\d</c> would take Arabic-Indic or Devanagari digits, which <see cref="int.Parse(string, IFormatProvider)"/> cannot read.</summary>
    [GeneratedRegex(@"^(?<sign>[+-])(?<amount>[0-9]{1,4})(?<unit>[mhdw])$")]
    private static partial Regex ClockStep();

    /// <summary>A button typed as <c>b1</c>: the letter keeps it apart from task numbers such as <c>/done 1</c>.</summary>
    [GeneratedRegex(@"^[bB](?<number>[0-9]{1,6})$")]
    private static partial Regex ButtonChoice();
}
