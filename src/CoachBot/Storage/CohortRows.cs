using System.Data.Common;
using CoachBot.Core.Storage;

namespace CoachBot.Storage;

/// <summary>
/// The child rows of one cohort read (<see cref="ICoachStore.GetCohortAsync"/>), on either backend: pauses, completions,
/// check-ins and re-plans by enrolment, each list in the order read, and the first row of each enrolment that could not be read.
/// A damaged row marks its own enrolment instead of failing the read of the whole server.
/// </summary>
internal sealed class CohortRows<TReader>
    where TReader : DbDataReader
{
    private readonly Dictionary<long, Exception> _unreadable = [];

    public Dictionary<long, List<PauseRow>> Pauses { get; } = [];

    public Dictionary<long, List<CompletionEvent>> Completions { get; } = [];

    public Dictionary<long, List<CheckInAnswer>> CheckIns { get; } = [];

    public Dictionary<long, List<ReplanRow>> Replans { get; } = [];

    public static CompletionKind ParseKind(string kind) => kind switch
    {
        "done" => CompletionKind.Done,
        "undo" => CompletionKind.Undo,
        _ => throw new FormatException($"'{kind}' is not a completion kind."),
    };

    /// <summary>Reads the current result set, whose first column is the enrolment id, into <paramref name="into"/>.</summary>
    public async Task ReadAsync<T>(TReader reader, Dictionary<long, List<T>> into, Func<TReader, T> read, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(reader);
        ArgumentNullException.ThrowIfNull(into);
        ArgumentNullException.ThrowIfNull(read);
        while (await reader.ReadAsync(cancellationToken))
        {
            var enrolmentId = reader.GetInt64(0);
            try
            {
                var row = read(reader);
                if (!into.TryGetValue(enrolmentId, out var list))
                {
                    into[enrolmentId] = list = [];
                }

                list.Add(row);
            }
            catch (Exception damaged) when (damaged is FormatException or InvalidCastException or OverflowException or ArgumentException)
            {
                _unreadable.TryAdd(enrolmentId, damaged);
            }
        }
    }

    /// <summary>The cohort: each enrolment, in the given order, with its rows.</summary>
    public IReadOnlyList<CohortEnrolment> Cohort(IReadOnlyList<MemberEnrolment> enrolments) =>
    [
        .. enrolments.Select(entry => new CohortEnrolment(
            entry.Member,
            entry.Enrolment,
            Pauses.GetValueOrDefault(entry.Enrolment.Id) ?? [],
            Completions.GetValueOrDefault(entry.Enrolment.Id) ?? [],
            CheckIns.GetValueOrDefault(entry.Enrolment.Id) ?? [])
        {
            Replans = Replans.GetValueOrDefault(entry.Enrolment.Id) ?? [],
            ReadFailure = _unreadable.GetValueOrDefault(entry.Enrolment.Id),
        }),
    ];
}
