using CoachBot.Core.Pathways;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;
using CoachBot.TestSupport;
using CsCheck;

namespace CoachBot.Core.Tests.Schedule;

/// <summary>
/// The week clock with re-plans: a shift moves the rest of the schedule back by whole weeks, a lighter pace stretches the
/// weeks after it. Whatever sequence a member chooses, every task keeps exactly one week in the plan ahead and the
/// planned finish only moves later.
/// </summary>
public sealed class ReplanMathTests
{
    private static readonly DateOnly Start = new(2026, 11, 30); // a Monday

    [Fact]
    public void A_shift_moves_the_member_back_by_its_weeks_from_the_day_it_was_decided_and_the_finish_by_as_much()
    {
        var pathway = TestPathways.WithPhases("p", 4, 4);
        var decided = Start.AddDays(7 * 5 + 2); // Wednesday of week 6
        var shift = Replan(1, decided, ReplanKind.Shift, shiftWeeks: 3);

        var before = WeekClock.Locate(pathway, Start, [], decided.AddDays(-1), [shift]);
        var after = WeekClock.Locate(pathway, Start, [], decided, [shift]);
        var plain = WeekClock.Locate(pathway, Start, [], decided);

        Assert.Equal(6, before.OverallWeek);
        Assert.Equal(3, after.OverallWeek);
        Assert.Equal(plain.PlannedFinish.AddDays(21), after.PlannedFinish);
        // The days before the decision keep the week they had.
        Assert.Equal(plain.OverallWeek, WeekClock.Locate(pathway, Start, [], decided.AddDays(-1), [shift]).OverallWeek);
    }

    [Fact]
    public void A_lighter_pace_of_one_and_a_half_makes_each_remaining_week_take_ten_and_a_half_days()
    {
        var pathway = TestPathways.WithPhases("p", 8);
        var decided = Start.AddDays(14); // the first day of week 3
        var pace = Replan(1, decided, ReplanKind.Pace, pacePercent: 150);

        Assert.Equal(3, WeekClock.Locate(pathway, Start, [], decided.AddDays(10), [pace]).OverallWeek);
        Assert.Equal(4, WeekClock.Locate(pathway, Start, [], decided.AddDays(11), [pace]).OverallWeek);
        // Six weeks left at 10.5 days each: 63 days from the decision.
        Assert.Equal(decided.AddDays(63 - 1), WeekClock.Locate(pathway, Start, [], decided, [pace]).PlannedFinish);
        Assert.Equal(ScheduleStage.InProgress, WeekClock.Locate(pathway, Start, [], decided.AddDays(62), [pace]).Stage);
        Assert.Equal(ScheduleStage.Finished, WeekClock.Locate(pathway, Start, [], decided.AddDays(63), [pace]).Stage);
    }

    [Fact]
    public void Keep_going_changes_nothing_and_without_re_plans_the_clock_is_as_it_always_was()
    {
        var pathway = TestPathways.WithPhases("p", 3, 2);
        var pauses = new[] { new PauseRow(1, 1, Start.AddDays(10), Start.AddDays(17), null) };
        for (var day = -3; day < 60; day++)
        {
            var today = Start.AddDays(day);
            var plain = WeekClock.Locate(pathway, Start, pauses, today);
            Assert.Equal(plain, WeekClock.Locate(pathway, Start, pauses, today, [Replan(1, Start.AddDays(20), ReplanKind.KeepGoing)]));
            Assert.Equal(plain, WeekClock.Locate(pathway, Start, pauses, today, []));
        }
    }

    [Fact]
    public void Paused_days_after_a_lighter_pace_still_do_not_count()
    {
        var pathway = TestPathways.WithPhases("p", 8);
        var pace = Replan(1, Start.AddDays(14), ReplanKind.Pace, pacePercent: 200);
        var pause = new PauseRow(1, 1, Start.AddDays(20), Start.AddDays(30), null);

        var withPause = WeekClock.Locate(pathway, Start, [pause], Start.AddDays(40), [pace]);
        var without = WeekClock.Locate(pathway, Start, [], Start.AddDays(30), [pace]);

        Assert.Equal(without.EffectiveDay, withPause.EffectiveDay);
        Assert.Equal(without.PlannedFinish.AddDays(10), withPause.PlannedFinish);
    }

    /// <summary>
    /// A member's choices, as the buttons allow them: re-plans on later and later days while the pathway is under way,
    /// a shift of at most the weeks behind them, a pace only ever lighter; over pathways of any shape.
    /// </summary>
    private static readonly Gen<(Pathway Pathway, PauseRow[] Pauses, ReplanRow[] Replans)> _plans =
        Gen.Select(
                Gen.Int[1, 6].Array[1, 5],
                Gen.Select(Gen.Int[0, 90], Gen.Int[1, 20]).Array[0, 2],
                Gen.Select(Gen.Int[1, 40], Gen.Int[0, 3], Gen.Int[1, 8]).Array[0, 6])
            .Select(drawn =>
            {
                var pathway = TestPathways.WithPhases("p", drawn.Item1);
                PauseRow[] pauses = [.. drawn.Item2.Select((pause, index) => new PauseRow(index + 1, 1, Start.AddDays(pause.Item1), Start.AddDays(pause.Item1 + pause.Item2), null))];
                var replans = new List<ReplanRow>();
                var day = 0;
                var pace = Replans.NormalPace;
                foreach (var (gap, choice, weeks) in drawn.Item3)
                {
                    day += gap;
                    var on = Start.AddDays(day);
                    var position = WeekClock.Locate(pathway, Start, pauses, on, [.. replans]);
                    if (position.Stage != ScheduleStage.InProgress || position.IsPaused)
                    {
                        break;
                    }

                    var lighter = Replans.Paces.Where(offered => offered > pace).ToList();
                    var id = replans.Count + 1;
                    replans.Add(choice switch
                    {
                        0 when position.OverallWeek > 1 => Replan(id, on, ReplanKind.Shift, shiftWeeks: Math.Min(weeks, position.OverallWeek - 1)),
                        1 when lighter.Count > 0 => Replan(id, on, ReplanKind.Pace, pacePercent: pace = lighter[Math.Min(weeks, lighter.Count) - 1]),
                        _ => Replan(id, on, ReplanKind.KeepGoing),
                    });
                }

                return (pathway, pauses, replans.ToArray());
            });

