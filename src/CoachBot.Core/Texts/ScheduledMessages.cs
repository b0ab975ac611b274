using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Progress;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Texts;

/// <summary>One member's line in the weekly digest: who, where they are, and their check-ins of the digest's week.</summary>
public sealed record DigestEntry(string DisplayName, EnrolmentSnapshot Snapshot, IReadOnlyList<CheckInAnswer> CheckIns);

/// <summary>
/// The digest with, per member (by id), the exact lines that show them, so that <c>/mydata delete</c> can later take
/// them out of a stored copy (<see cref="ScheduledMessages.Redact"/>) even after the member changed their name.
/// </summary>
public sealed record DigestMessage(Reply Reply, IReadOnlyDictionary<long, IReadOnlyList<string>> LinesByMember);

/// <summary>The messages the scheduler sends: weekly reminder, check-in, phase check-in, last congratulation, group digest.</summary>
public static class ScheduledMessages
{
    /// <summary>The line that stands in a stored message for a member who deleted their data.</summary>
    public const string RedactedLine = "  • (a member who deleted their data)";

    /// <summary>
    /// The week as <c>/today</c> shows it (phase and week, this week's and overdue tasks, a button per open task), how to
    /// change the reminder, and then <paramref name="snooze"/> (the Remind me tomorrow / In 3 days / Skip this week buttons).
    /// </summary>
    public static Reply Reminder(EnrolmentSnapshot snapshot, ReminderSettings settings, IReadOnlyList<ReplyButton> snooze)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(snooze);
        var week = CoachViews.Week(snapshot);
        return week with
        {
            Title = "Weekly reminder · " + week.Title,
            Blocks = [.. week.Blocks, $"{CoachViews.ReminderSummary(settings, snapshot.Zone)} `/pause` if you need a break."],
            // A message holds 25 buttons: the snooze buttons always fit, the open tasks fill the rest (all of them, in
            // practice; `/today` has a button for each).
            Buttons = [.. week.Buttons.Take(CoachViews.MaxButtons - snooze.Count), .. snooze],
            Ephemeral = false,
        };
    }

    /// <summary>The extra reminder a member asked for with the reminder's buttons: the week as it is now, without those buttons.</summary>
    public static Reply ExtraReminder(EnrolmentSnapshot snapshot, ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        var week = CoachViews.Week(snapshot);
        return week with
        {
            Title = "Reminder, as you asked · " + week.Title,
            Blocks = [.. week.Blocks, $"This is the one extra reminder you asked for this week. {CoachViews.ReminderSummary(settings, snapshot.Zone)}"],
            Ephemeral = false,
        };
    }

    /// <summary>"How did week N go?" with On track / Behind / Blocked and a note, the same as <c>/checkin</c>, and how to change the check-in.</summary>
    public static Reply CheckIn(EnrolmentSnapshot snapshot, int week, ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var question = CoachViews.CheckInQuestion(snapshot, week);
        return question with
        {
            Title = "Weekly check-in · " + question.Title,
            Blocks = [.. question.Blocks, CheckInFooter(snapshot, settings)],
            Ephemeral = false,
        };
    }

    private static string CheckInFooter(EnrolmentSnapshot snapshot, ReminderSettings settings) =>
        $"{CoachViews.ReminderSummary(settings, snapshot.Zone)} `/remind checkin_off:true` stops check-ins.";

    /// <summary>The check-in of a phase's last week: the phase's tasks, done or open, then the week's question.</summary>
    public static Reply PhaseCheckIn(EnrolmentSnapshot snapshot, int week, ReminderSettings settings)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        ArgumentNullException.ThrowIfNull(settings);
        var question = CoachViews.CheckInQuestion(snapshot, week);
        var phase = WeekClock.PhaseOfWeek(snapshot.Pathway, week).Phase;
        var ends = week == snapshot.Position.OverallWeek && snapshot.Position.Stage == ScheduleStage.InProgress ? "ends this week" : "has ended";
        var tasks = phase.Tasks
            .Select(task => $"  {(snapshot.Ledger.IsDone(task.Id) ? "✓" : "☐")} {task.Title}")
            .ToList();
        var done = phase.Tasks.Count(task => snapshot.Ledger.IsDone(task.Id));
        var review = string.Create(CultureInfo.InvariantCulture,
            $"Phase {phase.Number} — {phase.Title} {ends}: {done} of {Text.Plural(phase.Tasks.Count, "task")} done.\n")
            + string.Join('\n', tasks)
            + (done < phase.Tasks.Count ? "\nOpen ones stay on `/today`; `/done` ticks them off." : string.Empty);
        return question with
        {
            Title = $"Phase {phase.Number.ToString(CultureInfo.InvariantCulture)} check-in · {question.Title}",
            Blocks = [review, .. question.Blocks, CheckInFooter(snapshot, settings)],
            Ephemeral = false,
        };
    }

    /// <summary>The last message of a pathway: all tasks done, or the planned weeks over.</summary>
    public static Reply Finale(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var progress = snapshot.Progress;
        var pathway = snapshot.Pathway;
        var text = progress.IsComplete
            ? $"Congratulations! You finished every task of {pathway.Title}: {Text.Plural(progress.Total, "task")} over {Text.Plural(pathway.TotalWeeks, "week")}."
            : $"Your {Text.Plural(pathway.TotalWeeks, "planned week")} of {pathway.Title} are over. Well done for getting this far: "
                + $"{progress.Done} of {Text.Plural(progress.Total, "task")} done; the open ones stay on `/today` whenever you want them.";
        return Reply.Public(
            "🎉 " + CoachViews.Title(snapshot),
            text,
            CoachViews.ProgressLine(progress),
            "This is my last weekly message for this pathway. `/progress` shows the whole journey; `/pathways` lists where to go next.");
    }

    /// <summary>A DM that could not be delivered, posted in the group channel instead (the platform adds the mention).</summary>
    public static Reply ChannelFallback(Reply direct)
    {
        ArgumentNullException.ThrowIfNull(direct);
        return direct with
        {
            Blocks = ["I could not DM you (your DMs are closed to me), so this is here instead. Allow DMs from this server's members to get it privately.", .. direct.Blocks],
            Ephemeral = false,
        };
    }

    /// <summary>
    /// The weekly group digest: members per pathway with their place and progress, who checked in during the week before
    /// <paramref name="weekEnd"/>, and the blockers shared. Names and notes are inert text (<see cref="PublicText"/>): one line
    /// each, no markdown, no links, nobody pinged.
    /// </summary>
    public static Reply Digest(IReadOnlyList<DigestEntry> entries, DateTimeOffset weekEnd, TimeZoneInfo zone) => DigestWithLines(entries, weekEnd, zone).Reply;

    /// <summary><see cref="Digest"/>, with the lines of each member (their progress line, their blocker or note line).</summary>
    public static DigestMessage DigestWithLines(IReadOnlyList<DigestEntry> entries, DateTimeOffset weekEnd, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(entries);
        ArgumentNullException.ThrowIfNull(zone);
        var weekStart = weekEnd.AddDays(-7);
        var title = $"Weekly digest · week to {Text.Date(WeekClock.LocalDate(weekEnd, zone))}";
        var linesByMember = new Dictionary<long, IReadOnlyList<string>>();
        if (entries.Count == 0)
        {
            return new DigestMessage(Reply.Public(title, "Nobody here is enrolled yet; `/pathways` lists the pathways and `/enroll` starts one."), linesByMember);
        }

        void Remember(EnrolmentSnapshot snapshot, string line) =>
            linesByMember[snapshot.Row.MemberId] = [.. linesByMember.GetValueOrDefault(snapshot.Row.MemberId) ?? [], line];

        var blocks = new List<string>();
        var blockers = new List<string>();
        foreach (var pathwayGroup in entries.GroupBy(entry => entry.Snapshot.Pathway.Id, StringComparer.Ordinal).OrderBy(group => group.Key, StringComparer.Ordinal))
        {
            var lines = new List<string>();
            var checkedIn = 0;
            foreach (var entry in pathwayGroup.OrderBy(entry => entry.DisplayName, StringComparer.OrdinalIgnoreCase))
            {
                var answers = entry.CheckIns.Where(answer => answer.AnsweredAt > weekStart).OrderBy(answer => answer.AnsweredAt).ToList();
                var latest = answers.LastOrDefault(answer => answer.Status is not null);
                checkedIn += answers.Count > 0 ? 1 : 0;
                var checkIn = answers.Count == 0 ? "no check-in" : "checked in: " + Text.CheckIn(latest?.Status);
                var line = $"  • {PublicText.Name(entry.DisplayName)} — {Where(entry.Snapshot)} · {ProgressBar.Render(entry.Snapshot.Progress.Percent)} · {checkIn}";
                lines.Add(line);
                Remember(entry.Snapshot, line);
                var note = answers.LastOrDefault(answer => answer.Note is not null)?.Note;
                if (latest?.Status == CheckInStatus.Blocked || note is not null)
                {
                    var status = latest?.Status == CheckInStatus.Blocked ? "blocked" : "note";
                    var blocker = $"  • {PublicText.Name(entry.DisplayName)} ({status}){(note is null ? string.Empty : $": \"{PublicText.Note(note)}\"")}";
                    blockers.Add(blocker);
                    Remember(entry.Snapshot, blocker);
                }
            }

            blocks.Add($"{pathwayGroup.Key} · {Text.Plural(pathwayGroup.Count(), "member")} · {checkedIn} checked in\n" + string.Join('\n', lines));
        }

        blocks.Add(blockers.Count == 0 ? "No blockers shared this week." : "Blockers and notes shared — can someone help?\n" + string.Join('\n', blockers));
        blocks.Add("`/checkin` tells the group how your week went; `/group` shows the live view.");
        return new DigestMessage(Reply.Public(title, blocks), linesByMember);
    }

    /// <summary>
    /// The stored message with each of <paramref name="lines"/> (whole lines, once each, as
    /// <see cref="DigestWithLines"/> gave them) replaced by <see cref="RedactedLine"/>. The counts in the headings stay as
    /// the group saw them; only what showed the member goes.
    /// </summary>
    public static Reply Redact(Reply message, IReadOnlyList<string> lines)
    {
        ArgumentNullException.ThrowIfNull(message);
        ArgumentNullException.ThrowIfNull(lines);
        var blocks = message.Blocks.Select(block => block.Split('\n')).ToList();
        foreach (var line in lines)
        {
            foreach (var blockLines in blocks)
            {
                var at = Array.IndexOf(blockLines, line);
                if (at >= 0)
                {
                    blockLines[at] = RedactedLine;
                    break;
                }
            }
        }

        return message with { Blocks = [.. blocks.Select(blockLines => string.Join('\n', blockLines))] };
    }

    private static string Where(EnrolmentSnapshot snapshot) => snapshot.Position.Stage switch
    {
        ScheduleStage.NotStarted => "not started",
        ScheduleStage.Finished => "past the last week",
        _ => $"phase {snapshot.Position.Phase.Number}, week {snapshot.Position.WeekInPhase}",
    } + (snapshot.Position.IsPaused ? " (paused)" : string.Empty);
}
