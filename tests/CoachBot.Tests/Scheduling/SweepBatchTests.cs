using System.Text.Json;
using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Scheduling;
using CoachBot.Storage;
using CoachBot.TestSupport;
using CoachBot.Tests.Storage;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// The sweep's batch paths: due enrolments read in a few set-based queries must plan exactly as the per-row reads did,
/// and the concurrent sends of a leased chunk must still reach each member once, with every outcome recorded, also when
/// shutdown comes mid-chunk.
/// </summary>
public sealed class SweepBatchTests
{
    private static readonly DateTimeOffset MondayMidnight = new(2026, 12, 7, 0, 0, 0, TimeSpan.Zero);
    private static readonly string[] Zones = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata"];
    private static readonly string[] TaskIds = ["c1w1", "c1w2", "c1w3", "c2w1", "c2w2", "c2w3"];
    private static readonly CancellationToken None = CancellationToken.None;

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    public async Task GetDueEnrolmentsAndStates_OnRandomEnrolmentsWithPausesAndCompletions_GiveWhatThePerRowReadsGive_AndTheSamePlans(int seed)
    {
        await using var database = await TempDatabase.CreateAsync();
        var store = database.Store;
        var random = new Random(seed);
        var now = MondayMidnight.AddDays(random.Next(0, 60)).AddMinutes(random.Next(0, 24 * 60));
        var enrolments = (int)FuzzRuns.Iterations(ci: 40, full: 400);
        for (var i = 0; i < enrolments; i++)
        {
            await AddRandomEnrolmentAsync(store, random, now, i);
        }

        foreach (var kind in new[] { ScheduledKind.Reminder, ScheduledKind.CheckIn })
        {
            var batch = await store.GetDueEnrolmentsAsync(kind, now, enrolments, None);

            var expectedIds = (await AllEnrolmentsAsync(store, enrolments))
                .Select(row => (Row: row, At: kind == ScheduledKind.Reminder ? row.NextReminderAt : row.NextCheckInAt))
                .Where(entry => entry.At <= now)
                .OrderBy(entry => entry.At).ThenBy(entry => entry.Row.Id)
                .Select(entry => entry.Row.Id);
            Assert.Equal(expectedIds, batch.Select(due => due.Enrolment.Id));
            foreach (var due in batch)
            {
                var perRow = await PerRowAsync(store, due.Enrolment.Id);
                Assert.Equal(perRow.Enrolment, due.Enrolment);
                Assert.Equal(perRow.Member, due.Member);
                Assert.Equal(perRow.Settings, due.Settings);
                Assert.Equal(perRow.Pauses, due.Pauses);
                Assert.Equal(perRow.Completions, due.Completions);
                Assert.Equal(Plan(kind, perRow, now), Plan(kind, due, now));
            }
        }

        // The send-time read: the same state for any set of enrolments, and nothing for ids that do not exist.
        var ids = Enumerable.Range(1, enrolments).Where(_ => random.Next(2) == 0).Select(id => (long)id).Append(enrolments + 7).ToList();
        var states = await store.GetEnrolmentStatesAsync(ids, None);
        Assert.Equal(ids.Where(id => id <= enrolments).Order(), states.Select(state => state.Enrolment.Id).Order());
        foreach (var state in states)
        {
            var perRow = await PerRowAsync(store, state.Enrolment.Id);
            Assert.Equal(perRow.Enrolment, state.Enrolment);
            Assert.Equal(perRow.Member, state.Member);
            Assert.Equal(perRow.Settings, state.Settings);
            Assert.Equal(perRow.Pauses, state.Pauses);
            Assert.Equal(perRow.Completions, state.Completions);
        }
    }

    [Fact]
    public async Task RunDueWork_SendsConcurrentlyUpToTheLimit_AndEveryMemberGetsOneReminder_WithEveryOutcomeRecorded()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        var members = Enumerable.Range(1, 45).Select(i => $"m{i:00}").ToList();
        foreach (var member in members)
        {
            await harness.EnrolAsync(member);
        }