    [Fact]
    public void Any_sequence_of_shifts_and_paces_keeps_every_task_in_exactly_one_week_ahead_and_the_finish_only_moves_later()
    {
        _plans.Sample(
            plan =>
            {
                var (pathway, pauses, replans) = plan;
                // The planned finish, on each decision day, before and after the decision.
                for (var i = 0; i < replans.Length; i++)
                {
                    var on = replans[i].DecidedOn;
                    var before = WeekClock.Locate(pathway, Start, pauses, on, replans[..i]).PlannedFinish;
                    var after = WeekClock.Locate(pathway, Start, pauses, on, replans[..(i + 1)]).PlannedFinish;
                    Assert.True(after >= before, $"re-plan {i + 1} ({replans[i].Kind}) moved the finish from {before} to {after}");
                }

                // From the last decision on, day by day: the week never goes back or skips one, so each task of a week
                // from here to the end is "this week's" in exactly one run of days, and the end comes.
                var from = replans.Length == 0 ? Start : replans[^1].DecidedOn;
                var first = WeekClock.Locate(pathway, Start, pauses, from, replans);
                var runs = new Dictionary<int, int> { [first.OverallWeek] = 1 };
                var previous = first;
                for (var day = from.AddDays(1); previous.Stage != ScheduleStage.Finished; day = day.AddDays(1))
                {
                    var position = WeekClock.Locate(pathway, Start, pauses, day, replans);
                    if (position.Stage == ScheduleStage.Finished)
                    {
                        Assert.Equal(pathway.TotalWeeks, previous.OverallWeek);
                        Assert.Equal(previous.PlannedFinish, day.AddDays(-1));
                    }
                    else if (position.OverallWeek != previous.OverallWeek)
                    {
                        Assert.Equal(previous.OverallWeek + 1, position.OverallWeek);
                        runs[position.OverallWeek] = runs.GetValueOrDefault(position.OverallWeek) + 1;
                    }

                    Assert.True(day < from.AddDays((pathway.TotalWeeks * 7 * 2) + 50), "the pathway never ends");
                    previous = position;
                }

                Assert.Equal(Enumerable.Range(first.OverallWeek, pathway.TotalWeeks - first.OverallWeek + 1), runs.Keys.Order());
                Assert.All(runs.Values, count => Assert.Equal(1, count));
                foreach (var task in pathway.AllTasks.Where(task => Agenda.DueWeek(pathway, task) >= first.OverallWeek))
                {
                    Assert.Equal(1, runs[Agenda.DueWeek(pathway, task)]);
                }
            },
            iter: FuzzRuns.Iterations(ci: 400, full: 20_000),
            print: plan => $"{plan.Pathway.TotalWeeks} weeks; pauses {string.Join(", ", plan.Pauses.Select(pause => $"{pause.StartedOn}..{pause.UntilOn}"))}; " + string.Join(", ", plan.Replans.Select(replan => $"{replan.DecidedOn} {replan.Kind} {replan.ShiftWeeks}w {replan.PacePercent}%")));
    }

    [Theory]
    [InlineData(ReplanKind.Shift, int.MaxValue, 100)]
    [InlineData(ReplanKind.Shift, -5, 100)]
    [InlineData(ReplanKind.Pace, 0, 0)]
    [InlineData(ReplanKind.Pace, 0, -150)]
    [InlineData(ReplanKind.Pace, 0, 175)]
    [InlineData(ReplanKind.Pace, 0, int.MaxValue)]
    public void A_damaged_stored_re_plan_is_read_safely_and_never_stops_the_clock(ReplanKind kind, int shiftWeeks, int pacePercent)
    {
        var pathway = TestPathways.WithPhases("p", 4, 4);
        foreach (var on in new[] { DateOnly.MinValue, Start.AddDays(-30), Start.AddDays(10), new DateOnly(9999, 12, 31) })
        {
            var replan = Replan(1, on, kind, shiftWeeks, pacePercent);
            foreach (var today in new[] { Start, Start.AddDays(20), Start.AddDays(400), new DateOnly(9999, 12, 31) })
            {
                var position = WeekClock.Locate(pathway, Start, [], today, [replan]);
                Assert.InRange(position.OverallWeek, 1, pathway.TotalWeeks);
            }
        }
    }

    private static ReplanRow Replan(long id, DateOnly on, ReplanKind kind, int shiftWeeks = 0, int pacePercent = Replans.NormalPace) =>
        new(id, 1, (int)id, on, kind, shiftWeeks, pacePercent, new DateTimeOffset(on.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero));
}
