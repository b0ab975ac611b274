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
        DateTimeOffset now,
        IReadOnlyList<ReplanRow> replans)
    {
        Row = row;
        Pathway = pathway;
        Pauses = pauses;
        Replans = replans;
        Ledger = ledger;
        Zone = zone;
        Now = now;
        Progress = ProgressCalculator.Calculate(pathway, row.StartDate, pauses, ledger, zone, now, replans);
    }

    private IReadOnlyList<AgendaItem>? _agenda;

    public EnrolmentRow Row { get; }

    public Pathway Pathway { get; }

    public IReadOnlyList<PauseRow> Pauses { get; }

    /// <summary>The re-plans the member chose, in the order decided.</summary>
    public IReadOnlyList<ReplanRow> Replans { get; }

    public CompletionLedger Ledger { get; }

    public TimeZoneInfo Zone { get; }

    public DateTimeOffset Now { get; }

    public ProgressReport Progress { get; }

    public SchedulePosition Position => Progress.Position;

    /// <summary>This week's tasks and overdue ones, numbered as <c>/today</c> shows them.</summary>
    /// <remarks>
    /// Worked out on first use: the cohort views build a snapshot per member and most never ask for it. A pure function
    /// of the snapshot, so two threads racing here compute the same list.
    /// </remarks>
    public IReadOnlyList<AgendaItem> Agenda => _agenda ??= Schedule.Agenda.For(Pathway, Position, Ledger.DoneTaskIds);

    public static EnrolmentSnapshot Create(
        EnrolmentRow row,
        Pathway pathway,
        IReadOnlyList<PauseRow> pauses,
        IReadOnlyList<CompletionEvent> events,
        TimeZoneInfo zone,
        DateTimeOffset now,
        IReadOnlyList<ReplanRow>? replans = null) =>
        new(row, pathway, pauses, CompletionLedger.From(events), zone, now, replans ?? []);

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
        var replans = await store.GetReplansAsync(row.Id, cancellationToken);
        return Create(row, pathway, pauses, events, zone, now, replans);
    }
}
