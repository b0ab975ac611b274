using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Operations;
using CoachBot.Platforms.Console;
using CoachBot.Scheduling;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CoachBot.Tests.Platforms.Console;

public sealed class ConsoleReplTests
{
    [Fact]
    public async Task RunAsync_WhenTheSweepAfterACommandFails_ShowsTheCommandsAnswer_AndSaysOnlyTheSweepFailed()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new AdjustableClock(TimeProvider.System);
        var catalog = new PathwayCatalog([TestPathway.With("ai-safety", 2, "t1", "t2")]);
        var router = new CommandRouter(new CoachServices(database.Store, catalog, clock, new CoachSettings(TimeZoneInfo.Utc)));
        var dueWork = new Mock<IDueWorkRunner>();
        dueWork.SetupSequence(runner => runner.RunDueWorkAsync(It.IsAny<CancellationToken>()))
            .ThrowsAsync(new InvalidOperationException("boom"))
            .Returns(Task.CompletedTask);
        using var output = new StringWriter();
        using var meters = new TestMeterFactory();
        var repl = new ConsoleRepl(new ConsoleSession(output, "alice"), router, clock, dueWork.Object, new MemberZones(database.Store, new CoachSettings(TimeZoneInfo.Utc)), new CoachBotMetrics(meters, clock), NullLogger<ConsoleRepl>.Instance);

        await repl.RunAsync(new StringReader("/enroll ai-safety\n/today\n"), interactive: false, CancellationToken.None);

        // Issue 12: the enrolment went through, so the answer must not say the command went wrong.
        var transcript = output.ToString();
        var enrolAnswer = ConsoleSessionRunner.AnswerTo(transcript, "/enroll ai-safety");
        Assert.Contains("Welcome to ai-safety!", enrolAnswer, StringComparison.Ordinal);
        Assert.Contains("Scheduled messages could not be checked just now (the log has the details); the answer above stands", enrolAnswer, StringComparison.Ordinal);
        Assert.DoesNotContain("Something went wrong", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", transcript, StringComparison.Ordinal);
        Assert.Contains("1. ☐ Task t1", ConsoleSessionRunner.AnswerTo(transcript, "/today"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_CountsEachCommandAndButton_ForTheMetricsAndCoachStats()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new AdjustableClock(TimeProvider.System);
        var catalog = new PathwayCatalog([TestPathway.With("ai-safety", 2, "t1", "t2")]);
        var router = new CommandRouter(new CoachServices(database.Store, catalog, clock, new CoachSettings(TimeZoneInfo.Utc)));
        using var output = new StringWriter();
        using var meters = new TestMeterFactory();
        using var recorder = new MeasurementRecorder(meters);
        var metrics = new CoachBotMetrics(meters, clock);
        var repl = new ConsoleRepl(new ConsoleSession(output, "alice"), router, clock, Mock.Of<IDueWorkRunner>(), new MemberZones(database.Store, new CoachSettings(TimeZoneInfo.Utc)), metrics, NullLogger<ConsoleRepl>.Instance);

        await repl.RunAsync(new StringReader("/enroll ai-safety\n/today\nb1\n"), interactive: false, CancellationToken.None);

        Assert.Equal(1, recorder.Sum("coachbot.interactions", ("command", "enroll")));
        Assert.Equal(1, recorder.Sum("coachbot.interactions", ("command", "today")));
        Assert.Equal(1, recorder.Sum("coachbot.interactions", ("command", "done")));
        Assert.Equal(3, metrics.Snapshot().Interactions);
    }
}
