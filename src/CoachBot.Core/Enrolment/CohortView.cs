using System.Diagnostics.CodeAnalysis;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Enrolment;

/// <summary>
/// One enrolment of a cohort as the cohort views (<c>/group</c>, the weekly digest, the dashboard) show it at one
/// instant: its member, pathway and check-ins, and either its <see cref="Snapshot"/> or, when it cannot be shown (its
/// rows could not be read, or its schedule cannot be worked out), the <see cref="Failure"/> that says why.
/// </summary>
public sealed record CohortRow(
    MemberRow Member,
    EnrolmentRow Enrolment,
    Pathway Pathway,
    IReadOnlyList<CheckInAnswer> CheckIns,
    EnrolmentSnapshot? Snapshot,
    Exception? Failure)
{
    [MemberNotNullWhen(true, nameof(Snapshot))]
    [MemberNotNullWhen(false, nameof(Failure))]
    public bool CanBeShown => Snapshot is not null;
}

/// <summary>
/// The per-enrolment maths of the cohort views, pure: no store, no I/O. A view reads the cohort once
/// (<see cref="ICoachStore.GetCohortAsync"/>) and builds its rows here, so the work per member is arithmetic only.
/// </summary>
public static class CohortView
{
    /// <summary>
    /// A row per enrolment of <paramref name="cohort"/> whose pathway is still loaded, in the cohort's order; an
    /// enrolment in a pathway no longer loaded has nothing to show and is left out. One enrolment that cannot be shown
    /// is a row with its <see cref="CohortRow.Failure"/>, never an exception: it costs the others nothing.
    /// </summary>
    public static IReadOnlyList<CohortRow> Rows(IReadOnlyList<CohortEnrolment> cohort, PathwayCatalog pathways, CoachSettings settings, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(cohort);
        ArgumentNullException.ThrowIfNull(pathways);
        ArgumentNullException.ThrowIfNull(settings);
        var rows = new List<CohortRow>(cohort.Count);
        foreach (var entry in cohort)
        {
            if (pathways.TryGet(entry.Enrolment.PathwayId, out var pathway))
            {
                rows.Add(Row(entry, pathway, settings, now));
            }
        }

        return rows;
    }

    private static CohortRow Row(CohortEnrolment entry, Pathway pathway, CoachSettings settings, DateTimeOffset now)
    {
        if (entry.ReadFailure is { } unreadable)
        {
            return new CohortRow(entry.Member, entry.Enrolment, pathway, entry.CheckIns, null, unreadable);
        }

        try
        {
            var snapshot = EnrolmentSnapshot.Create(entry.Enrolment, pathway, entry.Pauses, entry.Completions, settings.ZoneOf(entry.Member), now, entry.Replans);
            return new CohortRow(entry.Member, entry.Enrolment, pathway, entry.CheckIns, snapshot, null);
        }
        catch (Exception failure) when (failure is not OutOfMemoryException)
        {
            // A pathway or a pause history whose schedule cannot be worked out (an issue 12 finding): this member's row
            // says so and the rest of the cohort is still shown.
            return new CohortRow(entry.Member, entry.Enrolment, pathway, entry.CheckIns, null, failure);
        }
    }
}
