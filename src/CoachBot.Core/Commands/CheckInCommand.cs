using System.Globalization;
using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary><c>/checkin</c>, and the On track / Behind / Blocked / note buttons (also sent in the check-in DM).</summary>
internal sealed class CheckInCommand : ICommandHandler, IActionHandler
{
    public const string NotePrefix = CoachViews.CheckInNotePrefix;

    public CommandDefinition Definition { get; } = new("checkin", "Answer this week's check-in", [SharedOptions.Pathway])
    {
        Examples = ["/checkin"],
    };

    public string Prefix => "checkin";

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var snapshot = await context.ResolveSnapshotAsync(options.Get("pathway"), cancellationToken);
        await RefuseBeforeStartAsync(context, snapshot, cancellationToken);
        // Asked by the member, so there is always a week to answer for: the first one, early in week 1.
        return CoachViews.CheckInQuestion(snapshot, Math.Max(1, snapshot.Position.CheckInWeek));
    }

    /// <summary>Before its first day a pathway has no week to check in on: one sentence on when it starts and when the first check-in comes.</summary>
    public static async Task RefuseBeforeStartAsync(CommandContext context, EnrolmentSnapshot snapshot, CancellationToken cancellationToken)
    {
        var position = snapshot.Position;
        if (position.Stage != ScheduleStage.NotStarted)
        {
            return;
        }

        var starts = $"{snapshot.Pathway.Id} starts on {Text.Date(SafeDates.AddDays(position.StartDate, position.PausedDays))}";
        var settings = await context.Store.GetReminderSettingsAsync(context.Member.Id, cancellationToken);
        // No first check-in to name: check-ins are off, or the first lies past the planning horizon (a stored start at
        // the calendar's end); only the former may be called off.
        throw new CommandException(DuePlanner.NextCheckInAsked(snapshot, settings) is { } first
            ? $"{starts}; your first check-in is {Text.LocalTime(first, snapshot.Zone)}; `/checkin` works once it has started."
            : settings.CheckInsEnabled
                ? $"{starts}; `/checkin` works once it has started."
                : $"{starts}; your check-ins are off (`/remind checkin_day:Friday` turns them on), and `/checkin` works once it has started.");
    }

    /// <summary>A check-in button of a pathway that has not started (from an old reply) is refused like <c>/checkin</c>.</summary>
    public static async Task RefuseBeforeStartAsync(CommandContext context, EnrolmentRow enrolment, CancellationToken cancellationToken)
    {
        if (context.Pathways.TryGet(enrolment.PathwayId, out _))
        {
            await RefuseBeforeStartAsync(context, await context.SnapshotAsync(enrolment, cancellationToken), cancellationToken);
        }
    }

    public async Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken)
    {
        if (arguments.Count != 3 || !int.TryParse(arguments[1], CultureInfo.InvariantCulture, out var week))
        {
            throw new CommandException("That button is out of date; `/checkin` asks again.");
        }

        var status = arguments[2] switch
        {
            "on-track" => CheckInStatus.OnTrack,
            "behind" => CheckInStatus.Behind,
            "blocked" => CheckInStatus.Blocked,
            _ => throw new CommandException("That button is out of date; `/checkin` asks again."),
        };
        var enrolment = await context.RequireOwnEnrolmentAsync(arguments[0], cancellationToken);
        await RefuseBeforeStartAsync(context, enrolment, cancellationToken);
        await context.Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, week, status, null, context.Now), cancellationToken);
        var reply = status switch
        {
            CheckInStatus.Blocked => "Thanks. Blocked happens to everyone: add a note so your group can help, or `/pause` if life needs a break.",
            CheckInStatus.Behind => $"Thanks for saying so. Week {week} of {enrolment.PathwayId}: behind. Overdue tasks stay on your `/today` list; one at a time.",
            _ => $"Thanks! Week {week} of {enrolment.PathwayId}: on track.",
        };
        return Reply.Private("Check-in", reply);
    }
}

internal sealed class CheckInNoteAction : IActionHandler
{
    public string Prefix => CheckInCommand.NotePrefix;

    public async Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken)
    {
        if (arguments.Count != 2 || !int.TryParse(arguments[1], CultureInfo.InvariantCulture, out var week))
        {
            throw new CommandException("That button is out of date; `/checkin` asks again.");
        }

        if (string.IsNullOrWhiteSpace(text))
        {
            throw new CommandException("The note was empty; press the button again and type a line.");
        }

        var enrolment = await context.RequireOwnEnrolmentAsync(arguments[0], cancellationToken);
        await CheckInCommand.RefuseBeforeStartAsync(context, enrolment, cancellationToken);
        await context.Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, week, null, Text.Truncate(text.Trim(), 1000), context.Now), cancellationToken);
        return Reply.Private("Check-in", $"Thanks, your note for week {week} is saved; your group sees it in the weekly digest.");
    }
}
