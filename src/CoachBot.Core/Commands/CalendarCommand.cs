using CoachBot.Core.Calendar;
using CoachBot.Core.Messaging;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary>
/// <c>/calendar</c>: the member's plan as a calendar, privately: each pathway week with its tasks, the weekly check-ins
/// at their time in the member's zone, and each phase's end. With a web host (<paramref name="links"/>) the first
/// <c>/calendar</c> gives a personal feed link that calendar apps refresh by themselves; the link is shown once, since
/// only its hash is kept, and <c>/calendar reset</c> replaces it (the old one stops working). The file itself comes
/// with every answer, so it works without a web host too.
/// </summary>
internal sealed class CalendarCommand(ICalendarLinks? links = null) : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("calendar", "Your plan in your calendar: weeks, check-ins, phase ends",
        [new("action", "reset: a new feed link; the old one stops working", Choices: ["reset"])])
    {
        Examples = ["/calendar", "/calendar reset"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var action = options.Get("action")?.ToLowerInvariant();
        if (action is not (null or "reset"))
        {
            throw new CommandException($"'{Text.Truncate(action, 40)}' is not something `/calendar` does; use `/calendar` or `/calendar reset`.");
        }

        await context.RequireEnrolmentsAsync(cancellationToken);
        var (ics, included, leftOut, settings) = await MemberCalendar.ForMemberAsync(context.Services, context.Member, context.Now, cancellationToken);
        if (included.Count == 0)
        {
            throw new CommandException($"None of your pathways ({string.Join(", ", leftOut)}) is offered here any more, so there is nothing to put in a calendar.");
        }

        var checkIns = settings.CheckInsEnabled ? $"{settings.CheckInDay}s at {settings.CheckInTime:HH\\:mm}" : "off";
        var blocks = new List<string>
        {
            $"Your {string.Join(" and ", included)} plan: each week's tasks, your check-ins ({checkIns}) and each phase's end, in {context.Zone.Id}.",
            await FeedAsync(context, reset: action == "reset", cancellationToken),
        };
        if (leftOut.Count > 0)
        {
            blocks.Add($"Left out: {string.Join(", ", leftOut)}, no longer offered here.");
        }

        return Reply.Private("Your calendar", blocks) with { Attachment = new ReplyAttachment(MemberCalendar.FileName, "text/calendar", ics) };
    }

    private async Task<string> FeedAsync(CommandContext context, bool reset, CancellationToken cancellationToken)
    {
        const string FileOnly = "The attached file imports it into your calendar app. After a `/pause`, a `/resume` or a change of check-in time, "
            + "run `/calendar` again for the new plan: the entries keep their ids, so a re-import updates them rather than doubling them.";
        if (links is not { IsAvailable: true })
        {
            return FileOnly;
        }

        var existing = await context.Store.GetCalendarLinkCreatedAtAsync(context.Member.Id, cancellationToken);
        if (existing is { } made && !reset)
        {
            return $"Your feed link was made on {Text.Date(Schedule.WeekClock.LocalDate(made, context.Zone))} and keeps your calendar up to date; "
                + "it is shown only once. Lost it, or shared it by mistake? `/calendar reset` makes a new one and stops the old. The attached file is a copy of today's plan.";
        }

        var url = await links.CreateAsync(context.Member.Id, context.Now, cancellationToken);
        if (url is null)
        {
            return FileOnly;
        }

        // Angle brackets keep Discord from fetching a preview of the link, which would be one more copy of it.
        return $"{(reset && existing is not null ? "Your old feed link stops working now. " : "")}Subscribe to this link in your calendar app "
            + $"(\"add calendar from URL\"); it follows your plan as it changes: <{url}>. It is yours alone and shown only this once; "
            + "`/calendar reset` replaces it. The attached file is a copy of today's plan.";
    }
}
