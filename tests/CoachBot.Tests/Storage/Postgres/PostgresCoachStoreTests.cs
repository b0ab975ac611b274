using CoachBot.Core.Storage;

namespace CoachBot.Tests.Storage.Postgres;

/// <summary>
/// What is particular to PostgreSQL: values come back exactly as the SQLite store gives them (timestamptz cut to the
/// millisecond, edge dates, text ids, any Unicode), and the orders the commands show do not depend on the locale.
/// The behaviour both backends share is the contract suite's.
/// </summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresCoachStoreTests(PostgresFixture postgres) : IAsyncLifetime
{
    private static readonly DateTimeOffset _now = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);
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
    public async Task Instants_ComeBackInUtc_CutToTheMillisecond_AsOnSqlite()
    {
        postgres.SkipUnlessAvailable();
        var local = new DateTimeOffset(2026, 12, 7, 12, 30, 0, TimeSpan.FromHours(2)).AddTicks(1_234_567);

        var member = await Database.Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", local, _none);

        var read = (await Database.Store.GetMemberAsync(member.Id, _none))!;
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 10, 30, 0, 123, TimeSpan.Zero), read.CreatedAt);
        Assert.Equal(TimeSpan.Zero, read.CreatedAt.Offset);
        Assert.Equal(read, member);
    }

    [SkippableTheory]
    [InlineData("0001-01-01T00:00:00.000Z", 1, 1, 1)]
    [InlineData("9999-12-31T23:59:59.999Z", 9999, 12, 31)]
    [InlineData("1970-01-01T00:00:00.000Z", 1970, 1, 1)]
    public async Task EdgeDatesAndInstants_RoundTrip_AndCompareAsOnSqlite(string instantText, int year, int month, int day)
    {
        postgres.SkipUnlessAvailable();
        var instant = DateTimeOffset.Parse(instantText, System.Globalization.CultureInfo.InvariantCulture);
        var date = new DateOnly(year, month, day);
        var member = await Database.Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", instant, _none);

        var created = await Database.Store.CreateEnrolmentAsync(
            member.Id, "guild-1", "ai-safety", date, null, new ScheduledRuns(instant, instant), instant, _none);
        await Database.Store.StartPausesAsync([new PauseStart(created.Id, date, date, new ScheduledRuns(instant, null))], _none);

        var read = (await Database.Store.GetEnrolmentAsync(created.Id, _none))!;
        Assert.Equal(created with { State = EnrolmentState.Paused, NextCheckInAt = null }, read);
        Assert.Equal(date, read.StartDate);
        Assert.Equal(instant, read.NextReminderAt);
        Assert.Equal(instant, (await Database.Store.GetMemberAsync(member.Id, _none))!.CreatedAt);
        Assert.Equal(new PauseRow((await Database.Store.GetPausesAsync(created.Id, _none))[0].Id, created.Id, date, date, null),
            Assert.Single(await Database.Store.GetPausesAsync(created.Id, _none)));
        // Due at any later moment, never before: the edge values sort as the instants they are.
        Assert.Single(await Database.Store.GetDueEnrolmentsAsync(ScheduledKind.Reminder, instant, 10, _none));
        if (instant > DateTimeOffset.MinValue.AddDays(1))
        {
            Assert.Empty(await Database.Store.GetDueEnrolmentsAsync(ScheduledKind.Reminder, instant.AddMilliseconds(-1), 10, _none));
        }

        Assert.Equal(instant, await Database.Store.GetNextScheduledAtAsync(_none));
    }

    [SkippableFact]
    public async Task TextIdsAndUnicodeNames_ComeBackByteForByte()
    {
        postgres.SkipUnlessAvailable();
        const string snowflake = "000123456789012345678901234567890";
        const string name = "Zoë 🧑🏽‍💻 مرحبا 日本語 \u200B\t'; DROP TABLE members; --";

        var member = await Database.Store.UpsertMemberAsync(new MemberKey("discord", snowflake), name, _now, _none);
        await Database.Store.SetDmChannelAsync(member.Id, "0098765432109876543210", _none);
        var enrolment = await Database.Store.CreateEnrolmentAsync(member.Id, "dm:" + snowflake, "ai-safety", new DateOnly(2026, 12, 7), "Pacific/Kiritimati",
            new ScheduledRuns(null, null), _now, _none);
        await Database.Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, CheckInStatus.Blocked, name, _now), _none);

        var read = (await Database.Store.FindMemberAsync(new MemberKey("discord", snowflake), _none))!;
        Assert.Equal(name, read.DisplayName);
        Assert.Equal(snowflake, read.UserId);
        Assert.Equal("0098765432109876543210", read.DmChannelId);
        Assert.Equal("Pacific/Kiritimati", read.TimeZoneId);
        Assert.Equal("dm:" + snowflake, Assert.Single(await Database.Store.GetServerEnrolmentsAsync("discord", "dm:" + snowflake, _none)).Enrolment.GuildId);
        Assert.Equal(name, Assert.Single(await Database.Store.GetCheckInsAsync(enrolment.Id, _none)).Note);
        Assert.Null(await Database.Store.FindMemberAsync(new MemberKey("discord", "123456789012345678901234567890"), _none));
    }

    [SkippableFact]
    public async Task ANulOrALoneSurrogateInAName_IsStoredAsAReplacementCharacter_InsteadOfFailingTheCommand()
    {
        postgres.SkipUnlessAvailable();
        var member = await Database.Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada\0Love\uD800lace", _now, _none);
        var enrolment = await Database.Store.CreateEnrolmentAsync(member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), null, new ScheduledRuns(null, null), _now, _none);

        await Database.Store.SaveCheckInAsync(new CheckInAnswer(enrolment.Id, 1, CheckInStatus.Behind, "stuck\0", _now), _none);

        Assert.Equal("Ada\uFFFDLove\uFFFDlace", (await Database.Store.GetMemberAsync(member.Id, _none))!.DisplayName);
        Assert.Equal("Ada\uFFFDLove\uFFFDlace", member.DisplayName);
        Assert.Equal("stuck\uFFFD", Assert.Single(await Database.Store.GetCheckInsAsync(enrolment.Id, _none)).Note);
    }

    [SkippableFact]
    public async Task ServerEnrolments_AreOrderedByPathwayIdCodePoints_WhateverTheLocale()
    {
        postgres.SkipUnlessAvailable();
        var ids = new[] { "b-path", "B-path", "a-path", "Á-path", "_path" };
        foreach (var (id, index) in ids.Select((id, index) => (id, index)))
        {
            var member = await Database.Store.UpsertMemberAsync(new MemberKey("discord", $"m{index}"), "M", _now, _none);
            await Database.Store.CreateEnrolmentAsync(member.Id, "guild-1", id, new DateOnly(2026, 12, 7), null, new ScheduledRuns(null, null), _now, _none);
        }

        var listed = await Database.Store.GetServerEnrolmentsAsync("discord", "guild-1", _none);

        Assert.Equal(ids.Order(StringComparer.Ordinal), listed.Select(row => row.Enrolment.PathwayId));
    }

    [SkippableFact]
    public async Task EnrollingTwiceFromTwoProcessesAtOnce_StoresOne_AndTellsTheOtherAlreadyEnrolled()
    {
        postgres.SkipUnlessAvailable();
        var member = await Database.Store.UpsertMemberAsync(new MemberKey("discord", "42"), "Ada", _now, _none);
        var other = Database.OpenProcess();

        var attempts = await Task.WhenAll(Enumerable.Range(0, 8).Select(index => Task.Run(async () =>
        {
            try
            {
                var store = index % 2 == 0 ? Database.Store : other;
                await store.CreateEnrolmentAsync(member.Id, "guild-1", "ai-safety", new DateOnly(2026, 12, 7), "Europe/Berlin", new ScheduledRuns(null, null), _now, _none);
                return true;
            }
            catch (AlreadyEnrolledException)
            {
                return false;
            }
        })));

        Assert.Single(attempts, won => won);
        Assert.Single(await Database.Store.GetEnrolmentsAsync(member.Id, _none));
    }
}
