using System.Diagnostics;
using System.Globalization;
using CoachBot.Discord.Testing;
using CoachBot.Testing;
using CoachBot.Tests.Storage;
using CoachBot.TestSupport;
using Microsoft.Data.Sqlite;
using Xunit.Abstractions;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// The real CoachBot executable as a child process against the fake Discord, on a SQLite file holding members whose
/// weekly reminder is due: killed with SIGKILL or stopped with SIGTERM in the middle of the fan-out, then started again
/// on the same file. Every member must end up with exactly one reminder, and every delivery row in state <c>sent</c>.
/// A short delivery lease and tick (<c>Scheduling__DeliveryLease</c>, <c>Scheduling__TickInterval</c>) let the second
/// process take over within seconds.
/// </summary>
[Collection(ChildProcessTests.Name)]
public sealed class ProcessFaultTests(ITestOutputHelper output)
{
    private const string Guild = "81384788765712384";
    private const string DeliveryLease = "00:00:02";
    private static readonly TimeSpan _takeOverTimeout = TimeSpan.FromSeconds(90);

    /// <summary><c>COACHBOT_KILL_SEED</c> when set, to replay a failure's kill points; otherwise a new one (logged).</summary>
    private static int Seed() => Environment.GetEnvironmentVariable("COACHBOT_KILL_SEED") is { Length: > 0 } given
        ? int.Parse(given, CultureInfo.InvariantCulture)
        : Random.Shared.Next();

    [Fact]
    public async Task ReminderFanOut_KilledWithSigkillAtRandomPoints_AndRestartedOnTheSameDatabase_ArrivesExactlyOnceEach()
    {
        var runs = (int)FuzzRuns.Iterations(ci: 3, full: 20);
        const int members = 60;
        var seed = Seed();
        var random = new Random(seed);
        output.WriteLine($"seed {seed} (COACHBOT_KILL_SEED={seed} replays these kill points), {runs} runs of {members} members");
        var watch = Stopwatch.StartNew();
        var totals = new RunFigures();

        for (var run = 1; run <= runs; run++)
        {
            var killAfter = random.Next(1, members + 1);
            var inFlight = random.Next(2) == 0;
            var figures = await KillAndRestartAsync(members, killAfter, inFlight);
            totals = totals.Add(figures);
            output.WriteLine(
                $"run {run}: SIGKILL {(inFlight ? "while message" : "after message")} {killAfter} of {members}; at the kill the fake had {figures.MessagesAtStop} "
                + $"and the database {figures.SentAtStop} sent; after the restart {figures.Messages} messages to {figures.Channels} channels, "
                + $"{figures.SentRows} rows sent, {figures.NonceDuplicates} resends absorbed by the nonce; take-over {figures.TakeOver.TotalSeconds:0.0} s, run {figures.Elapsed.TotalSeconds:0.0} s");
        }

        output.WriteLine(
            $"total: {runs} runs, {totals.Messages} reminders delivered to {totals.Channels} members, duplicates {totals.Messages - totals.Channels}, "
            + $"lost {runs * members - totals.Channels}, resends absorbed by the nonce {totals.NonceDuplicates}, {watch.Elapsed.TotalSeconds:0} s");
    }

    [Fact]
    public async Task ReminderFanOut_StoppedWithSigtermMidSend_ExitsZeroPromptly_AndTheRestartSendsTheRestOnce()
    {
        var runs = (int)FuzzRuns.Iterations(ci: 1, full: 5);
        const int members = 80;
        var seed = Seed();
        var random = new Random(seed);
        output.WriteLine($"seed {seed} (COACHBOT_KILL_SEED={seed} replays these stop points), {runs} runs of {members} members");

        for (var run = 1; run <= runs; run++)
        {
            var stopAt = random.Next(1, members - 20);
            var figures = await TerminateAndRestartAsync(members, stopAt);
            output.WriteLine(
                $"run {run}: SIGTERM while message {stopAt} of {members} was in flight: exit code 0 after {figures.ExitedAfter.TotalSeconds:0.00} s; at the exit the fake had "
                + $"{figures.MessagesAtStop} and the database {figures.SentAtStop} sent; after the restart {figures.Messages} messages to {figures.Channels} channels, "
                + $"{figures.SentRows} rows sent, {figures.NonceDuplicates} resends absorbed by the nonce; take-over {figures.TakeOver.TotalSeconds:0.0} s, run {figures.Elapsed.TotalSeconds:0.0} s");
        }
    }

