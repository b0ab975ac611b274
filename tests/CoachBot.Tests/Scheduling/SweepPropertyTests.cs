using System.Globalization;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Testing;
using CoachBot.TestSupport;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.Time.Testing;
using Xunit.Abstractions;

namespace CoachBot.Tests.Scheduling;

/// <summary>
/// Issue 12's property: random sessions of 1–30 commands by 5 members with random option values (dates anywhere in
/// DateOnly's range, unknown and odd time zones, pauses, resumes, unenrolments), then 60 simulated days of sweeps on a
/// real SQLite file. No command answers "Something went wrong" (throws), no sweep throws, and every member gets exactly
/// the reminders and check-ins their stored settings call for, counted day by day here rather than by the planner.
/// Seeded: the seed is in every failure message; <c>COACHBOT_PROPERTY_SEED</c> replays one.
/// </summary>
public sealed class SweepPropertyTests(ITestOutputHelper output)
{
    private const int MembersPerSession = 5;
    private const int SessionsPerDatabase = 25;
    private const int Days = 60;
    private const string Platform = "prop";

    /// <summary>Monday 7 Dec 2026, 10:00 UTC: the sessions happen here, the sweeps over the 60 days after.</summary>
    private static readonly DateTimeOffset SessionTime = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    // One phase of 70 weeks: a start at most a year back never finishes within the 60 days, and no phase check-in falls
    // in them, so every check-in is a weekly one and every reminder a weekly one.
    private static readonly PathwayCatalog _pathways = new([Long("long-a"), Long("long-b")]);

    private static readonly CoachSettings _settings = new(TimeZoneInfo.Utc);

    private static readonly string[] _zones =
    [
        "UTC", "Europe/Berlin", "America/New_York", "Asia/Kathmandu", "Pacific/Kiritimati", "Etc/GMT+12", "America/St_Johns",
        "Australia/Lord_Howe", "Pacific/Chatham", "Mars/Base", "", "utc", "Europe/Nowhere", "+05:00", "Local",
    ];

    [Fact]
    public async Task RandomSessions_ThenSixtyDaysOfSweeps_NeverThrow_AndEveryMemberGetsEachMessageOnce()
    {
        var seed = Environment.GetEnvironmentVariable("COACHBOT_PROPERTY_SEED") is { Length: > 0 } fixedSeed
            ? int.Parse(fixedSeed, CultureInfo.InvariantCulture)
            : Random.Shared.Next();
        var databases = (int)FuzzRuns.Iterations(ci: 1, full: 20);
        output.WriteLine($"seed {seed} (COACHBOT_PROPERTY_SEED={seed} replays it), {databases} x {SessionsPerDatabase} sessions");
        var random = new Random(seed);
        for (var database = 0; database < databases; database++)
        {
            await RunDatabaseAsync(random, seed, database);
        }
    }