        // No send completes until ten are in flight at once: a runner sending one at a time would time out here.
        var messenger = new GatedMessenger(openAt: 10);
        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));

        await harness.NewRunner(messenger, new DueWorkOptions { MaxSendsInFlight = 10 }).RunDueWorkAsync(None);

        Assert.Equal(10, messenger.MaxInFlight);
        Assert.Equal(members.Count, messenger.Calls);
        Assert.Equal(members, messenger.DeliveredTo.Order(StringComparer.Ordinal));
        Assert.Equal(members.Count, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent' AND attempts = 1 AND sent_at IS NOT NULL"));
    }

    [Fact]
    public async Task RunDueWork_WhenShutdownComesWhileAChunkIsInFlight_FinishesAndRecordsThoseSends_StartsNoOther_AndTheNextRunSendsTheRestOnce()
    {
        await using var harness = await SchedulingHarness.CreateAsync(MondayMidnight);
        var members = Enumerable.Range(1, 30).Select(i => $"m{i:00}").ToList();
        foreach (var member in members)
        {
            await harness.EnrolAsync(member);
        }

        harness.Clock.SetUtcNow(MondayMidnight.AddHours(9));
        using var sigterm = new CancellationTokenSource();
        // Ten sends are in flight when SIGTERM arrives; the platform then accepts all ten.
        var messenger = new GatedMessenger(openAt: 10, onOpen: sigterm.Cancel);

        await Assert.ThrowsAnyAsync<OperationCanceledException>(
            () => harness.NewRunner(messenger, new DueWorkOptions { MaxSendsInFlight = 10 }).RunDueWorkAsync(sigterm.Token));
        var callsBeforeRestart = messenger.Calls;
        var recordedSent = await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent'");
        harness.Clock.Advance(TimeSpan.FromMinutes(3));
        await harness.NewRunner(messenger).RunDueWorkAsync(None);

        Assert.Equal(10, callsBeforeRestart);
        Assert.Equal(10, recordedSent);
        Assert.Equal(members.Count, messenger.Calls);
        Assert.Equal(members, messenger.DeliveredTo.Order(StringComparer.Ordinal));
        Assert.Equal(members.Count, await harness.DeliveriesAsync("kind = 'reminder' AND state = 'sent' AND attempts = 1"));
    }

    private static async Task AddRandomEnrolmentAsync(SqliteCoachStore store, Random random, DateTimeOffset now, int index)
    {
        var zone = random.Next(3) == 0 ? null : Zones[random.Next(Zones.Length)];
        var member = await store.UpsertMemberAsync(new MemberKey(SchedulingHarness.Platform, "u" + index), "User " + index, now, None);
        if (random.Next(4) == 0)
        {
            // Members who moved their slots; the rest keep the default settings (no row).
            var settings = new ReminderSettings(
                random.Next(5) != 0, (DayOfWeek)random.Next(7), new TimeOnly(random.Next(24), random.Next(4) * 15),
                (DayOfWeek)random.Next(7), new TimeOnly(random.Next(24), random.Next(4) * 15), CheckInsEnabled: random.Next(5) != 0);
            await store.SaveReminderSettingsAsync(member.Id, settings, zone, new Dictionary<long, ScheduledRuns>(), None);
        }

        var start = DateOnly.FromDateTime(now.UtcDateTime).AddDays(-random.Next(-7, 60));
        var runs = new ScheduledRuns(RandomRun(random, now), RandomRun(random, now));
        var enrolment = await store.CreateEnrolmentAsync(member.Id, SchedulingHarness.Guild, "course", start, zone, runs, now.AddDays(-90), None);
        for (var i = random.Next(0, 6); i > 0; i--)
        {
            var kind = random.Next(5) == 0 ? CompletionKind.Undo : CompletionKind.Done;
            var at = now.AddMinutes(-random.Next(1, 60 * 24 * 50));
            await store.AppendCompletionAsync(enrolment.Id, "course", TaskIds[random.Next(TaskIds.Length)], kind, at, None);
        }

        var pauseDay = start.AddDays(random.Next(0, 40));
        for (var i = random.Next(0, 3); i > 0; i--)
        {
            DateOnly? until = random.Next(2) == 0 ? null : pauseDay.AddDays(random.Next(1, 15));
            await store.StartPausesAsync([new PauseStart(enrolment.Id, pauseDay, until, runs)], None);
            var ended = pauseDay.AddDays(random.Next(1, 10));
            if (random.Next(2) == 0)
            {
                await store.EndPausesAsync([new PauseEnd(enrolment.Id, ended, runs)], None);
            }

            pauseDay = ended.AddDays(random.Next(1, 10));
        }
    }

    private static DateTimeOffset? RandomRun(Random random, DateTimeOffset now) =>
        random.Next(6) == 0 ? null : now.AddMinutes(random.Next(-3 * 24 * 60, 2 * 24 * 60));

    private static async Task<List<EnrolmentRow>> AllEnrolmentsAsync(SqliteCoachStore store, int count)
    {
        var rows = new List<EnrolmentRow>();
        for (var id = 1; id <= count; id++)
        {
            rows.Add((await store.GetEnrolmentAsync(id, None))!);
        }

        return rows;
    }

    /// <summary>What the sweep read before batching: one query each for the member, the settings, the pauses and the events.</summary>
    private static async Task<DueEnrolment> PerRowAsync(SqliteCoachStore store, long enrolmentId)
    {
        var enrolment = (await store.GetEnrolmentAsync(enrolmentId, None))!;
        var member = (await store.GetMemberAsync(enrolment.MemberId, None))!;
        return new DueEnrolment(
            enrolment,
            member,
            await store.GetReminderSettingsAsync(member.Id, None),
            await store.GetPausesAsync(enrolment.Id, None),
            await store.GetCompletionEventsAsync(enrolment.Id, None));
    }

    private static (SlotOutcome, DeliveryKey?, DateTimeOffset?, string?) Plan(ScheduledKind kind, DueEnrolment due, DateTimeOffset now)
    {
        Assert.True(SchedulingHarness.Pathways.TryGet(due.Enrolment.PathwayId, out var pathway));
        var snapshot = EnrolmentSnapshot.Create(due.Enrolment, pathway, due.Pauses, due.Completions, SchedulingHarness.Settings.ZoneOf(due.Member), now);
        var dueAt = (kind == ScheduledKind.Reminder ? due.Enrolment.NextReminderAt : due.Enrolment.NextCheckInAt)!.Value;
        var plan = DuePlanner.DecideSlot(kind, dueAt, new SlotFacts(due.Enrolment, pathway, due.Pauses, snapshot.Ledger, snapshot.Zone), due.Settings, now);
        // The text the sender would render from this state under the decided key.
        var message = plan is { Outcome: SlotOutcome.Send, Key: { } key } ? DuePlanner.Render(key, snapshot, due.Settings) : null;
        return (plan.Outcome, plan.Key, plan.NextAt, message is null ? null : JsonSerializer.Serialize(message));
    }

    /// <summary>
    /// Like Discord with <c>enforce_nonce</c> (one message per nonce), but every send waits until <c>openAt</c> sends are in
    /// flight at once (then <c>onOpen</c> runs, and from then on sends pass straight through). A runner that sends one at a
    /// time never opens the gate: its first send fails after a few seconds instead of hanging the test.
    /// </summary>
    private sealed class GatedMessenger(int openAt, Action? onOpen = null) : IMessenger
    {
        private readonly TaskCompletionSource _open = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly Lock _gate = new();
        private readonly HashSet<string> _nonces = [];
        private readonly List<string> _deliveredTo = [];
        private int _inFlight;
        private int _maxInFlight;
        private int _calls;

        public int Calls => Volatile.Read(ref _calls);

        public int MaxInFlight => Volatile.Read(ref _maxInFlight);

        public IReadOnlyList<string> DeliveredTo
        {
            get
            {
                lock (_gate)
                {
                    return [.. _deliveredTo];
                }
            }
        }

        public async Task<DeliveryResult> SendToMemberAsync(MemberRef member, Reply message, string nonce, CancellationToken cancellationToken)
        {
            Interlocked.Increment(ref _calls);
            var inFlight = Interlocked.Increment(ref _inFlight);
            lock (_gate)
            {
                _maxInFlight = Math.Max(_maxInFlight, inFlight);
            }

            try
            {
                if (inFlight == openAt && !_open.Task.IsCompleted)
                {
                    onOpen?.Invoke();
                    _open.TrySetResult();
                }

                // Not cancellable: a request already on the wire completes whatever the process does meanwhile.
                await _open.Task.WaitAsync(TimeSpan.FromSeconds(10), TimeProvider.System, CancellationToken.None);
                lock (_gate)
                {
                    if (_nonces.Add(nonce))
                    {
                        _deliveredTo.Add(member.UserId);
                    }
                }

                return DeliveryResult.Delivered;
            }
            finally
            {
                Interlocked.Decrement(ref _inFlight);
            }
        }

        public Task<DeliveryResult> PostToChannelAsync(
            string platform, string channelId, Reply message, string nonce, IReadOnlyList<string> mentionUserIds, CancellationToken cancellationToken) =>
            Task.FromResult(DeliveryResult.Failed("No group channel in these tests."));
    }
}
