using System.Globalization;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// Issue 13's new schedule texts ("Next reminder/Next check-in", /checkin's refusal before the start, /resume's days
/// moved, /pause's text) on enrolments stored with starts no member can type any more, and beside a pathway whose file
/// was removed: every command answers, none throws. The harness's today is Mon 7 Dec 2026 (UTC).
/// </summary>
public sealed class OddRowScheduleTextTests
{
    private readonly RouterHarness _harness = new();

    private async Task<long> StoreEnrolmentAsync(string pathwayId, string start, string? zone = null)
    {
        var member = await _harness.Store.UpsertMemberAsync(new("test", "alice"), "alice", _harness.Clock.GetUtcNow(), CancellationToken.None);
        if (zone is not null)
        {
            await _harness.RunAsync("alice", "remind", ("timezone", zone));
        }

        var row = await _harness.Store.CreateEnrolmentAsync(
            member.Id, "guild-1", pathwayId, DateOnly.Parse(start, CultureInfo.InvariantCulture), null,
            ScheduledRuns.None, _harness.Clock.GetUtcNow(), CancellationToken.None);
        return row.Id;
    }

    [Theory]
    [InlineData("0001-01-01", "UTC")]
    [InlineData("0001-01-01", "Pacific/Kiritimati")]
    [InlineData("0001-01-01", "America/Los_Angeles")]
    [InlineData("2999-01-01", "UTC")]
    [InlineData("9999-12-01", "UTC")]
    [InlineData("9999-12-01", "Pacific/Kiritimati")]
    [InlineData("9999-12-31", "America/Los_Angeles")]
    [InlineData("9999-12-31", "Pacific/Kiritimati")]
    public async Task NewScheduleTexts_OnAnOddStoredStart_Answer(string start, string zone)
    {
        var id = await StoreEnrolmentAsync("ai-safety", start, zone);

        var answers = new[]
        {
            await _harness.RunAsync("alice", "remind"),
            await _harness.RunAsync("alice", "remind", ("checkin_day", "Sunday"), ("checkin_time", "23:59")),
            await _harness.RunAsync("alice", "remind", ("checkin_off", "true")),
            await _harness.RunAsync("alice", "remind", ("checkin_off", "false")),
            await _harness.RunAsync("alice", "remind", ("off", "true")),
            await _harness.RunAsync("alice", "remind", ("day", "Saturday"), ("time", "00:00")),
            await _harness.RunAsync("alice", "checkin"),
            await _harness.PressAsync("alice", $"checkin:{id}:1:on-track"),
            await _harness.PressAsync("alice", $"checkin-note:{id}:1", "a note"),
            await _harness.RunAsync("alice", "enroll", ("pathway", "web-dev")),
            await _harness.RunAsync("alice", "pause"),
            await _harness.RunAsync("alice", "resume"),
            await _harness.RunAsync("alice", "pause", ("until", "2027-01-04")),
            await _harness.RunAsync("alice", "resume"),
        };

        Assert.All(answers, reply => Assert.False(string.IsNullOrWhiteSpace(reply.ToPlainText())));
    }

    [Fact]
    public async Task NewScheduleTexts_BesideAPathwayWhoseFileWasRemoved_StillServeTheOthers()
    {
        await StoreEnrolmentAsync("removed-pathway", "2026-11-30");
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var remind = await _harness.RunAsync("alice", "remind", ("checkin_day", "Sunday"));
        var enroll = await _harness.RunAsync("alice", "enroll", ("pathway", "web-dev"));
        var pause = await _harness.RunAsync("alice", "pause");
        var resume = await _harness.RunAsync("alice", "resume");

        Assert.Contains("Next check-in: Sun ", remind.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal("Welcome to web-dev!", enroll.Title);
        Assert.Equal("Paused", pause.Title);
        Assert.Equal("Resumed", resume.Title);
        Assert.Contains("ai-safety", resume.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("web-dev", resume.ToPlainText(), StringComparison.Ordinal);
    }

    /// <summary>
    /// A stored start whose first check-in lies past the planning horizon (9999-12-01): /checkin told a member whose
    /// check-ins are on that they are off.
    /// </summary>
    [Theory]
    [InlineData("9999-12-01")]
    [InlineData("9999-12-24")]
    public async Task Checkin_BeforeAStartPastThePlanningHorizon_DoesNotSayCheckInsAreOff(string start)
    {
        await StoreEnrolmentAsync("ai-safety", start);

        var reply = (await _harness.RunAsync("alice", "checkin")).ToPlainText();

        Assert.StartsWith("ai-safety starts on ", reply, StringComparison.Ordinal);
        Assert.DoesNotContain("check-ins are off", reply, StringComparison.Ordinal);
    }
}
