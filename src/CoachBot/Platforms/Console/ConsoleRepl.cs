using System.Globalization;
using System.Text.RegularExpressions;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
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
    CoachBotMetrics metrics,
    ILogger<ConsoleRepl> logger)
{
    private const string ConsoleHelp = """
        Console only:
          /clock [+7d|+3h|+2w|-1d]   show or move the simulated clock (m, h, d, w)
          /as NAME                    become another member (to simulate a group)
          /help [command]             this list, or one command's options
          /quit                       leave (end of input does too)
          a number                    press that button of the last message, e.g. 1 (or 4 My note)
        Options go by position or as name:value, e.g. /remind day:Friday time:18:00; quote values with spaces.
        """;

    /// <summary>Enough for years of weekly messages in one move; a guard against a slot that never stops being due.</summary>
    private const int MaxDueStepsPerClockMove = 2000;

    private TextWriter Output => session.Output;

    public async Task RunAsync(TextReader input, bool interactive, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(input);
        if (interactive)
        {
            Output.WriteLine(Banner(session.MemberName));
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
                Output.WriteLine("Something went wrong with that command (the log has the details); it may already be saved, so check with /today before trying again.");
            }

            try
            {
                await dueWork.RunDueWorkAsync(cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                // The command's answer above stands; only the scheduled messages wait for the next command.
                LogDueWorkFailed(logger, failure);
                Output.WriteLine("Scheduled messages could not be checked just now (the log has the details); the answer above stands, and they are checked again after your next command.");
            }

            Output.WriteLine();
        }
    }

    /// <summary>The first line at a terminal's prompt (a piped script starts with its first command instead).</summary>
    public static string Banner(string memberName) =>
        $"CoachBot console · you are '{memberName}' (organiser of the 'console' server) · /help lists commands, /quit leaves.";

    private async Task HandleLineAsync(string line, CancellationToken cancellationToken)
    {
        var tokens = ConsoleLineParser.Tokenize(line);
        if (int.TryParse(tokens[0], NumberStyles.None, CultureInfo.InvariantCulture, out var choice))
        {
            await PressAsync(choice, string.Join(' ', tokens.Skip(1)), cancellationToken);
            return;
        }

        if (!tokens[0].StartsWith('/'))
        {
            Output.WriteLine("Commands start with a slash, e.g. /today; /help lists them.");
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
            Output.WriteLine(MentionGuard.Neutralise($"There is no command /{Text.Truncate(name, 40)}; /help lists them."));
            return;
        }

        try
        {
            var options = ConsoleLineParser.Options(command, arguments);
            var request = new CommandRequest(session.Member, session.MemberName, IsOrganiser: true, command.Name, options);
            var received = clock.GetTimestamp();
            session.Print(await router.HandleAsync(request, cancellationToken));
            metrics.RecordInteraction(command.Name, clock.GetElapsedTime(received), deferred: false, session.Member.Platform, session.Member.Scope);
        }
        catch (CommandException problem)
        {
            Output.WriteLine(problem.Message);
        }
    }

    private async Task PressAsync(int choice, string text, CancellationToken cancellationToken)
    {
        if (choice < 1 || choice > session.Choices.Count)
        {
            Output.WriteLine(session.Choices.Count == 0
                ? "There is no button to press; numbers pick the buttons of the last message."
                : $"Pick a button from 1 to {session.Choices.Count}.");
            return;
        }

        var button = session.Choices[choice - 1];
        if (button.TextPrompt is not null && text.Length == 0)
        {
            Output.WriteLine($"{button.TextPrompt} Type {choice} followed by your text, e.g. `{choice} It went well`.");
            return;
        }

        var request = new ActionRequest(session.Member, session.MemberName, IsOrganiser: true, button.ActionId, text.Length == 0 ? null : text);
        var received = clock.GetTimestamp();
        session.Print(await router.HandleActionAsync(request, cancellationToken));
        metrics.RecordInteraction(button.ActionId.Split(':')[0], clock.GetElapsedTime(received), deferred: false, session.Member.Platform, session.Member.Scope);
    }

    private void Help(string? commandName)
    {
        if (commandName is not null && CommandCatalog.Find(commandName.TrimStart('/')) is { } command)
        {
            Output.WriteLine($"/{command.Name} — {command.Description}");
            foreach (var option in command.Options)
            {
                var choices = option.Choices is { Count: > 0 } values ? $" ({string.Join("|", values)})" : string.Empty;
                Output.WriteLine($"  {option.Name}:{(option.Required ? " (required)" : string.Empty)} {option.Description}{choices}");
            }

            return;
        }

        Output.WriteLine("Commands:");
        foreach (var definition in CommandCatalog.All)
        {
            var options = string.Concat(definition.Options.Select(option => option.Required ? $" <{option.Name}>" : $" [{option.Name}]"));
            Output.WriteLine($"  /{definition.Name}{options} — {definition.Description}");
        }

        Output.WriteLine(ConsoleHelp);
    }

    private async Task MoveClockAsync(string? argument, CancellationToken cancellationToken)
    {
        if (argument is not null)
        {
            var match = ClockStep().Match(argument);
            if (!match.Success)
            {
                Output.WriteLine(MentionGuard.Neutralise($"'{Text.Truncate(argument, 40)}' is not a clock step; use e.g. /clock +7d (also +3h, +2w, +30m, -1d)."));
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
            if (step > TimeSpan.Zero)
            {
                await LiveThroughAsync(step, cancellationToken);
            }
            else
            {
                clock.Move(step);
            }
        }

        var offset = clock.Offset == TimeSpan.Zero ? "real time" : $"real time {(clock.Offset < TimeSpan.Zero ? "-" : "+")} {clock.Offset.Duration():d'd 'hh'h 'mm'm'}";
        Output.WriteLine($"Clock: {clock.GetUtcNow().ToString("ddd d MMM yyyy HH:mm", CultureInfo.InvariantCulture)} UTC ({offset}).");
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
        for (var i = 0; i < MaxDueStepsPerClockMove; i++)
        {
            await dueWork.RunDueWorkAsync(cancellationToken);
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
            Output.WriteLine("Say who to become, one word, e.g. /as alice.");
            return;
        }

        session.SwitchTo(arguments[0]);
        Output.WriteLine(MentionGuard.Neutralise($"You are now '{arguments[0]}'."));
    }

    [LoggerMessage(EventId = 303, Level = LogLevel.Error, Message = "Checking the scheduled messages after a console command failed")]
    private static partial void LogDueWorkFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 300, Level = LogLevel.Error, Message = "Console command {Line} failed")]
    private static partial void LogCommandFailed(ILogger logger, Exception exception, string line);

    [GeneratedRegex(@"^(?<sign>[+-])(?<amount>\d{1,4})(?<unit>[mhdw])$")]
    private static partial Regex ClockStep();
}
