using System.Diagnostics;
using System.Globalization;
using CoachBot.Discord.Testing;

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
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { HeartbeatIntervalMilliseconds = 1000, ValidateRequestBodies = false });
        var folder = Directory.CreateTempSubdirectory("coachbot-bench-process-");
        try
        {
            var start = StartInfo(fake, database, folder.FullName);
            var watch = Stopwatch.StartNew();
            using var process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the CoachBot process.");
            var output = DrainAsync(process);
            await fake.WaitForAsync(() => fake.IdentifyCount >= 1 || process.HasExited, "the bot process's IDENTIFY", TimeSpan.FromSeconds(60));
            var startToIdentify = watch.Elapsed;
            if (process.HasExited)
            {
                throw new InvalidOperationException($"The bot process stopped before IDENTIFY (exit {process.ExitCode}): {await output}");
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
            await SignalTerminateAsync(process.Id, cancellationToken);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(TimeSpan.FromSeconds(30));
            await process.WaitForExitAsync(timeout.Token);
            var stopped = stopping.Elapsed;
            if (process.ExitCode != 0)
            {
                throw new InvalidOperationException($"The bot process exited with {process.ExitCode} on SIGTERM: {await output}");
            }

            return new ProcessReport(startToIdentify, idle.RssMebibytes, afterBurst.RssMebibytes, afterBurst.PeakMebibytes, today, stopped);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }

    private static ProcessStartInfo StartInfo(FakeDiscordServer fake, BenchDatabase database, string folder)
    {
        // The host project's own build output (same configuration as this process): a copy next to a referencing project
        // misses assemblies that the referencing project takes from the ASP.NET shared framework.
        var configuration = new DirectoryInfo(AppContext.BaseDirectory).Parent?.Name ?? "Release";
        var app = Path.Combine(BenchmarkSuite.RepositoryRoot(), "src", "CoachBot", "bin", configuration, "net10.0", "CoachBot.dll");
        if (!File.Exists(app))
        {
            throw new InvalidOperationException($"{app} is missing; build the solution in {configuration} first.");
        }

        var start = new ProcessStartInfo(Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(app);
        start.ArgumentList.Add("bot");
        start.Environment["Discord__Token"] = fake.Options.Token;
        start.Environment["Discord__ApiBaseUrl"] = fake.ApiBaseUrl.ToString();
        start.Environment["ConnectionStrings__CoachBot"] = database.ConnectionString;
        start.Environment["Pathways__Directory"] = Path.Combine(BenchmarkSuite.RepositoryRoot(), "pathways");
        start.Environment["Coach__DefaultTimeZone"] = "UTC";
        start.Environment["Health__File"] = Path.Combine(folder, "healthy");
        start.Environment["Logging__LogLevel__Default"] = "Warning";
        return start;
    }

    /// <summary>Reads both pipes to the end so a chatty child never blocks on a full pipe; the text explains a failure.</summary>
    private static async Task<string> DrainAsync(Process process)
    {
        var standardOutput = process.StandardOutput.ReadToEndAsync();
        var standardError = process.StandardError.ReadToEndAsync();
        return string.Join(Environment.NewLine, await standardOutput, await standardError).Trim();
    }

    /// <summary>SIGTERM, as Docker and systemd stop the bot (<see cref="Process.Kill()"/> would be SIGKILL).</summary>
    private static async Task SignalTerminateAsync(int processId, CancellationToken cancellationToken)
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", processId.ToString(CultureInfo.InvariantCulture) } })
            ?? throw new InvalidOperationException("Could not run kill.");
        await kill.WaitForExitAsync(cancellationToken);
    }

    private static (double RssMebibytes, double PeakMebibytes) ReadStatus(int processId)
    {
        var status = $"/proc/{processId}/status";
        return (MachineInfo.ReadProcField(status, "VmRSS:") / 1024.0 ?? double.NaN, MachineInfo.ReadProcField(status, "VmHWM:") / 1024.0 ?? double.NaN);
    }
}
