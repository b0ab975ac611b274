using System.Globalization;
using System.Text;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Progress;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Texts;

/// <summary>Pieces of text shared by replies and scheduled messages (the weekly reminder shows the same week as <c>/today</c>).</summary>
public static class CoachViews
{
    /// <summary>The custom id prefix of the check-in question's "Add a note" button, which <c>/checkin</c> answers.</summary>
    public const string CheckInNotePrefix = "checkin-note";

    /// <summary>The buttons one message can carry (Discord: 5 rows of 5).</summary>
    public const int MaxButtons = 25;

    public static string Title(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return $"{snapshot.Pathway.Id} · {snapshot.Pathway.Title}";
    }

    /// <summary>"Phase 2 · week 3 of 12 · week 11 of 48 — Foundations", or where the member stands otherwise.</summary>
    public static string Position(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var position = snapshot.Position;
        var line = position.Stage switch
        {
            ScheduleStage.NotStarted =>
                $"Starts on {Text.Date(SafeDates.AddDays(position.StartDate, position.PausedDays))} (in {Text.Plural(-position.EffectiveDay, "day")}) · {position.TotalWeeks} weeks",
            ScheduleStage.Finished => $"All {position.TotalWeeks} planned weeks are behind you",
            _ => $"{position.Describe()} — {position.Phase.Title}",
        };
        if (position.IsPaused)
        {
            var pause = snapshot.Pauses.First(candidate => WeekClock.IsPausedOn(candidate, position.Today));
            line += pause.ResumesOn is { } resumes ? $" · paused until {Text.Date(resumes)}" : " · paused (`/resume` to go on)";
        }

        return line;
    }

    /// <summary>The numbered list of this week's tasks and overdue ones.</summary>
    public static string AgendaBlock(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        if (snapshot.Position.Stage == ScheduleStage.NotStarted)
        {
            var firstWeek = Agenda.TasksOfWeek(snapshot.Pathway, 1);
            return "Week 1 will bring:\n" + string.Join('\n', firstWeek.Select(task => $"  • {task.Title}"));
        }

        if (snapshot.Agenda.Count == 0)
        {
            return "Nothing is due this week.";
        }

        var text = new StringBuilder();
        var thisWeek = snapshot.Agenda.Where(item => !item.Overdue).ToList();
        var overdue = snapshot.Agenda.Where(item => item.Overdue).ToList();
        if (thisWeek.Count > 0)
        {
            text.Append("This week:");
            foreach (var item in thisWeek)
            {
                text.Append(CultureInfo.InvariantCulture, $"\n  {item.Number}. {(item.Done ? "✓" : "☐")} {item.Task.Title}");
            }
        }

        if (overdue.Count > 0)
        {
            text.Append(text.Length > 0 ? "\n" : string.Empty).Append("Overdue:");
            foreach (var item in overdue)
            {
                var (phase, week) = WeekClock.PhaseOfWeek(snapshot.Pathway, item.DueWeek);
                text.Append(CultureInfo.InvariantCulture, $"\n  {item.Number}. ☐ {item.Task.Title} (phase {phase.Number}, week {week})");
            }
        }

        return text.ToString();
    }

    public static string? ResourcesBlock(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var phase = snapshot.Position.Phase;
        return phase.Resources.Count == 0
            ? null
            : $"Resources for phase {phase.Number}:\n"
                + string.Join('\n', phase.Resources.Select(resource => resource.Url is null ? $"  • {resource.Title}" : $"  • {resource.Title} — {resource.Url}"));
    }

    /// <summary>"[████░░░░░░] 40% · on track (4 done, 3 expected by now)".</summary>
    public static string ProgressLine(ProgressReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        var pace = report.IsComplete ? "complete"
            : report.OnTrack ? "on track"
            : $"behind by {Text.Plural(report.Expected - report.Done, "task")}";
        return $"{ProgressBar.Render(report.Percent)} · {pace} ({report.Done} of {report.Total} done, {report.Expected} expected by now)";
    }

