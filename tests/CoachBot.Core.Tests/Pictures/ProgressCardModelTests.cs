using CoachBot.Core.Enrolment;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Pictures;

/// <summary>The card says what the text says: the same counts, standing and dates, worked out from one snapshot.</summary>
public sealed class ProgressCardModelTests
{
    private static readonly DateOnly _start = new(2026, 11, 2);

    [Theory]
    [InlineData(0, 0, false, CardStanding.NotStarted)]
    [InlineData(3, 0, false, CardStanding.OnTrack)]
    [InlineData(10, 1, false, CardStanding.OnTrack)]
    [InlineData(24, 1, false, CardStanding.Behind)]
    [InlineData(24, 1, true, CardStanding.Paused)]
    [InlineData(60, 6, false, CardStanding.Complete)]
    public void The_card_counts_as_the_progress_report_does(int daysIn, int done, bool paused, CardStanding standing)
    {
        var snapshot = Snapshot(_start.AddDays(Math.Max(0, daysIn - 1)), done, paused, daysIn == 0 ? _start.AddDays(3) : _start);

        var card = ProgressCard.From(snapshot, "Ada");

        var report = snapshot.Progress;
        Assert.Equal(standing, card.Standing);
        Assert.Equal(report.Done, card.Phases.Sum(phase => phase.Done));
        Assert.Equal(report.Total, card.Phases.Sum(phase => phase.Total));
        Assert.Equal(report.Expected, card.Phases.Sum(phase => phase.DueByNow));
        Assert.Equal(report.Percent, card.Percent);
        Assert.InRange(card.TimelineWeek, 0, card.TotalWeeks);
        Assert.Equal(snapshot.Pathway.Phases.Sum(phase => phase.Weeks), card.TotalWeeks);
        Assert.Contains($"{card.Percent}% done", card.Description, StringComparison.Ordinal);
    }

    [Fact]
    public void Behind_says_by_how_many_tasks_and_the_alt_text_names_every_phase()
    {
        var card = ProgressCard.From(Snapshot(_start.AddDays(23), done: 1, paused: false, _start), "Ada");

        Assert.Equal("behind by 2 tasks", card.StandingText);
        Assert.Contains("Phases: 1 Phase 1 title, 1 of 2 done; 2 Phase 2 title, 0 of 3 done; 3 Phase 3 title, 0 of 1 done.", card.Description, StringComparison.Ordinal);
    }

    private static EnrolmentSnapshot Snapshot(DateOnly today, int done, bool paused, DateOnly start)
    {
        var pathway = TestPathways.WithPhases("ai-safety", 2, 3, 1);
        var row = new EnrolmentRow(1, 1, "guild-1", pathway.Id, start, EnrolmentState.Active, start.ToDateTime(TimeOnly.MinValue), null, null);
        var now = new DateTimeOffset(today.ToDateTime(new TimeOnly(12, 0)), TimeSpan.Zero);
        var events = pathway.AllTasks.Take(done).Select((task, index) => new CompletionEvent(index + 1, 1, pathway.Id, task.Id, CompletionKind.Done, now.AddHours(-1))).ToList();
        IReadOnlyList<PauseRow> pauses = paused ? [new PauseRow(1, 1, today.AddDays(-1), null, null)] : [];
        return EnrolmentSnapshot.Create(row, pathway, pauses, events, TimeZoneInfo.Utc, now);
    }
}
