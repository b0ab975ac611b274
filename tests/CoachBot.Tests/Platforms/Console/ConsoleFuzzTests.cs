using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Operations;
using CoachBot.Pathways;
using CoachBot.Platforms;
using CoachBot.Platforms.Console;
using CoachBot.Scheduling;
using CoachBot.TestSupport;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Storage;
using CsCheck;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;

namespace CoachBot.Tests.Platforms.Console;

/// <summary>Anything typed at the console: parsed or answered with a sentence, never a crash, never a live mention.</summary>
public sealed class ConsoleFuzzTests
{
    private static readonly string[] _words =
    [
        "/enroll", "/today", "/done", "/undo", "/progress", "/remind", "/checkin", "/pause", "/resume", "/unenroll", "/group",
        "/mydata", "/coach", "/pathways", "/help", "/clock", "/as", "/nope", "/", "1", "2", "3", "4", "0", "-1", "99999999999",
        "ai-safety", "ml-fundamentals", "interpretability", "pathway:ai-safety", "task:1", "day:Friday", "time:18:00", "time:25:99",
        "timezone:Europe/Berlin", "timezone:Mars/Base", "off:true", "off:maybe", "until:2027-01-01", "until:yesterday", "start:2026-02-30",
        "export", "delete", "stats", "channel", "#study", "+7d", "+3h", "-1d", "+99999w", "@everyone", "@here", "<@123>", "<@&9>",
        "\"quoted value\"", "\"unterminated", "'single'", "a:\"b c\"", ":", "::", "\"", "'", "🎉", "مرحبا", "\u202Eevil", "\0",
        "'; DROP TABLE members; --", new string('x', 6000),
    ];

    private static readonly Gen<string> _line = Gen.Frequency(
        (8, Gen.OneOf(_words).Array[1, 6].Select(words => string.Join(' ', words))),
        (1, Gen.String[0, 80]),
        (1, Gen.Char.Array[0, 80].Select(chars => new string(chars))));

    private static readonly PathwayCatalog _shipped = PathwayDirectory.Load(RepositoryRoot.PathwaysDirectory).Catalog;

    [Fact]
    public void Tokenize_AndOptions_OfAnyLine_GiveValuesOrASentence()
    {
        Gen.Select(_line, Gen.Int[0, CommandCatalog.All.Count - 1]).Sample((line, command) =>
        {
            var tokens = TypedCommandParser.Tokenize(line);
            try
            {
                var options = TypedCommandParser.Options(CommandCatalog.All[command], tokens);
                Assert.All(options.Keys, name => Assert.Contains(CommandCatalog.All[command].Options, option => option.Name == name));
            }
            catch (CommandException problem)
            {
                Assert.False(string.IsNullOrWhiteSpace(problem.Message));
            }
        }, iter: FuzzRuns.Iterations(ci: 5_000, full: 500_000));
    }

    [Fact]
    public async Task RandomConsoleSessions_NeverCrash_AndNoAnswerHasALiveMention()
    {
        await _line.Array[1, 30].SampleAsync(RunSessionAsync, iter: FuzzRuns.Iterations(ci: 25, full: 2_000), threads: 1,
            print: lines => string.Join("\n", lines.Select(line => line.Length > 60 ? $"{line[..60]}…({line.Length})" : line)));
    }

    private static async Task RunSessionAsync(string[] lines)
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new AdjustableClock(TimeProvider.System);
        var router = new CommandRouter(new CoachServices(database.Store, _shipped, clock, new CoachSettings(TimeZoneInfo.Utc)));
        using var output = new StringWriter();
        using var meters = new TestMeterFactory();
        var repl = new ConsoleRepl(new ConsoleSession(output, "alice"), router, clock, Mock.Of<IDueWorkRunner>(), new MemberZones(database.Store, new CoachSettings(TimeZoneInfo.Utc)), new CoachBotMetrics(meters, clock), NullLogger<ConsoleRepl>.Instance);

        await repl.RunAsync(new StringReader(string.Join('\n', lines.Select(line => line.Replace('\n', ' ').Replace('\r', ' ')))), interactive: false, CancellationToken.None);

        // The transcript repeats each typed line after "> "; everything else is CoachBot talking.
        var answers = string.Join('\n', output.ToString().Split('\n').Where(line => !line.StartsWith("> ", StringComparison.Ordinal)));
        Assert.DoesNotContain("Something went wrong", answers, StringComparison.Ordinal);
        Assert.False(MentionGuard.HasLiveMention(answers), answers);
    }
}