    private async Task RunDatabaseAsync(Random random, int seed, int database)
    {
        await using var db = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(SessionTime);
        var router = new CommandRouter(new CoachServices(db.Store, _pathways, clock, _settings));
        var transcript = new List<string>();
        for (var session = 0; session < SessionsPerDatabase; session++)
        {
            var guild = $"g{database}-{session}";
            var commands = random.Next(1, 31);
            for (var i = 0; i < commands; i++)
            {
                // Three seconds apart: at most four commands in any member's ten seconds, under the rate limit.
                clock.Advance(TimeSpan.FromSeconds(3));
                var user = $"{guild}-u{random.Next(MembersPerSession)}";
                var (name, options) = RandomCommand(random);
                var line = $"{user}: /{name} {string.Join(' ', options.Select(option => $"{option.Key}:{option.Value}"))}";
                transcript.Add(line);
                var member = new MemberRef(Platform, guild, user);
                Reply reply;
                try
                {
                    reply = await router.HandleAsync(new CommandRequest(member, user, IsOrganiser: false, name, options), CancellationToken.None);
                    if (name == "unenroll" && reply.Buttons.FirstOrDefault(button => button.ActionId.StartsWith("unenroll:", StringComparison.Ordinal)) is { } leave)
                    {
                        clock.Advance(TimeSpan.FromSeconds(3));
                        reply = await router.HandleActionAsync(new ActionRequest(member, user, false, leave.ActionId), CancellationToken.None);
                    }
                }
                catch (Exception failure) when (failure is not OperationCanceledException)
                {
                    Assert.Fail($"seed {seed}: '{line}' would answer \"Something went wrong\": {failure}\n{string.Join('\n', transcript.TakeLast(30))}");
                    throw;
                }

                Assert.False(reply.ToPlainText().Contains("Something went wrong", StringComparison.Ordinal), $"seed {seed}: '{line}' answered {reply.ToPlainText()}");
            }
        }

        var start = clock.GetUtcNow();
        var end = start.AddDays(Days);
        var messenger = new RecordingMessenger(clock);
        using var meters = new TestMeterFactory();
        var runner = SqliteDueWorkRunner.Create(db.ConnectionString, _pathways, messenger, clock, new CoachBotMetrics(meters, clock));

        // From one due instant to the next (the production job ticks each minute; nothing is due in between), so each
        // message arrives at its due time.
        var ticks = 0;
        while (await runner.NextDueAtAsync(CancellationToken.None) is { } next && next <= end)
        {
            clock.SetUtcNow(next > clock.GetUtcNow() ? next : clock.GetUtcNow());
            try
            {
                await runner.RunDueWorkAsync(CancellationToken.None);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                Assert.Fail($"seed {seed}: the sweep at {clock.GetUtcNow():u} threw: {failure}");
            }

            Assert.True(++ticks < 100_000, $"seed {seed}: the sweep does not move on at {clock.GetUtcNow():u}");
        }

        Assert.Equal(0, await db.Store.CountQuarantinedAsync(null, null, CancellationToken.None));
        var checkedMembers = 0;
        foreach (var (member, enrolments) in await MembersAsync(db))
        {
            var zone = _settings.ZoneOf(member);
            var settings = await db.Store.GetReminderSettingsAsync(member.Id, CancellationToken.None);

            // Whole local days strictly inside the window, so a slot on its first or last day is not half counted.
            var firstDay = Local(start, zone).AddDays(1);
            var lastDay = Local(end, zone).AddDays(-1);
            var expectedReminders = 0;
            var expectedCheckIns = 0;
            foreach (var enrolment in enrolments)
            {
                var pauses = await db.Store.GetPausesAsync(enrolment.Id, CancellationToken.None);
                expectedReminders += settings.RemindersEnabled ? Slots(settings.ReminderDay, enrolment.StartDate, pauses, firstDay, lastDay, minimumDay: 0) : 0;
                expectedCheckIns += Slots(settings.CheckInDay, enrolment.StartDate, pauses, firstDay, lastDay, minimumDay: 3);
            }

            var received = messenger.DmsTo(member.UserId).Where(message => Local(message.At, zone) >= firstDay && Local(message.At, zone) <= lastDay).ToList();
            var reminders = received.Count(message => message.Message.Title!.StartsWith("Weekly reminder", StringComparison.Ordinal));
            var checkIns = received.Count(message => message.Message.Title!.StartsWith("Weekly check-in", StringComparison.Ordinal));
            var context = $"seed {seed}: {member.UserId} ({member.TimeZoneId ?? "default zone"}, "
                + $"{string.Join(", ", enrolments.Select(enrolment => $"{enrolment.PathwayId} from {enrolment.StartDate:yyyy-MM-dd}"))}, {settings})";
            Assert.True(expectedReminders == reminders, $"{context}: {reminders} reminders, expected {expectedReminders}");
            Assert.True(expectedCheckIns == checkIns, $"{context}: {checkIns} check-ins, expected {expectedCheckIns}");
            Assert.True(received.Count == reminders + checkIns, $"{context}: unexpected messages {string.Join(", ", received.Select(message => message.Message.Title))}");
            checkedMembers += enrolments.Count > 0 ? 1 : 0;
        }

        output.WriteLine($"database {database}: {transcript.Count} commands, {checkedMembers} members enrolled, {messenger.Messages.Count} messages, {ticks} sweeps");
    }

    /// <summary>
    /// The weekly slots on <paramref name="day"/> between the two days that find the enrolment started and not paused, and
    /// (for check-ins) at least <paramref name="minimumDay"/> un-paused days in: the check-in asks about a week only once
    /// most of one is behind the member.
    /// </summary>
    private static int Slots(DayOfWeek day, DateOnly start, IReadOnlyList<PauseRow> pauses, DateOnly from, DateOnly to, int minimumDay)
    {
        var count = 0;
        for (var date = from; date <= to; date = date.AddDays(1))
        {
            if (date.DayOfWeek != day || date < start || IsPaused(pauses, date))
            {
                continue;
            }

            var pausedBefore = 0;
            for (var earlier = start; earlier < date; earlier = earlier.AddDays(1))
            {
                pausedBefore += IsPaused(pauses, earlier) ? 1 : 0;
            }

            count += date.DayNumber - start.DayNumber - pausedBefore >= minimumDay ? 1 : 0;
        }

        return count;
    }

