using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;

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
    public static async Task<int> RunAsync(
        string[] args,
        TextReader input,
        TextWriter output,
        TextWriter error,
        IReadOnlyDictionary<string, string?>? configuration,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(input);
        ArgumentNullException.ThrowIfNull(error);
        if (!TryReadArguments(args, out var memberName, out var problem))
        {
            await error.WriteLineAsync(problem);
            return CoachBotApp.ExitInvalidInput;
        }

        using var host = Build(output, memberName, configuration);
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

    private static IHost Build(TextWriter output, string memberName, IReadOnlyDictionary<string, string?>? configuration)
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

        var clock = new AdjustableClock(TimeProvider.System);
        builder.Services.AddSingleton(clock);
        builder.Services.AddSingleton<TimeProvider>(clock);
        // One person at a keyboard or a piped script: no need to slow anyone down.
        builder.Services.AddSingleton(CommandRateLimit.Off);
        builder.Services.AddCoachBotCore();
        builder.Services.AddSingleton(new ConsoleSession(output, memberName));
        builder.Services.AddSingleton<IMessenger, ConsoleMessenger>();
        builder.Services.AddCoachBotDueWork();
        builder.Services.AddSingleton<ConsoleRepl>();
        return builder.BuildCoachBotHost();
    }

    private static bool TryReadArguments(string[] args, out string memberName, out string problem)
    {
        memberName = DefaultMemberName();
        problem = string.Empty;
        for (var i = 0; i < args.Length; i++)
        {
            if (args[i] == "--as" && i + 1 < args.Length)
            {
                memberName = args[++i];
            }
            else
            {
                problem = $"Unknown console argument '{args[i]}'; the console takes only --as NAME, e.g. `console --as alice`.";
                return false;
            }
        }

        return true;
    }

    private static string DefaultMemberName() =>
        Environment.GetEnvironmentVariable("USER") is { Length: > 0 } user ? user : "you";
}
