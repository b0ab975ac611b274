using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Texts;

/// <summary>The re-plan offer under a check-in and the lines of <c>/progress</c>'s re-plan history.</summary>
public static class ReplanViews
{
    /// <summary>The buttons' action ids: <c>replan:&lt;enrolment&gt;:&lt;check-in week&gt;:&lt;shift|keep|125|150|200&gt;</c>.</summary>
    public const string ActionPrefix = "replan";

    public const string ShiftArgument = "shift";

    public const string KeepArgument = "keep";

    /// <summary>The offer under a check-in: what is wrong, what each choice would do, and one button each.</summary>
    public static (string Block, IReadOnlyList<ReplyButton> Buttons) Offer(EnrolmentSnapshot snapshot, int checkInWeek)
    {
        ArgumentNullException.ThrowIfNull(snapshot);
        var report = snapshot.Progress;
        var prefix = string.Create(CultureInfo.InvariantCulture, $"{ActionPrefix}:{snapshot.Row.Id}:{checkInWeek}:");
        var lines = new List<string>
        {
            $"You are behind by {Text.Plural(report.Expected - report.Done, "task")}, more than a week's worth, for two check-ins in a row. "
                + "Want to re-plan? One button, and `/progress` keeps the history:",
        };
        var buttons = new List<ReplyButton>();
        var weeks = ReplanAdvice.WeeksMissing(snapshot);
        if (weeks > 0)
        {
            var shifted = ReplanAdvice.WithReplan(snapshot, ReplanAdvice.Decide(snapshot, checkInWeek, ReplanKind.Shift, shiftWeeks: weeks));
            lines.Add($"  • Shift: the rest of your schedule moves back {Text.Plural(weeks, "week")}, to week {shifted.OverallWeek}; planned finish {Text.Date(shifted.PlannedFinish)}.");
            buttons.Add(new ReplyButton($"Shift {Text.Plural(weeks, "week")}", prefix + ShiftArgument, ButtonStyle.Primary));
        }

        var paces = ReplanAdvice.PacesOffered(snapshot.Replans);
        if (paces.Count > 0)
        {
            var finishes = paces.Select(pace =>
                $"{Replans.Describe(pace)} → {Text.Date(ReplanAdvice.WithReplan(snapshot, ReplanAdvice.Decide(snapshot, checkInWeek, ReplanKind.Pace, pacePercent: pace)).PlannedFinish)}");
            lines.Add($"  • Lighter pace: each remaining week takes longer ({string.Join(", ", finishes)}).");
            buttons.AddRange(paces.Select(pace => new ReplyButton($"Lighter pace {Replans.Describe(pace)}", prefix + pace.ToString(CultureInfo.InvariantCulture))));
        }

        lines.Add($"  • Keep going: the plan stays; planned finish {Text.Date(snapshot.Position.PlannedFinish)}.");
        buttons.Add(new ReplyButton("Keep going", prefix + KeepArgument, ButtonStyle.Success));
        return (string.Join('\n', lines), buttons);
    }

    /// <summary>"Mon 7 Dec 2026 — moved back 3 weeks (check-in of week 5)".</summary>
    public static string Describe(ReplanRow replan)
    {
        ArgumentNullException.ThrowIfNull(replan);
        var what = replan.Kind switch
        {
            ReplanKind.Shift => $"moved back {Text.Plural(replan.ShiftWeeks, "week")}",
            ReplanKind.Pace => $"lighter pace {Replans.Describe(replan.PacePercent)}",
            _ => "kept going as planned",
        };
        return $"{Text.Date(replan.DecidedOn)} — {what} (check-in of week {replan.CheckInWeek.ToString(CultureInfo.InvariantCulture)})";
    }
}
