using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary><c>/pause</c>: every pathway of the member waits; reminders stop; the schedule shifts by the days paused.</summary>
internal sealed class PauseCommand : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("pause", "Pause your pathways: no reminders, the schedule waits", [new("until", "The day you come back, YYYY-MM-DD (default: until /resume)")])
    {
        Examples = ["/pause", "/pause until:2027-01-04"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var enrolments = await context.RequireEnrolmentsAsync(cancellationToken);
        var today = context.Today;
        DateOnly? until = options.Get("until") is { } untilText ? OptionParsers.Date(untilText, "until") : null;
        if (until is { } day && day <= today)
        {
            throw new CommandException($"`until` is the day you come back, so pick a day after today, e.g. `{today.AddDays(7):yyyy-MM-dd}`.");
        }

        if (until > today.AddYears(1))
        {
            throw new CommandException(
                $"`until` can be at most a year ahead ({OptionParsers.Iso(today.AddYears(1))} at the latest); for a longer break, `/pause` without `until` and `/resume` when you are back.");
        }

        var settings = await context.Store.GetReminderSettingsAsync(context.Member.Id, cancellationToken);
        var starts = new List<PauseStart>();
        foreach (var enrolment in enrolments)
        {
            var pauses = await context.Store.GetPausesAsync(enrolment.Id, cancellationToken);
            if (pauses.Any(pause => WeekClock.IsPausedOn(pause, today)))
            {
                continue;
            }

            var pause = new PauseRow(0, enrolment.Id, today, until, null);
            var runs = WeeklySlot.NextRuns(settings, context.Zone, enrolment.StartDate, [.. pauses, pause], context.Now);
            starts.Add(new PauseStart(enrolment.Id, today, until, runs));
        }

        if (starts.Count == 0)
        {
            throw new CommandException("You are already paused; `/resume` ends the pause.");
        }

        await context.Store.StartPausesAsync(starts, cancellationToken);
        var length = until is { } back ? $"until {Text.Date(back)}" : "until you `/resume`";
        var stopped = (settings.RemindersEnabled, settings.CheckInsEnabled) switch
        {
            (true, true) => "No reminders or check-ins meanwhile, and your",
            (true, false) => "No reminders meanwhile, and your",
            (false, true) => "No check-ins meanwhile, and your",
            _ => "Your",
        };
        return Reply.Private(
            "Paused",
            $"Paused {string.Join(", ", enrolments.Select(enrolment => enrolment.PathwayId))} from today {length}.",
            $"{stopped} schedule moves back by the days you pause, so nothing piles up.");
    }
}

internal sealed class ResumeCommand : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("resume", "End a pause", [])
    {
        Examples = ["/resume"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var enrolments = await context.RequireEnrolmentsAsync(cancellationToken);
        var today = context.Today;
        var settings = await context.Store.GetReminderSettingsAsync(context.Member.Id, cancellationToken);
        var ends = new List<PauseEnd>();
        var daysMoved = new Dictionary<long, int>();
        foreach (var enrolment in enrolments)
        {
            var pauses = await context.Store.GetPausesAsync(enrolment.Id, cancellationToken);
            if (!pauses.Any(pause => WeekClock.IsPausedOn(pause, today)))
            {
                continue;
            }

            var ended = pauses.Select(pause => WeekClock.IsPausedOn(pause, today) ? pause with { EndedOn = today } : pause).ToList();
            ends.Add(new PauseEnd(enrolment.Id, today, WeeklySlot.NextRuns(settings, context.Zone, enrolment.StartDate, ended, context.Now)));
            var others = pauses.Where(pause => !WeekClock.IsPausedOn(pause, today)).ToList();
            daysMoved[enrolment.Id] = WeekClock.PausedDaysBefore(ended, enrolment.StartDate, today) - WeekClock.PausedDaysBefore(others, enrolment.StartDate, today);
        }

        if (ends.Count == 0)
        {
            throw new CommandException("You are not paused; `/pause` pauses your pathways.");
        }

        await context.Store.EndPausesAsync(ends, cancellationToken);
        // Only the days of the pause that lay inside the schedule move it: none when it ended the day it began, or
        // before the pathway started.
        var resumed = enrolments.Where(enrolment => daysMoved.ContainsKey(enrolment.Id)).ToList();
        var moves = resumed.Select(enrolment => daysMoved[enrolment.Id]).Distinct().ToList();
        var sameMove = moves.Count == 1;
        var blocks = new List<string>
        {
            !sameMove ? "Welcome back! Your schedule moved back by the days each pathway was paused:"
                : moves[0] == 0 ? "Welcome back! No day of your schedule was lost, so nothing moved:"
                : $"Welcome back! Your schedule moved back by {Text.Plural(moves[0], "day")}, the days you were away:",
        };
        foreach (var enrolment in resumed)
        {
            if (context.Pathways.TryGet(enrolment.PathwayId, out _))
            {
                var snapshot = await context.SnapshotAsync(enrolment, cancellationToken);
                var moved = sameMove ? string.Empty
                    : daysMoved[enrolment.Id] == 0 ? " (not moved)"
                    : $" (moved back by {Text.Plural(daysMoved[enrolment.Id], "day")})";
                blocks.Add($"{enrolment.PathwayId}{moved}: {CoachViews.Position(snapshot)}");
            }
        }

        if (await context.NextMessagesAsync(enrolments, settings, context.Zone, cancellationToken) is { } next)
        {
            blocks.Add(next);
        }

        return Reply.Private("Resumed", blocks);
    }
}