    /// <summary>A "mark done" button per open task of the agenda.</summary>
    public static IEnumerable<ReplyButton> DoneButtons(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        return snapshot.Agenda
            .Where(item => !item.Done)
            .Take(MaxButtons)
            .Select(item => new ReplyButton(
                $"Mark \"{Text.Truncate(item.Task.Title, 66)}\" done",
                DoneActionId(snapshot.Row.Id, item.Task.Id),
                ButtonStyle.Success));
    }

    public static string DoneActionId(long enrolmentId, string taskId) => $"done:{enrolmentId}:{taskId}";

    /// <summary>The week as <c>/today</c> shows it: position, tasks, resources, progress, a button per open task.</summary>
    public static Reply Week(EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var blocks = new List<string> { Position(snapshot), AgendaBlock(snapshot) };
        if (ResourcesBlock(snapshot) is { } resources)
        {
            blocks.Add(resources);
        }

        blocks.Add(ProgressLine(snapshot.Progress));
        return new Reply(Title(snapshot), blocks, [.. DoneButtons(snapshot)], Ephemeral: true);
    }

    /// <summary>"Weekly reminder: Mondays at 09:00 · check-in: off (Europe/Berlin). Change it with `/remind`."</summary>
    public static string ReminderSummary(ReminderSettings settings, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(zone);
        var reminder = settings.RemindersEnabled
            ? $"Weekly reminder: {settings.ReminderDay}s at {Text.Time(settings.ReminderTime)}"
            : "Weekly reminder: off";
        var checkIn = settings.CheckInsEnabled
            ? $"check-in: {settings.CheckInDay}s at {Text.Time(settings.CheckInTime)}"
            : "check-in: off";
        return $"{reminder} · {checkIn} ({zone.Id}). Change it with `/remind`.";
    }

    /// <summary>"Next reminder: …" and "Next check-in: …", one line each, for those that will come; null when neither will.</summary>
    public static string? NextMessages(DateTimeOffset? nextReminder, DateTimeOffset? nextCheckIn, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var lines = new List<string>();
        if (nextReminder is { } reminder)
        {
            lines.Add($"Next reminder: {Text.LocalTime(reminder, zone)}.");
        }

        if (nextCheckIn is { } checkIn)
        {
            lines.Add($"Next check-in: {Text.LocalTime(checkIn, zone)}.");
        }

        return lines.Count == 0 ? null : string.Join('\n', lines);
    }

    /// <summary>"How did week N go?" with the answer buttons; the weekly check-in DM is the same message.</summary>
    public static Reply CheckInQuestion(EnrolmentSnapshot snapshot, int week)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var prefix = $"checkin:{snapshot.Row.Id}:{week}";
        var blocks = new List<string> { $"How did week {week} go?", ProgressLine(snapshot.Progress) };
        if (snapshot.Pathway.CheckInQuestions.Count > 0)
        {
            blocks.Add(string.Join('\n', snapshot.Pathway.CheckInQuestions.Take(3).Select(question => "• " + question)));
        }

        List<ReplyButton> buttons =
        [
            new ReplyButton("On track", prefix + ":on-track", ButtonStyle.Success),
            new ReplyButton("Behind", prefix + ":behind"),
            new ReplyButton("Blocked", prefix + ":blocked", ButtonStyle.Danger),
            new ReplyButton("Add a note", $"{CheckInNotePrefix}:{snapshot.Row.Id}:{week}", TextPrompt: "What would you like to share about this week?"),
        ];
        if (ReplanAdvice.ShouldOffer(snapshot))
        {
            var (offer, replanButtons) = ReplanViews.Offer(snapshot, week);
            blocks.Add(offer);
            buttons.AddRange(replanButtons);
        }

        return new Reply(Title(snapshot), blocks, buttons, Ephemeral: true);
    }
}
