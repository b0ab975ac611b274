using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Commands;

internal sealed class RemindCommand : ICommandHandler
{
    public string Name => "remind";

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var current = await context.Store.GetReminderSettingsAsync(context.Member.Id, cancellationToken);
        var day = options.Get("day");
        var time = options.Get("time");
        var timeZone = options.Get("timezone");
        var off = options.Get("off") is { } offText && OptionParsers.Flag(offText, "off");
        var zone = timeZone is null ? context.Zone : OptionParsers.Zone(timeZone);
        if (day is null && time is null && timeZone is null && !off)
        {
            return Reply.Private("Reminders", CoachViews.ReminderSummary(current, zone), "Set it with e.g. `/remind day:Friday time:18:00`, or `/remind off:true`.");
        }

        var settings = off
            ? current with { RemindersEnabled = false }
            : current with
            {
                RemindersEnabled = true,
                ReminderDay = day is null ? current.ReminderDay : OptionParsers.Day(day),
                ReminderTime = time is null ? current.ReminderTime : OptionParsers.Time(time),
            };

        var nextRuns = new Dictionary<long, ScheduledRuns>();
        foreach (var enrolment in await context.Store.GetEnrolmentsAsync(context.Member.Id, cancellationToken))
        {
            nextRuns[enrolment.Id] = await context.NextRunsAsync(enrolment, settings, zone, cancellationToken);
        }

        await context.Store.SaveReminderSettingsAsync(context.Member.Id, settings, timeZone is null ? null : zone.Id, nextRuns, cancellationToken);
        var next = nextRuns.Values.Select(runs => runs.NextReminderAt).Where(at => at is not null).Min();
        var blocks = new List<string> { CoachViews.ReminderSummary(settings, zone) };
        if (off)
        {
            blocks.Add("`/remind day:Monday time:09:00` turns it back on.");
        }
        else if (next is { } nextAt)
        {
            blocks.Add($"Next reminder: {Text.LocalTime(nextAt, zone)}.");
        }

        return Reply.Private("Reminders", blocks);
    }
}
