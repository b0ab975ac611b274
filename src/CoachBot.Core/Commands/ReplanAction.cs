using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary>
/// The re-plan buttons under a check-in: shift the schedule back by the weeks missing, take a lighter pace, or keep
/// going. One choice per check-in; the first stands. Everything that says where the member is follows at once.
/// </summary>
internal sealed class ReplanAction : IActionHandler
{
    private const string OutOfDate = "That button is out of date; the next check-in offers a re-plan again if you need one.";

    public string Prefix => ReplanViews.ActionPrefix;

    public async Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken)
    {
        if (arguments.Count != 3 || !int.TryParse(arguments[1], NumberStyles.None, CultureInfo.InvariantCulture, out var week))
        {
            throw new CommandException(OutOfDate);
        }

        var enrolment = await context.RequireOwnEnrolmentAsync(arguments[0], cancellationToken);
        var snapshot = await context.SnapshotAsync(enrolment, cancellationToken);
        if (week < 1 || week > snapshot.Position.TotalWeeks)
        {
            throw new CommandException(OutOfDate);
        }

        if (snapshot.Position.Stage != ScheduleStage.InProgress || snapshot.Position.IsPaused)
        {
            throw new CommandException(snapshot.Position.IsPaused
                ? $"{enrolment.PathwayId} is paused; `/resume` first, then re-plan at the next check-in if you still need to."
                : $"{enrolment.PathwayId} is not under way, so there is nothing to re-plan.");
        }

        var decided = arguments[2] switch
        {
            ReplanViews.KeepArgument => ReplanAdvice.Decide(snapshot, week, ReplanKind.KeepGoing),
            ReplanViews.ShiftArgument => ReplanAdvice.WeeksMissing(snapshot) is > 0 and var weeks
                ? ReplanAdvice.Decide(snapshot, week, ReplanKind.Shift, shiftWeeks: weeks)
                : throw new CommandException("Nothing to shift: no week before this one has an open task any more. Keep going!"),
            var pace when int.TryParse(pace, NumberStyles.None, CultureInfo.InvariantCulture, out var percent) && Replans.Paces.Contains(percent) =>
                ReplanAdvice.PacesOffered(snapshot.Replans).Contains(percent)
                    ? ReplanAdvice.Decide(snapshot, week, ReplanKind.Pace, pacePercent: percent)
                    : throw new CommandException(
                        $"You already follow {enrolment.PathwayId} at {Replans.Describe(ReplanAdvice.CurrentPace(snapshot.Replans))}; a re-plan only ever makes the pace lighter."),
            _ => throw new CommandException(OutOfDate),
        };

        var (stored, isNew) = await context.Store.SaveReplanAsync(decided, cancellationToken);
        if (!isNew)
        {
            return Reply.Private("Re-plan", $"You already chose for the check-in of week {week}: {ReplanViews.Describe(stored)}. `/progress` shows your re-plans.");
        }

        var after = await context.SnapshotAsync(enrolment, cancellationToken);
        var outcome = stored.Kind switch
        {
            ReplanKind.Shift => $"Re-planned: your schedule moved back {Text.Plural(stored.ShiftWeeks, "week")}.",
            ReplanKind.Pace => $"Re-planned: from today each remaining week takes {Replans.Describe(stored.PacePercent)} as long.",
            _ => "Keeping the plan. You've got this.",
        };
        return Reply.Private(
            "Re-plan",
            outcome,
            $"{CoachViews.Position(after)}\nPlanned finish: {Text.Date(after.Position.PlannedFinish)}. `/today` shows the week; reminders and your calendar follow.");
    }
}
