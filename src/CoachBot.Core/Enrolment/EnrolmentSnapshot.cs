using CoachBot.Core.Pathways;
using CoachBot.Core.Progress;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Enrolment;

/// <summary>An enrolment with everything needed to say where the member is and what is due, at one instant.</summary>
public sealed class EnrolmentSnapshot
{
    private EnrolmentSnapshot(
        EnrolmentRow row,
        Pathway pathway,
        IReadOnlyList<PauseRow> pauses,
        CompletionLedger ledger,
        TimeZoneInfo zone,
        DateTimeOffset now)
    {
        Row = row;
        Pathway = pathway;
        Pauses = pauses;
        Ledger = ledger;
        Zone = zone;
        Now = now;
        Progress = ProgressCalculator.Calculate(pathway, row.StartDate, pauses, ledger, zone, now);
        Agenda = Schedule.Agenda.For(pathway, Position, ledger.DoneTaskIds);
    }

    public EnrolmentRow Row { get; }

    public Pathway Pathway { get; }

    public IReadOnlyList<PauseRow> Pauses { get; }

    public CompletionLedger Ledger { get; }

    public TimeZoneInfo Zone { get; }

    public DateTimeOffset Now { get; }

    public ProgressReport Progress { get; }

    public SchedulePosition Position => Progress.Position;

    /// <summary>This week's tasks and overdue ones, numbered as <c>/today</c> shows them.</summary>
    public IReadOnlyList<AgendaItem> Agenda { get; }

    public static EnrolmentSnapshot Create(
        EnrolmentRow row,
        Pathway pathway,
        IReadOnlyList<PauseRow> pauses,
        IReadOnlyList<CompletionEvent> events,
        TimeZoneInfo zone,
        DateTimeOffset now) =>
        new(row, pathway, pauses, CompletionLedger.From(events), zone, now);

    public static async Task<EnrolmentSnapshot> LoadAsync(
        ICoachStore store,
        EnrolmentRow row,
        Pathway pathway,
        TimeZoneInfo zone,
        DateTimeOffset now,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(row);
        var pauses = await store.GetPausesAsync(row.Id, cancellationToken);
        var events = await store.GetCompletionEventsAsync(row.Id, cancellationToken);
        return Create(row, pathway, pauses, events, zone, now);
    }
}
