using System.Diagnostics;
using CoachBot.Discord.Testing;
using CoachBot.Testing;

namespace CoachBot.Benchmarks;

/// <summary>
/// The shipped executable (<c>dotnet CoachBot.dll bot</c>) as a child process against the fake Discord, on the same
/// database: start-up from a cold process and the bot's own resident memory, without the harness and the fake in it.
/// </summary>
internal static class BotProcessProbe
{
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(3);

    public static async Task<ProcessReport> MeasureAsync(
        BenchDatabase database, int members, int burst, Func<int, string> userId, CancellationToken cancellationToken)
    {
        // As in the in-process bursts, the fake's OpenAPI check of request bodies is off: it runs in this process and costs
        // far more CPU per callback than the bot, on the same two cores.
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { ValidateRequestBodies = false });
        var folder = Directory.CreateTempSubdirectory("coachbot-bench-process-");
        try
        {
            var watch = Stopwatch.StartNew();
            using var process = BotProcess.Start(Settings(fake, database, folder.FullName), folder.FullName);
            await fake.WaitForAsync(() => fake.IdentifyCount >= 1 || process.HasExited, "the bot process's IDENTIFY", TimeSpan.FromSeconds(60));
            var startToIdentify = watch.Elapsed;
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot process stopped before IDENTIFY (exit {process.ExitCode}): {process.Output}");
            }

            // Command registration and the first due-work tick run right after READY; memory is read once they are done.
            await Task.Delay(Settle, TimeProvider.System, cancellationToken);
            var idle = ReadStatus(process.Id);

            // A running bot has JIT-compiled its handlers long before a burst: a few first, from members outside the burst.
            await BenchmarkSuite.BurstAsync(fake, "warm-up", 4, members,
                i => fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.Member(userId(members - 1 - i))), cancellationToken);
            var today = await BenchmarkSuite.BurstAsync(fake, "/today", burst, members,
                i => fake.InjectSlashCommandAsync("today", invoker: FakeInvoker.Member(userId(i))), cancellationToken);
            var afterBurst = ReadStatus(process.Id);

            var stopping = Stopwatch.StartNew();
            process.Terminate();
            var exitCode = await process.WaitForExitAsync(TimeSpan.FromSeconds(30));
            var stopped = stopping.Elapsed;
            if (exitCode != 0)
            {
                throw new InvalidOperationException($"The bot process exited with {exitCode} on SIGTERM: {process.Output}");
            }

            return new ProcessReport(startToIdentify, idle.RssMebibytes, afterBurst.RssMebibytes, afterBurst.PeakMebibytes, today, stopped);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    /// <summary>The environment variables the bot reads its configuration from.</summary>
    private static Dictionary<string, string> Settings(FakeDiscordServer fake, BenchDatabase database, string folder)
    {
        var settings = FakeDiscordBotSettings.For(fake, database.ConnectionString, folder);
        settings["Logging:LogLevel:Default"] = "Warning";
        return FakeDiscordBotSettings.AsEnvironment(settings);
    }

    private static (double RssMebibytes, double PeakMebibytes) ReadStatus(int processId)
    {
        var status = $"/proc/{processId}/status";
        return (MachineInfo.ReadProcField(status, "VmRSS:") / 1024.0 ?? double.NaN, MachineInfo.ReadProcField(status, "VmHWM:") / 1024.0 ?? double.NaN);
    }
}
