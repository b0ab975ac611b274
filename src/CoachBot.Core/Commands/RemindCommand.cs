using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary>
/// <c>/remind</c>: the weekly reminder (<c>day</c>, <c>time</c>, <c>off</c>), the weekly check-in (<c>checkin_day</c>,
/// <c>checkin_time</c>, <c>checkin_off</c>) and the member's time zone. Setting a slot's day or time turns that slot back on.
/// </summary>
internal sealed class RemindCommand : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("remind", "Set your weekly reminder and check-in",
        [
            new("day", "Reminder day, e.g. Monday", Choices: [.. Enum.GetNames<DayOfWeek>()]),
            new("time", "Reminder time, HH:MM (24-hour)"),
            SharedOptions.TimeZone,
            new("off", "true turns the weekly reminder off", OptionKind.Boolean),
            new("checkin_day", "Check-in day, e.g. Friday", Choices: [.. Enum.GetNames<DayOfWeek>()]),
            new("checkin_time", "Check-in time, HH:MM (24-hour)"),
            new("checkin_off", "true turns the weekly check-in off (phase check-ins too)", OptionKind.Boolean),
        ])
    {
        Examples = ["/remind day:Friday time:18:00", "/remind checkin_day:Sunday checkin_time:20:00"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var current = await context.Store.GetReminderSettingsAsync(context.Member.Id, cancellationToken);
        var day = options.Get("day");
        var time = options.Get("time");
        var checkInDay = options.Get("checkin_day");
        var checkInTime = options.Get("checkin_time");
        var timeZone = options.Get("timezone");
        bool? off = options.Get("off") is { } offText ? OptionParsers.Flag(offText, "off") : null;
        bool? checkInOff = options.Get("checkin_off") is { } checkInOffText ? OptionParsers.Flag(checkInOffText, "checkin_off") : null;
        var zone = timeZone is null ? context.Zone : OptionParsers.Zone(timeZone);
        if (day is null && time is null && checkInDay is null && checkInTime is null && timeZone is null && off is null && checkInOff is null)
        {
            var summary = new List<string> { CoachViews.ReminderSummary(current, zone) };
            var enrolled = await context.Store.GetEnrolmentsAsync(context.Member.Id, cancellationToken);
            if (await context.NextMessagesAsync(enrolled, current, zone, cancellationToken) is { } nextMessages)
            {
                summary.Add(nextMessages);
            }

            summary.Add("Set it with e.g. `/remind day:Friday time:18:00`, `/remind checkin_day:Sunday checkin_time:20:00`, or `/remind off:true` / `/remind checkin_off:true`.");
            return Reply.Private("Reminders", summary);
        }

        // A slot cannot be turned off and given a day or time at once: say so rather than silently drop half the request.
        if (off is true && (day is not null || time is not null))
        {
            throw new CommandException("`off:true` turns the weekly reminder off, so it cannot also take a `day` or `time`: send one or the other.");
        }

        if (checkInOff is true && (checkInDay is not null || checkInTime is not null))
        {
            throw new CommandException("`checkin_off:true` turns the weekly check-in off, so it cannot also take a `checkin_day` or `checkin_time`: send one or the other.");
        }

        var settings = current with
        {
            // A day or time turns the slot back on; the zone alone changes neither.
            RemindersEnabled = off is true ? false : day is not null || time is not null || off is false || current.RemindersEnabled,
            ReminderDay = off is not true && day is not null ? OptionParsers.Day(day) : current.ReminderDay,
            ReminderTime = off is not true && time is not null ? OptionParsers.Time(time) : current.ReminderTime,
            CheckInsEnabled = checkInOff is true ? false : checkInDay is not null || checkInTime is not null || checkInOff is false || current.CheckInsEnabled,
            CheckInDay = checkInOff is not true && checkInDay is not null ? OptionParsers.Day(checkInDay) : current.CheckInDay,
            CheckInTime = checkInOff is not true && checkInTime is not null ? OptionParsers.Time(checkInTime) : current.CheckInTime,
        };

        var enrolments = await context.Store.GetEnrolmentsAsync(context.Member.Id, cancellationToken);
        var nextRuns = new Dictionary<long, ScheduledRuns>();
        foreach (var enrolment in enrolments)
        {
            nextRuns[enrolment.Id] = await context.NextRunsAsync(enrolment, settings, zone, cancellationToken);
        }

        await context.Store.SaveReminderSettingsAsync(context.Member.Id, settings, timeZone is null ? null : zone.Id, nextRuns, cancellationToken);
        var blocks = new List<string> { CoachViews.ReminderSummary(settings, zone) };
        // Saving the settings leaves the enrolments as read above: no second read for what comes next.
        if (await context.NextMessagesAsync(enrolments, settings, zone, cancellationToken) is { } next)
        {
            blocks.Add(next);
        }

        if (!settings.RemindersEnabled && current.RemindersEnabled)
        {
            blocks.Add("`/remind day:Monday time:09:00` turns the reminder back on.");
        }

        if (!settings.CheckInsEnabled && current.CheckInsEnabled)
        {
            blocks.Add("`/remind checkin_day:Friday checkin_time:17:00` turns the check-in back on.");
        }

        return Reply.Private("Reminders", blocks);
    }
}
