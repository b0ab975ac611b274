using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Scheduling;

namespace CoachBot.Tests.Storage.Postgres;

/// <summary>
/// Several processes, one outbox: two stores with pools of their own (two CoachBot processes) race on the same slots,
/// delivery keys and leases; each is won by exactly one, and a lease left by a process killed mid-send is taken over,
/// once it runs out, with the same nonce. Also the outbox's PostgreSQL-only SQL (quarantine counts with null filters,
/// retention over id batches, a digest's redaction under a member's share lock).
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresOutboxConcurrencyTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 9, 0, 0, TimeSpan.Zero);
    private static readonly CancellationToken _none = CancellationToken.None;
    private PostgresDatabase? _database;

    private PostgresDatabase Database => _database ?? throw new InvalidOperationException("Skipped: no PostgreSQL.");

    public async Task InitializeAsync()
    {
        try
        {
            _database = await PostgresDatabase.CreateAsync(postgres);
        }
        catch (PostgresUnavailableException)
        {
            // Each test skips (or fails under COACHBOT_REQUIRE_POSTGRES) with the install sentence.
        }
    }

    public async Task DisposeAsync()
    {
        if (_database is not null)
        {
            await _database.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task TwoProcessesClaimingTheSameDueSlots_WriteEachDeliveryOnce_AndMoveEachSlotOnce()
    {
        postgres.SkipUnlessAvailable();
        var enrolments = await EnrolAsync(60);
        var processes = new[] { Database.Store, Database.OpenProcess(), Database.OpenProcess() };

        // Each process plans the same due slots (its own nonces) and claims them in batches, in its own order.
        var written = await Task.WhenAll(processes.Select((store, process) => Task.Run(async () =>
        {
            var mine = 0;
            var order = process % 2 == 0 ? enrolments : [.. enrolments.AsEnumerable().Reverse()];
            foreach (var batch in order.Chunk(7))
            {
                mine += await store.ClaimSlotsAsync([.. batch.Select(id => Claim(id, $"p{process}"))], _none);
            }

            return mine;
        })));

        Assert.Equal(enrolments.Count, written.Sum());
        Assert.Equal(enrolments.Count, await Database.CountAsync("SELECT count(DISTINCT (subject, kind, period)) FROM deliveries"));
        Assert.Equal(enrolments.Count, await Database.CountAsync("SELECT count(*) FROM deliveries"));
        Assert.Equal(enrolments.Count, await Database.CountAsync($"SELECT count(*) FROM enrolments WHERE next_reminder_at = '{_now.AddDays(7):O}'"));
    }

    [SkippableFact]
    public async Task TwoProcessesClaimingTheSameDeliveryKeys_EachKeyIsWonOnce()
    {
        postgres.SkipUnlessAvailable();
        var other = Database.OpenProcess();
        var wins = new ConcurrentBag<(string Period, string Process)>();

        await Task.WhenAll(new[] { (Store: Database.Store, Name: "a"), (Store: other, Name: "b") }.Select(process => Task.Run(async () =>
        {
            for (var i = 0; i < 50; i++)
            {
                var key = new DeliveryKey("server:discord:1", "digest", $"2026-W{i:00}");
                if (await process.Store.TryClaimDeliveryAsync(new NewDelivery(key, null, null, $"{process.Name}-{i}", _now, Payload: "{}"), _none))
                {
                    wins.Add((key.Period, process.Name));
                }
            }
        })));

        Assert.Equal(50, wins.Count);
        Assert.Equal(50, wins.Select(win => win.Period).Distinct().Count());
        Assert.Equal(50, await Database.CountAsync("SELECT count(*) FROM deliveries"));
    }

    [SkippableFact]
    public async Task ThreeProcessesLeasingAtOnce_EachPendingDeliveryIsTakenByExactlyOne()
    {
        postgres.SkipUnlessAvailable();
        const int pending = 200;
        for (var i = 0; i < pending; i++)
        {
            Assert.True(await Database.Store.TryClaimDeliveryAsync(Delivery(i), _none));
        }

        var processes = new[] { Database.Store, Database.OpenProcess(), Database.OpenProcess() };
        var taken = new ConcurrentBag<(long Id, int Process)>();
        await Task.WhenAll(processes.Select((store, process) => Task.Run(async () =>
        {
            while (true)
            {
                var leased = await store.LeaseDeliveriesAsync(_now.AddMinutes(1), _now.AddMinutes(6), 9, _none);
                if (leased.Count == 0)
                {
                    return;
                }

                foreach (var delivery in leased)
                {
                    taken.Add((delivery.Id, process));
                }
            }
        })));

        Assert.Equal(pending, taken.Count);
        Assert.Equal(pending, taken.Select(take => take.Id).Distinct().Count());
        Assert.Empty(await Database.Store.LeaseDeliveriesAsync(_now.AddMinutes(5), _now.AddMinutes(10), 500, _none));
    }

    [SkippableFact]
    public async Task AProcessKilledMidSend_LeavesItsLease_AndAnotherResendsWithTheSameNonceOnceItRunsOut()
    {
        postgres.SkipUnlessAvailable();
        var enrolment = Assert.Single(await EnrolAsync(1));
        var (first, firstPool) = Database.OpenProcessWithPool();
        var second = Database.OpenProcess();
        Assert.Equal(1, await first.ClaimSlotsAsync([Claim(enrolment, "first")], _none));

        // The first process takes the send for five minutes and dies before recording anything: its connections go.
        var sending = Assert.Single(await first.LeaseDeliveriesAsync(_now, _now.AddMinutes(5), 10, _none));
        await firstPool.DisposeAsync();

        Assert.Empty(await second.LeaseDeliveriesAsync(_now.AddMinutes(4), _now.AddMinutes(9), 10, _none));
        var resend = Assert.Single(await second.LeaseDeliveriesAsync(_now.AddMinutes(5), _now.AddMinutes(10), 10, _none));
        Assert.Equal(sending, resend);
        Assert.Equal("first-" + enrolment.ToString(CultureInfo.InvariantCulture), resend.Nonce);
        Assert.Equal(0, resend.Attempts);

        await second.RecordDeliveryOutcomesAsync([new DeliveryAttempt(resend.Id, DeliveryState.Sent, _now.AddMinutes(5), null, null)], _none);
        var row = (await second.GetDeliveryAsync(resend.Key, _none))!;
        Assert.Equal((DeliveryState.Sent, 1, _now.AddMinutes(5)), (row.State, row.Attempts, row.SentAt));
        Assert.Empty(await Database.Store.LeaseDeliveriesAsync(_now.AddDays(1), _now.AddDays(2), 10, _none));
    }

    [SkippableFact]
    public async Task AClaimWaitingOnAnotherProcess_FindsTheSlotMoved_AndWritesNothing()
    {
        postgres.SkipUnlessAvailable();
        var enrolment = Assert.Single(await EnrolAsync(1));
        await using var blocker = await Database.DataSource.OpenConnectionAsync(_none);
        await using var transaction = await blocker.BeginTransactionAsync(_none);
        // Another process has moved the slot but not committed yet: this claim must wait for it, then see the new value.
        await using (var move = new Npgsql.NpgsqlCommand($"UPDATE enrolments SET next_reminder_at = next_reminder_at + interval '7 days' WHERE id = {enrolment}", blocker, transaction))
        {
            await move.ExecuteNonQueryAsync(_none);
        }

        var claim = Task.Run(() => Database.OpenProcess().ClaimSlotsAsync([Claim(enrolment, "late")], _none));
        await WaitUntilBlockedAsync();
        Assert.False(claim.IsCompleted, "the claim did not wait for the other process's row lock");
        await transaction.CommitAsync(_none);

        Assert.Equal(0, await claim);
        Assert.Equal(0, await Database.CountAsync("SELECT count(*) FROM deliveries"));
    }

    [SkippableFact]
    public async Task QuarantineAndRetention_CountAndPrune_AsOnSqlite_WithNullFiltersAndIdArrays()
    {
        postgres.SkipUnlessAvailable();
        var enrolment = Assert.Single(await EnrolAsync(1));
        var backOff = new QuarantineBackOff(TimeSpan.FromMinutes(1), TimeSpan.FromDays(1));
        var failure = new QuarantineFailure($"enrolment:{enrolment}", "reminder", "discord", "guild-1", enrolment, _now, "boom", _now);

        var firstRetry = await Database.Store.QuarantineAsync(failure, backOff, _none);
        var secondRetry = await Database.OpenProcess().QuarantineAsync(failure with { Error = "boom again", At = _now.AddMinutes(1), ExpectedAt = firstRetry }, backOff, _none);

        var item = (await Database.Store.GetQuarantinedAsync($"enrolment:{enrolment}", "reminder", _none))!;
        Assert.Equal((2, _now, _now.AddMinutes(3), "boom again"), (item.Failures, item.FirstFailedAt, item.RetryAt, item.LastError));
        Assert.Equal((_now.AddMinutes(1), _now.AddMinutes(3)), (firstRetry, secondRetry));
        Assert.Equal(secondRetry, (await Database.Store.GetEnrolmentAsync(enrolment, _none))!.NextReminderAt);
        Assert.Equal(1, await Database.Store.CountQuarantinedAsync(null, null, _none));
        Assert.Equal(1, await Database.Store.CountQuarantinedAsync("discord", "guild-1", _none));
        Assert.Equal(0, await Database.Store.CountQuarantinedAsync("discord", "guild-2", _none));

        for (var i = 0; i < 5; i++)
        {
            Assert.True(await Database.Store.TryClaimDeliveryAsync(Delivery(i) with { ClaimedAt = _now.AddDays(-100) }, _none));
        }

        Assert.Equal(5, (await Database.Store.LeaseDeliveriesAsync(_now, _now.AddMinutes(2), 10, _none)).Count);
        await Database.Store.RecordDeliveryOutcomesAsync(
            [.. Enumerable.Range(0, 4).Select(i => new DeliveryAttempt(i + 1, DeliveryState.Sent, _now.AddDays(-100), null, null))], _none);

        var pruned = await Database.Store.PruneOutboxAsync(_now.AddDays(-7), _now.AddDays(-90), 3, 10, _none);

        Assert.Equal(new OutboxPruned(4, 4), pruned);
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM deliveries WHERE state = 'claimed' AND payload IS NOT NULL"));
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM deliveries"));
    }

    [SkippableFact]
    public async Task MemberDeletingTheirData_IsRedactedFromAClaimedDigest_AndAMemberGoneBeforeTheClaimIsNeverStored()
    {
        postgres.SkipUnlessAvailable();
        var ada = await Database.Store.UpsertMemberAsync(new MemberKey("discord", "1"), "Ada", _now, _none);
        var bob = await Database.Store.UpsertMemberAsync(new MemberKey("discord", "2"), "Bob", _now, _none);
        var digest = Reply.Public("Weekly digest", "ai-safety\nAda: 3 done\nBob: 1 done\nCy: 2 done");
        var lines = new Dictionary<long, IReadOnlyList<string>> { [ada.Id] = ["Ada: 3 done"], [bob.Id] = ["Bob: 1 done"], [999_999] = ["Cy: 2 done"] };
        var key = new DeliveryKey("server:discord:guild-1", "digest", "2026-W50");

        Assert.True(await Database.OpenProcess().TryClaimDeliveryAsync(
            new NewDelivery(key, null, null, "digest-1", _now, Payload: JsonSerializer.Serialize(digest, ScheduledJsonContext.Default.Reply), MemberLines: lines), _none));
        Assert.True(await Database.Store.DeleteMemberDataAsync(new MemberKey("discord", "1"), _none));

        var pending = Assert.Single(await Database.Store.LeaseDeliveriesAsync(_now, _now.AddMinutes(2), 10, _none));
        var stored = JsonSerializer.Deserialize(pending.Payload!, ScheduledJsonContext.Default.Reply)!.ToPlainText();
        Assert.DoesNotContain("Ada", stored, StringComparison.Ordinal);
        Assert.DoesNotContain("Cy", stored, StringComparison.Ordinal);
        Assert.Contains("Bob: 1 done", stored, StringComparison.Ordinal);
        Assert.Equal(1, await Database.CountAsync("SELECT count(*) FROM delivery_members"));
        Assert.Null(await Database.Store.ExportMemberDataAsync(new MemberKey("discord", "1"), _none));
        Assert.False(await Database.Store.DeleteMemberDataAsync(new MemberKey("discord", "1"), _none));
    }

    private async Task WaitUntilBlockedAsync()
    {
        // Polled on the server's own view of lock waits, not slept for a fixed time.
        for (var poll = 0; poll < 2000; poll++)
        {
            if (await Database.CountAsync("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND datname = current_database()") > 0)
            {
                return;
            }

            await Task.Yield();
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, _none);
        }

        Assert.Fail("the claim never waited for the row lock");
    }

    private async Task<List<long>> EnrolAsync(int count)
    {
        var ids = new List<long>();
        for (var i = 0; i < count; i++)
        {
            var member = await Database.Store.UpsertMemberAsync(new MemberKey("discord", $"{1000 + i}"), $"Member {i}", _now, _none);
            var enrolment = await Database.Store.CreateEnrolmentAsync(member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), null,
                new ScheduledRuns(_now, null), _now, _none);
            ids.Add(enrolment.Id);
        }

        return ids;
    }

    private static SlotClaim Claim(long enrolment, string process) => new(
        enrolment, ScheduledKind.Reminder, _now, _now.AddDays(7),
        new NewDelivery(new DeliveryKey($"enrolment:{enrolment}", "reminder", "2026-W50"), null, enrolment, $"{process}-{enrolment}", _now, Payload: "{}"));

    private static NewDelivery Delivery(int index) =>
        new(new DeliveryKey($"server:discord:{index}", "digest", "2026-W50"), null, null, $"nonce-{index}", _now, Payload: "{}");
}
