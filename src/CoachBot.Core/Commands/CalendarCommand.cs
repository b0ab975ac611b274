using CoachBot.Core.Calendar;
using CoachBot.Core.Messaging;

namespace CoachBot.Core.Commands;

/// <summary>
/// <c>/calendar</c>: the member's plan as an iCalendar file, privately: each pathway week with its tasks, the weekly
/// check-ins at their time in the member's zone, and each phase's end. A pathway no longer offered is left out, with a
/// word, rather than failing the whole calendar.
/// </summary>
internal sealed class CalendarCommand : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("calendar", "Your plan as a calendar file (.ics): weeks, check-ins, phase ends", [])
    {
        Examples = ["/calendar"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var enrolments = await context.RequireEnrolmentsAsync(cancellationToken);
        var settings = await context.Store.GetReminderSettingsAsync(context.Member.Id, cancellationToken);
        var entries = new List<CalendarEntry>();
        var left = new List<string>();
        foreach (var enrolment in enrolments)
        {
            if (!context.Pathways.TryGet(enrolment.PathwayId, out _))
            {
                left.Add(enrolment.PathwayId);
                continue;
            }

            entries.AddRange(MemberCalendar.Entries(await context.SnapshotAsync(enrolment, cancellationToken), settings));
        }

        if (entries.Count == 0)
        {
            throw new CommandException($"None of your pathways ({string.Join(", ", left)}) is offered here any more, so there is nothing to put in a calendar.");
        }

        var blocks = new List<string>
        {
            $"The attached file holds your {string.Join(" and ", enrolments.Where(row => !left.Contains(row.PathwayId)).Select(row => row.PathwayId))} "
                + $"plan: each week's tasks, your check-ins ({(settings.CheckInsEnabled ? $"{settings.CheckInDay}s at {settings.CheckInTime:HH\\:mm}" : "off")}) and each phase's end, in {context.Zone.Id}.",
            "Open it with your calendar app to import it. After a `/pause`, a `/resume` or a change of check-in time, run `/calendar` again for the new plan: "
                + "the entries keep their ids, so a re-import updates them rather than doubling them.",
        };
        if (left.Count > 0)
        {
            blocks.Add($"Left out: {string.Join(", ", left)}, no longer offered here.");
        }

        return Reply.Private("Your calendar", blocks) with
        {
            Attachment = new ReplyAttachment(MemberCalendar.FileName, "text/calendar", MemberCalendar.ToIcs(entries, context.Zone, context.Now)),
        };
    }
}
