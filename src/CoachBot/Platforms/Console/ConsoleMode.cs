using CoachBot.Dashboard;
using System.Globalization;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Options;
using CoachBot.Scheduling;
using CoachBot.Storage;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CoachBot.Platforms.Console;

/// <summary>
/// <c>coachbot console [--as NAME]</c>: the coaching without Discord. Same configuration, SQLite store and command
/// router as the bot; a simulated clock; scheduled messages print when due. Reads a pipe too and ends at end of input.
/// </summary>
internal static class ConsoleMode
{
    public static Task<int> RunAsync(string[] args, TextReader input, TextWriter output, TextWriter error) =>
        RunAsync(args, input, output, error, configuration: null, CancellationToken.None);

    /// <param name="configuration">Settings laid over appsettings.json and the environment (tests point them at a temporary database).</param>
    public static Task<int> RunAsync(
        string[] args,
        TextReader input,
        TextWriter output,
        TextWriter error,
        IReadOnlyDictionary<string, string?>? configuration,
        CancellationToken cancellationToken) =>
        RunAsync(args, input, output, error, configuration, TimeProvider.System, cancellationToken);

    /// <param name="configuration">Settings laid over appsettings.json and the environment (tests point them at a temporary database).</param>
    /// <param name="realTime">What the simulated clock runs on: the system clock, or a test's frozen one (doc transcripts).</param>
    public static async Task<int> RunAsync(
        string[] args,
        TextReader input,
        TextWriter output,
        TextWriter error,
        IReadOnlyDictionary<string, string?>? configuration,
        TimeProvider realTime,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryReadArguments(args, out var arguments, out var problem))
        {
            await error.WriteLineAsync(problem);
            return CoachBotApp.ExitInvalidInput;
        }

        var clock = new AdjustableClock(realTime);
        if (arguments.ClockStart is { } start)
        {
            // The starting instant is a move of the simulated clock like /clock's, so everything after runs on from it.
            clock.Move(start - clock.GetUtcNow());
        }

        using var host = Build(output, arguments.MemberName, clock, configuration);
        using var databaseLock = new SqliteProcessLock();
        databaseLock.HoldFor(host);
        await host.PrepareCoachBotAsync(cancellationToken);
        await host.StartAsync(cancellationToken);
        try
        {
            var interactive = ReferenceEquals(input, System.Console.In) && !System.Console.IsInputRedirected;
            await host.Services.GetRequiredService<ConsoleRepl>().RunAsync(input, interactive, cancellationToken);
        }
        finally
        {
            await host.StopAsync(CancellationToken.None);
        }

        return CoachBotApp.ExitOk;
    }

    private static IHost Build(TextWriter output, string memberName, AdjustableClock clock, IReadOnlyDictionary<string, string?>? configuration)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings
        {
            Args = [],
            ContentRootPath = AppContext.BaseDirectory,
        });
        if (configuration is not null)
        {
            builder.Configuration.AddInMemoryCollection(configuration);
        }

        // The prompt is the interface: only warnings and errors are logged, and to stderr.
        // A provider-specific rule, so it wins over the "Information" default of appsettings.json.
        builder.Logging.ClearProviders();
        // One line per warning (e.g. a pathway file that is not read), not a header line and an indented message.
        builder.Logging.AddConsole(options => options.LogToStandardErrorThreshold = LogLevel.Trace).AddSimpleConsole(options => options.SingleLine = true);
        builder.Logging.AddFilter<ConsoleLoggerProvider>(category: null, LogLevel.Warning);

        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<TimeProvider>(clock);
        // One person at a keyboard or a piped script: no need to slow anyone down.
        builder.Services.AddSingleton(CommandRateLimit.Off);
        builder.Services.AddCoachBotCore();
        builder.Services.AddSingleton(provider => new ConsoleSession(output, memberName, ConsoleText.WidthFor(output))
        {
            FilesFolder = FilesFolder(provider.GetRequiredService<IOptions<StorageOptions>>().Value),
        });
        builder.Services.AddSingleton<MemberZones>();
        builder.Services.AddSingleton<IMessenger, ConsoleMessenger>();
        builder.Services.AddCoachBotDueWork();
        builder.Services.AddCoachBotDashboard();
        builder.Services.AddSingleton<ConsoleRepl>();
        return builder.BuildCoachBotHost();
    }

    /// <summary>The SQLite database's folder (<c>data</c> by default), or <c>data</c> with PostgreSQL or an in-memory database.</summary>
    private static string FilesFolder(StorageOptions storage)
    {
        if (storage.IsSqlite)
        {
            var dataSource = new SqliteConnectionStringBuilder(storage.CoachBot).DataSource;
            var folder = Path.GetDirectoryName(Path.GetFullPath(dataSource));
            if (!string.IsNullOrEmpty(folder) && !dataSource.StartsWith(':'))
            {
                return folder;
            }
        }

        return Path.GetFullPath("data");
    }

    private static bool TryReadArguments(string[] args, out ConsoleArguments arguments, out string problem)
    {
        arguments = new ConsoleArguments(DefaultMemberName(), ClockStart: null);
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--as" && i + 1 < args.Length)
            {
                arguments = arguments with { MemberName = args[++i] };
            }
            else if (args[i] == "--clock" && i + 1 < args.Length)
            {
                if (!TryReadClockStart(args[++i], out var start))
                {
                    problem = $"--clock takes the instant the simulated clock starts at, in UTC, like 2026-11-27T08:00 (not '{args[i]}').";
                    return false;
                }

                arguments = arguments with { ClockStart = start };
            }
            else
            {
                problem = $"Unknown console argument '{args[i]}'; the console takes --as NAME and --clock START, e.g. `console --as alice --clock 2026-11-27T08:00`.";
                return false;
            }
        }

        return true;
    }

    /// <summary>A UTC instant (<c>2026-11-27T08:00</c>, a <c>Z</c> or an offset allowed) within the years the schedule can plan.</summary>
    private static bool TryReadClockStart(string text, out DateTimeOffset start)
    {
        var parsed = DateTimeOffset.TryParse(
            text,
            CultureInfo.InvariantCulture,
            DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal,
            out start);
        return parsed && text.Contains('T', StringComparison.Ordinal) && AdjustableClock.IsWithinRange(start);
    }

    private static string DefaultMemberName() =>
        Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user : "you";

    /// <param name="ClockStart">Where the simulated clock starts (<c>--clock</c>), to replay a session exactly; null: now.</param>
    private sealed record ConsoleArguments(string MemberName, DateTimeOffset? ClockStart);
}
