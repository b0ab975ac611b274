using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using CoachBot.Pathways;
using CoachBot.TestSupport;

namespace CoachBot.Testing;

/// <summary>
/// Members at known points of the shipped ai-safety pathway, for the picture tests and the benchmark: at the start,
/// mid-way and behind, paused, finished; and a cohort of them for the digest chart. Fixed dates, so pictures repeat.
/// </summary>
public static class PictureScenarios
{
    public static readonly DateTimeOffset Now = new(2026, 12, 2, 10, 0, 0, TimeSpan.Zero);

    private static readonly DateOnly LongAgo = new(2026, 5, 4);

    public static Pathway AiSafety { get; } = LoadAiSafety();

    public static IReadOnlyList<string> Names { get; } = ["start", "behind", "paused", "finished"];

    public static ProgressCard Card(string scenario, string? memberName = null) => ProgressCard.From(Snapshot(scenario), memberName ?? DefaultName(scenario));

    public static EnrolmentSnapshot Snapshot(string scenario, long enrolmentId = 1) => scenario switch
    {
        "start" => Create(enrolmentId, new DateOnly(2026, 11, 30), done: 0, pauses: []),
        "behind" => Create(enrolmentId, LongAgo, done: 12, pauses: []),
        "paused" => Create(enrolmentId, LongAgo, done: 17, pauses: [new PauseRow(1, enrolmentId, new DateOnly(2026, 11, 23), null, null)]),
        "finished" => Create(enrolmentId, new DateOnly(2025, 9, 1), done: int.MaxValue, pauses: []),
        _ => throw new ArgumentException($"No picture scenario '{scenario}'; there are {string.Join(", ", Names)}.", nameof(scenario)),
    };

    /// <summary>A cohort of <paramref name="members"/> spread over the scenarios, with check-ins over the last weeks.</summary>
    public static IReadOnlyList<CohortRow> Cohort(int members)
    {
        var rows = new List<CohortRow>(members);
        for (var index = 0; index < members; index++)
        {
            var id = index + 1;
            var snapshot = index % 5 == 4
                ? Create(id, LongAgo.AddDays(7 * (index % 30)), done: 10 + (index % 40), pauses: [])
                : Snapshot(Names[index % Names.Count], id);
            var member = new MemberRow(id, "discord", $"{1000 + id}", $"Member {id}", null, null, null, Now);
            var checkIns = Enumerable.Range(0, 8)
                .Where(back => (index + back) % 3 != 0)
                .Select(back => new CheckInAnswer(id, 40 - back, CheckInStatus.OnTrack, null, Now.AddDays(-7 * back).AddHours(-1)))
                .ToList();
            rows.Add(new CohortRow(member, snapshot.Row, snapshot.Pathway, checkIns, snapshot, null));
        }

        return rows;
    }

    private static string DefaultName(string scenario) => scenario switch
    {
        "start" => "Ada Lovelace",
        "behind" => "Zoë Ångström-Łukasiewicz",
        "paused" => "Алёна Σοφία",
        _ => "Grace Hopper",
    };

    private static EnrolmentSnapshot Create(long enrolmentId, DateOnly start, int done, IReadOnlyList<PauseRow> pauses)
    {
        var row = new EnrolmentRow(enrolmentId, enrolmentId, "guild-1", AiSafety.Id, start, EnrolmentState.Active, start.ToDateTime(TimeOnly.MinValue), null, null);
        var events = AiSafety.AllTasks
            .Take(done)
            .Select((task, index) => new CompletionEvent(index + 1, enrolmentId, AiSafety.Id, task.Id, CompletionKind.Done, Now.AddDays(-index % 60)))
            .ToList();
        return EnrolmentSnapshot.Create(row, AiSafety, pauses, events, TimeZoneInfo.Utc, Now);
    }

    private static Pathway LoadAiSafety()
    {
        var loaded = PathwayDirectory.Load(RepositoryRoot.PathwaysDirectory);
        return loaded.Catalog.TryGet("ai-safety", out var pathway)
            ? pathway
            : throw new InvalidOperationException("pathways/ai-safety.yaml did not load; the picture scenarios are built on it.");
    }
}
