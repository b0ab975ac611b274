using System.Globalization;
using CoachBot.Core.Delivery;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

/// <summary>
/// The weekly reminder's Remind me tomorrow / In 3 days / Skip this week buttons. The first choice of a week stands
/// (one extra reminder at most), except that Skip calls off an extra reminder not sent yet.
/// </summary>
internal sealed class ExtraReminderAction : IActionHandler
{
    private const string OutOfDate = "That button is out of date; the next weekly reminder brings new ones.";

    public string Prefix => ExtraReminders.ActionPrefix;

    public async Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken)
    {
        int? days = arguments.Count != 3 ? throw new CommandException(OutOfDate)
            : arguments[2] == ExtraReminders.SkipArgument ? null
            : int.TryParse(arguments[2], NumberStyles.None, CultureInfo.InvariantCulture, out var parsed) && ExtraReminders.Choices.Contains(parsed) ? parsed
            : throw new CommandException(OutOfDate);
        var enrolment = await context.RequireOwnEnrolmentAsync(arguments[0], cancellationToken);
        var period = arguments[1];
        var settings = await context.Store.GetReminderSettingsAsync(context.Member.Id, cancellationToken);
        var zone = context.Zone;
        if (period != ExtraReminders.CurrentReminderWeek(settings, zone, context.Now))
        {
            throw new CommandException("That reminder is from an earlier week; the latest weekly reminder has its own buttons, and `/today` shows this week.");
        }

        var pauses = await context.Store.GetPausesAsync(enrolment.Id, cancellationToken);
        if (pauses.Any(pause => WeekClock.IsPausedOn(pause, context.Today)))
        {
            throw new CommandException($"{enrolment.PathwayId} is paused, so no reminders come; `/resume` picks it up again.");
        }

        var nextWeekly = settings.RemindersEnabled
            ? WeeklySlot.Next(settings.ReminderDay, settings.ReminderTime, zone, context.Now)
            : (DateTimeOffset?)null;
        var next = nextWeekly is { } at ? $" Your next weekly reminder stays {Text.LocalTime(at, zone)}." : string.Empty;
        var remindAt = days is { } n ? ExtraReminders.RemindAt(n, settings, zone, context.Now) : (DateTimeOffset?)null;
        if (remindAt is { } asked && nextWeekly is { } weekly && asked >= weekly)
        {
            throw new CommandException(
                $"{(days == 1 ? "Tomorrow" : $"In {days} days")} would be after your next weekly reminder ({Text.LocalTime(weekly, zone)}), which brings this week's open tasks anyway.");
        }

        var key = new DeliveryKey(DuePlanner.EnrolmentSubject(enrolment.Id), DuePlanner.ExtraReminderKind, period);
        var delivery = new NewDelivery(
            key, context.Member.Id, enrolment.Id, DuePlanner.Nonce(key), context.Now,
            remindAt is null ? DeliveryState.Skipped : DeliveryState.Claimed, null, context.Member.Platform, enrolment.GuildId)
        {
            NotBefore = remindAt,
        };
        var choice = await context.Store.ChooseExtraReminderAsync(delivery, cancellationToken);
        string When(DateTimeOffset? instant) => instant is { } value ? Text.LocalTime(value, zone) : "later this week";
        var answer = choice.Result switch
        {
            ExtraReminderResult.Scheduled => $"I'll remind you once more on {When(choice.RemindAt)}.{next}",
            ExtraReminderResult.Skipped => $"Skipped: no more reminders about this week.{next}",
            ExtraReminderResult.CalledOff => $"Skipped: the extra reminder on {When(choice.RemindAt)} is called off.{next}",
            ExtraReminderResult.AlreadyScheduled => $"You already asked for this week's one extra reminder: {When(choice.RemindAt)}. Skip this week calls it off.",
            ExtraReminderResult.AlreadySent => "This week's one extra reminder was already sent; `/today` shows the week any time.",
            _ => $"You already skipped this week; `/today` shows the week any time.{next}",
        };
        return Reply.Private("Reminder", answer);
    }
}
