namespace CoachBot.Tests.Platforms.Console;

/// <summary><c>/remind</c>'s check-in options typed in the console, by name and by position, and what they store.</summary>
public sealed class ConsoleRemindTests : IDisposable
{
    private readonly ConsoleSessionRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task RemindCheckInOptions_ByName_MoveTheCheckIn_AndCheckInOffTurnsItOff()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/remind checkin_day:Sunday checkin_time:20:00\n/remind checkin_off:true\n/remind\n");

        Assert.Contains("check-in: Sundays at 20:00 (UTC)", ConsoleSessionRunner.AnswerTo(transcript, "/remind checkin_day:Sunday checkin_time:20:00"));
        Assert.Contains("Next check-in: Sun ", ConsoleSessionRunner.AnswerTo(transcript, "/remind checkin_day:Sunday checkin_time:20:00"));
        var summary = ConsoleSessionRunner.AnswerTo(transcript, "/remind");
        Assert.Contains("Weekly reminder: Mondays at 09:00 · check-in: off (UTC)", summary);
        Assert.DoesNotContain("Next check-in", summary);
    }

    [Fact]
    public async Task RemindCheckInOptions_ByPosition_FollowTheReminderOptions()
    {
        // Positions follow the definition: day, time, timezone, off, checkin_day, checkin_time, checkin_off.
        var transcript = await _runner.RunAsync("/remind Friday 18:00 UTC false Sunday 20:00\n");

        Assert.Contains("Weekly reminder: Fridays at 18:00 · check-in: Sundays at 20:00 (UTC)", ConsoleSessionRunner.AnswerTo(transcript, "/remind Friday 18:00 UTC false Sunday 20:00"));
    }

    [Fact]
    public async Task MyDataExport_ShowsWhetherCheckInsAreOn()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/remind checkin_off:true\n/mydata export\n");

        var export = ConsoleSessionRunner.AnswerTo(transcript, "/mydata export");
        Assert.Contains("\"check_ins_enabled\": false", export);
        Assert.Contains("\"next_check_in_at\": null", export);
    }
}