    private static async Task<RunFigures> KillAndRestartAsync(int members, int killAfter, bool inFlight)
    {
        var watch = Stopwatch.StartNew();
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var database = await TempDatabase.CreateAsync();
        var channels = await SeedDueRemindersAsync(database, fake, members);
        var environment = BotEnvironment(fake, database);

        BotProcess? first = null;
        var killed = 0;
        fake.MessageCreated += (_, created) =>
        {
            // On the request's thread, before Discord's answer is written: the bot dies with this message created but unconfirmed.
            if (inFlight && created == killAfter && Volatile.Read(ref first) is { } bot && Interlocked.Exchange(ref killed, 1) == 0)
            {
                bot.KillHard();
            }
        };
        using (first = BotProcess.Start(environment, database.Folder))
        {
            await fake.WaitForAsync(() => fake.Messages.Count >= killAfter || first.HasExited, $"{killAfter} reminders", _takeOverTimeout);
            if (!inFlight)
            {
                first.KillHard();
            }

            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            Assert.True(fake.Messages.Count >= killAfter, "The bot stopped by itself before the kill:\n" + first.Output);
        }

        var messagesAtStop = fake.Messages.Count;
        var sentAtStop = await SentAsync(database);
        return await RestartAndCheckAsync(fake, database, environment, channels, messagesAtStop, sentAtStop, watch);
    }

    private static async Task<RunFigures> TerminateAndRestartAsync(int members, int stopAt)
    {
        var watch = Stopwatch.StartNew();
        await using var fake = await FakeDiscordServer.StartAsync();
        await using var database = await TempDatabase.CreateAsync();
        var channels = await SeedDueRemindersAsync(database, fake, members);
        var environment = BotEnvironment(fake, database);

        BotProcess? first = null;
        var terminatedAt = 0L;
        fake.MessageCreated += (_, created) =>
        {
            if (created == stopAt && Volatile.Read(ref first) is { } bot && Interlocked.CompareExchange(ref terminatedAt, Stopwatch.GetTimestamp(), 0) == 0)
            {
                bot.Terminate();
            }
        };
        int exitCode;
        TimeSpan exitedAfter;
        using (first = BotProcess.Start(environment, database.Folder))
        {
            await fake.WaitForAsync(() => Interlocked.Read(ref terminatedAt) != 0 || first.HasExited, $"{stopAt} reminders", _takeOverTimeout);
            // Promptly: within Docker's 10-second stop timeout, after which it would send SIGKILL.
            exitCode = await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
            exitedAfter = Stopwatch.GetElapsedTime(Interlocked.Read(ref terminatedAt));
            Assert.True(Interlocked.Read(ref terminatedAt) != 0, "The bot stopped by itself before SIGTERM:\n" + first.Output);
            Assert.True(exitCode == 0, $"Exit code {exitCode} after SIGTERM:\n{first.Output}");
        }

        var messagesAtStop = fake.Messages.Count;
        var sentAtStop = await SentAsync(database);

        // Handed over cleanly: the send in flight was finished and recorded, the rest stays claimed for the next start.
        Assert.Equal(messagesAtStop, sentAtStop);
        Assert.InRange(messagesAtStop, stopAt, members - 1);
        Assert.Equal(members - sentAtStop, await database.ScalarAsync("SELECT count(*) FROM deliveries WHERE state = 'claimed';"));

        var figures = await RestartAndCheckAsync(fake, database, environment, channels, messagesAtStop, sentAtStop, watch);
        return figures with { ExitedAfter = exitedAfter };
    }