    private static bool IsPaused(IReadOnlyList<PauseRow> pauses, DateOnly date) =>
        pauses.Any(pause => pause.StartedOn <= date && ((pause.EndedOn ?? pause.UntilOn) is not { } back || date < back));

    private static DateOnly Local(DateTimeOffset instant, TimeZoneInfo zone) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(instant, zone).DateTime);

    private static async Task<List<(MemberRow Member, IReadOnlyList<EnrolmentRow> Enrolments)>> MembersAsync(TempDatabase db)
    {
        var members = new List<(MemberRow, IReadOnlyList<EnrolmentRow>)>();
        var count = (int)await db.ScalarAsync("SELECT count(*) FROM members;");
        foreach (var id in Enumerable.Range(1, count))
        {
            if (await db.Store.GetMemberAsync(id, CancellationToken.None) is { } member)
            {
                members.Add((member, await db.Store.GetEnrolmentsAsync(member.Id, CancellationToken.None)));
            }
        }

        return members;
    }

    private static (string Name, Dictionary<string, string> Options) RandomCommand(Random random)
    {
        var options = new Dictionary<string, string>(StringComparer.Ordinal);
        void Maybe(string name, Func<string> value)
        {
            if (random.Next(2) == 0)
            {
                options[name] = value();
            }
        }

        string Pathway() => random.Next(10) switch { 0 => "nope", < 6 => "long-a", _ => "long-b" };
        var name = random.Next(20) switch
        {
            < 6 => "enroll",
            < 8 => "pause",
            < 10 => "resume",
            < 11 => "unenroll",
            < 13 => "remind",
            < 15 => "done",
            15 => "undo",
            16 => "today",
            17 => "progress",
            18 => "group",
            _ => "checkin",
        };
        switch (name)
        {
            case "enroll":
                options["pathway"] = Pathway();
                Maybe("start", () => RandomDate(random));
                Maybe("timezone", () => _zones[random.Next(_zones.Length)]);
                break;
            case "pause":
                Maybe("until", () => RandomDate(random));
                break;
            case "unenroll":
                Maybe("pathway", Pathway);
                break;
            case "remind":
                Maybe("day", () => random.Next(9) switch { 7 => "Someday", 8 => "fr", var day => ((DayOfWeek)day).ToString() });
                Maybe("time", () => random.Next(6) == 0 ? "25:61" : $"{random.Next(24):00}:{random.Next(60):00}");
                Maybe("timezone", () => _zones[random.Next(_zones.Length)]);
                Maybe("off", () => random.Next(4) == 0 ? "maybe" : random.Next(2) == 0 ? "true" : "false");
                break;
            case "done" or "undo":
                options["task"] = random.Next(4) == 0 ? "p1w1" : random.Next(0, 8).ToString(CultureInfo.InvariantCulture);
                Maybe("pathway", Pathway);
                break;
        }

        return (name, options);
    }

    /// <summary>Anywhere in DateOnly's range, near today, at the edges, or not a date at all.</summary>
    private static string RandomDate(Random random)
    {
        var today = DateOnly.FromDateTime(SessionTime.UtcDateTime);
        var date = random.Next(8) switch
        {
            0 => DateOnly.FromDayNumber(random.Next(DateOnly.MinValue.DayNumber, DateOnly.MaxValue.DayNumber + 1)),
            1 => DateOnly.MinValue,
            2 => DateOnly.MaxValue,
            3 => new DateOnly(226, 12, 1),
            4 => today.AddYears(random.Next(2) == 0 ? -1 : 1).AddDays(random.Next(-1, 2)),
            5 => null as DateOnly?,
            _ => today.AddDays(random.Next(-400, 400)),
        };
        return date is { } value ? value.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture) : random.Next(2) == 0 ? "2026-02-30" : "tomorrow";
    }

    private static Pathway Long(string id) => new(
        id, "A long way", "From", "To", "Summary.", Difficulty.Beginner, new MonthRange(16, 18), "+0%", "Some", [], [],
        [new Phase(1, "All of it", 70, [.. Enumerable.Range(1, 70).Select(week => new PathwayTask($"p1w{week}", $"Task {week}", 1, week))], [])],
        new ActionPlan([], [], []), new RealityCheck([], [], []), [], []);
}
