using CoachBot.Core.Storage;

namespace CoachBot.Core.Progress;

/// <summary>
/// Which tasks are done, folded from the append-only completion events: a task is done when its latest event is
/// "done", and counts as done at that event's time. Keyed by task id only, so a task removed from the pathway file
/// keeps its completion.
/// </summary>
public sealed class CompletionLedger
{
    private readonly Dictionary<string, DateTimeOffset> _doneAt;

    private CompletionLedger(Dictionary<string, DateTimeOffset> doneAt, IReadOnlyList<CompletionEvent> evidence)
    {
        _doneAt = doneAt;
        DoneTaskIds = new HashSet<string>(doneAt.Keys, StringComparer.Ordinal);
        Evidence = evidence;
    }

    public static CompletionLedger Empty { get; } = new(new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal), []);

    /// <summary>
    /// The completions in effect that carry a note or a link (<c>/done note: link:</c>), latest first. A task un-done
    /// loses its evidence here (it stays in the history and the export).
    /// </summary>
    public IReadOnlyList<CompletionEvent> Evidence { get; }

    public IReadOnlySet<string> DoneTaskIds { get; }

    /// <summary>Task id → when it was (last) marked done.</summary>
    public IReadOnlyDictionary<string, DateTimeOffset> DoneAt => _doneAt;

    public static CompletionLedger From(IEnumerable<CompletionEvent> events)
    {
        ArgumentNullException.ThrowIfNull(events);
        var doneAt = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        var inEffect = new Dictionary<string, CompletionEvent>(StringComparer.Ordinal);
        foreach (var completion in events.OrderBy(e => e.OccurredAt).ThenBy(e => e.Id))
        {
            if (completion.Kind == CompletionKind.Done)
            {
                doneAt[completion.TaskId] = completion.OccurredAt;
                inEffect[completion.TaskId] = completion;
            }
            else
            {
                doneAt.Remove(completion.TaskId);
                inEffect.Remove(completion.TaskId);
            }
        }

        var evidence = inEffect.Values
            .Where(completion => completion.Note is not null || completion.Link is not null)
            .OrderByDescending(completion => completion.OccurredAt)
            .ThenByDescending(completion => completion.Id)
            .ToList();
        return new CompletionLedger(doneAt, evidence);
    }

    public bool IsDone(string taskId) => _doneAt.ContainsKey(taskId);
}