    /// <summary>Starts the bot again on the same file, waits until every delivery is sent, and checks exactly-once.</summary>
    private static async Task<RunFigures> RestartAndCheckAsync(
        FakeDiscordServer fake, TempDatabase database, Dictionary<string, string> environment, IReadOnlySet<string> channels, int messagesAtStop, long sentAtStop, Stopwatch watch)
    {
        var members = channels.Count;
        var restartedAt = watch.Elapsed;
        using (var second = BotProcess.Start(environment, database.Folder))
        {
            await fake.WaitForAsync(
                () => (fake.Messages.Count >= members && Sent(database) == members) || second.HasExited, "every reminder sent and recorded", _takeOverTimeout);
            Assert.False(second.HasExited, "The restarted bot stopped:\n" + second.Output);
        }

        var messages = fake.Messages;
        var figures = new RunFigures(
            messages.Count,
            messages.Select(message => message.ChannelId).Distinct(StringComparer.Ordinal).Count(),
            await database.ScalarAsync("SELECT count(*) FROM deliveries WHERE kind = 'reminder' AND state = 'sent';"),
            fake.NonceDuplicateCount,
            messagesAtStop,
            sentAtStop,
            watch.Elapsed)
        {
            TakeOver = watch.Elapsed - restartedAt,
        };

        Assert.All(messages.GroupBy(message => message.ChannelId), channel => Assert.Single(channel));
        Assert.Equal(channels.Order(StringComparer.Ordinal), messages.Select(message => message.ChannelId).Order(StringComparer.Ordinal));
        Assert.Equal(members, figures.SentRows);
        Assert.Equal(members, await database.ScalarAsync("SELECT count(*) FROM deliveries;"));
        Assert.Empty(fake.SchemaViolations);
        return figures;
    }

    private static Dictionary<string, string> BotEnvironment(FakeDiscordServer fake, TempDatabase database)
    {
        var settings = FakeDiscordBotSettings.For(fake, database.ConnectionString, database.Folder);
        settings["Scheduling:DeliveryLease"] = DeliveryLease;
        settings["Scheduling:TickInterval"] = "00:00:01";
        settings["DOTNET_ENVIRONMENT"] = "Production";
        return FakeDiscordBotSettings.AsEnvironment(settings);
    }

    /// <summary>
    /// N members enrolled in ai-safety two weeks ago, whose weekly reminder fell due a minute ago (check-ins are days
    /// away). Half have their DM channel cached; the other half make the bot open it first. Returns every DM channel.
    /// </summary>
    private static async Task<IReadOnlySet<string>> SeedDueRemindersAsync(TempDatabase database, FakeDiscordServer fake, int members)
    {
        var now = TimeProvider.System.GetUtcNow();
        var channels = new HashSet<string>(StringComparer.Ordinal);
        await SeededDatabase.InsertEnrolledMembersAsync(database.ConnectionString, members, Guild, now.AddDays(-14), i =>
        {
            var userId = (400_000_000_000_000_000L + i).ToString(CultureInfo.InvariantCulture);
            var channel = fake.DmChannelFor(userId);
            channels.Add(channel);
            return new SeededMember(userId, i % 2 == 0 ? channel : null, now.AddMinutes(-1), now.AddDays(3));
        }, CancellationToken.None);
        return channels;
    }

    private static Task<long> SentAsync(TempDatabase database) => database.ScalarAsync("SELECT count(*) FROM deliveries WHERE state = 'sent';");

    /// <summary>Synchronous, for a wait condition.</summary>
    private static long Sent(TempDatabase database)
    {
        using var connection = new SqliteConnection(database.ConnectionString);
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "SELECT count(*) FROM deliveries WHERE state = 'sent';";
        return Convert.ToInt64(command.ExecuteScalar(), CultureInfo.InvariantCulture);
    }

    private sealed record RunFigures(
        int Messages, int Channels, long SentRows, int NonceDuplicates, int MessagesAtStop, long SentAtStop, TimeSpan Elapsed)
    {
        public RunFigures()
            : this(0, 0, 0, 0, 0, 0, TimeSpan.Zero)
        {
        }

        public TimeSpan ExitedAfter { get; init; }

        /// <summary>From the second start until every delivery was recorded as sent.</summary>
        public TimeSpan TakeOver { get; init; }

        public RunFigures Add(RunFigures run) => this with
        {
            Messages = Messages + run.Messages,
            Channels = Channels + run.Channels,
            NonceDuplicates = NonceDuplicates + run.NonceDuplicates,
        };
    }
}
