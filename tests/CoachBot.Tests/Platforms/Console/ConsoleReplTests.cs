using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Pathways;
using CoachBot.Platforms.Console;
using CoachBot.Scheduling;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CoachBot.Tests.Platforms.Console;

public sealed class ConsoleReplTests
{
    [Fact]
    public async Task RunAsync_WhenACommandFails_SaysSoInOneSentenceAndGoesOn()
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
        var repl = new ConsoleRepl(new ConsoleSession(output, "alice"), router, clock, dueWork.Object, NullLogger<ConsoleRepl>.Instance);

        await repl.RunAsync(new StringReader("/enroll ai-safety\n/today\n"), interactive: false, CancellationToken.None);

        var transcript = output.ToString();
        Assert.Contains("Something went wrong with that command (the log has the details)", transcript, StringComparison.Ordinal);
        Assert.DoesNotContain("boom", transcript, StringComparison.Ordinal);
        Assert.Contains("1. ☐ Task t1", ConsoleSessionRunner.AnswerTo(transcript, "/today"), StringComparison.Ordinal);
    }
}
