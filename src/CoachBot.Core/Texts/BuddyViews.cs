using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;

namespace CoachBot.Core.Texts;

/// <summary>A buddy as their buddies see them (in <c>/buddy</c> and the weekly reminder), the Nudge button, and the nudge itself.</summary>
public static class BuddyViews
{
    /// <summary>The Nudge buttons' action ids: <c>nudge:&lt;own enrolment&gt;:&lt;buddy's enrolment&gt;</c>.</summary>
    public const string NudgeActionPrefix = "nudge";

    /// <summary>
    /// "Ana — phase 1, week 3 · finished 2 of 3 tasks of week 2": where the buddy is, and how the week that held most of
    /// the last seven days went. Names are inert text.
    /// </summary>
    public static string Line(string displayName, EnrolmentSnapshot buddy)
    {
        ArgumentNullException.ThrowIfNull(buddy);
        var name = PublicText.Name(displayName);
        var position = buddy.Position;
        if (position.IsPaused)
        {
            return $"{name} — paused for now";
        }

        if (position.Stage == ScheduleStage.NotStarted)
        {
            return $"{name} — starts on {Text.Date(SafeDates.AddDays(position.StartDate, position.PausedDays))}";
        }

        var week = Math.Max(1, position.CheckInWeek);
        var tasks = buddy.Pathway.AllTasks.Where(task => Agenda.DueWeek(buddy.Pathway, task) == week).ToList();
        var done = tasks.Count(task => buddy.Ledger.IsDone(task.Id));
        var where = position.Stage == ScheduleStage.Finished ? "past the last week" : $"phase {position.Phase.Number}, week {position.WeekInPhase}";
        return $"{name} — {where} · finished {done} of {Text.Plural(tasks.Count, "task")} of week {week.ToString(CultureInfo.InvariantCulture)}";
    }

    /// <summary>The buddy's latest evidence from the last seven days, as inert text, or null.</summary>
    public static string? LatestEvidence(EnrolmentSnapshot buddy)
    {
        ArgumentNullException.ThrowIfNull(buddy);
        var latest = buddy.Ledger.Evidence.FirstOrDefault(completion => completion.OccurredAt > buddy.Now.AddDays(-7));
        if (latest is null)
        {
            return null;
        }

        var title = buddy.Pathway.FindTask(latest.TaskId)?.Title ?? latest.TaskId;
        var parts = new[] { latest.Note is null ? null : PublicText.Note(latest.Note), latest.Link is null ? null : $"<{latest.Link}>" }.OfType<string>();
        return $"    latest: {PublicText.Inert(title, 60)} — {string.Join(" · ", parts)}";
    }

    public static ReplyButton NudgeButton(long ownEnrolmentId, long buddyEnrolmentId, string buddyName) =>
        new($"Nudge {Text.Truncate(buddyName, 60)}", string.Create(CultureInfo.InvariantCulture, $"{NudgeActionPrefix}:{ownEnrolmentId}:{buddyEnrolmentId}"), ButtonStyle.Primary);

    /// <summary>
    /// The weekly reminder with the member's buddies: a line each, and a Nudge button for each buddy not paused, before
    /// the snooze buttons (<paramref name="trailing"/> of them end the reminder); open tasks give up their buttons to
    /// keep the message within 25.
    /// </summary>
    public static Reply WithBuddies(Reply reminder, long ownEnrolmentId, IReadOnlyList<(long EnrolmentId, string Name, EnrolmentSnapshot Snapshot)> buddies, int trailing)
    {
        ArgumentNullException.ThrowIfNull(reminder);
        ArgumentNullException.ThrowIfNull(buddies);
        if (buddies.Count == 0)
        {
            return reminder;
        }

        var lines = buddies.SelectMany(buddy => new[] { "  • " + Line(buddy.Name, buddy.Snapshot), LatestEvidence(buddy.Snapshot) }.OfType<string>());
        var nudges = buddies.Where(buddy => !buddy.Snapshot.Position.IsPaused)
            .Select(buddy => NudgeButton(ownEnrolmentId, buddy.EnrolmentId, buddy.Name)).ToList();
        var tail = reminder.Buttons.TakeLast(trailing).ToList();
        var tasks = reminder.Buttons.Take(reminder.Buttons.Count - tail.Count).Take(CoachViews.MaxButtons - tail.Count - nudges.Count);
        var heading = buddies.Count == 1 ? "Your buddy this week:" : "Your buddies this week:";
        return reminder with
        {
            Blocks = [.. reminder.Blocks.SkipLast(1), heading + "\n" + string.Join('\n', lines), .. reminder.Blocks.TakeLast(1)],
            Buttons = [.. tasks, .. nudges, .. tail],
        };
    }

    /// <summary>The nudge a buddy sends: who is cheering the member on, and their week with a button per open task.</summary>
    public static Reply Nudge(string senderName, EnrolmentSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var open = snapshot.Agenda.Count(item => !item.Done);
        var week = CoachViews.Week(snapshot);
        var ask = open == 0
            ? "Everything of your week is done: a good moment to say thanks back."
            : $"You have {Text.Plural(open, "task")} open on `/today`; one small step today?";
        return week with
        {
            Title = "👋 A nudge from your buddy · " + week.Title,
            Blocks = [$"{PublicText.Name(senderName)} is cheering you on. {ask}", .. week.Blocks],
            Ephemeral = false,
        };
    }
}
