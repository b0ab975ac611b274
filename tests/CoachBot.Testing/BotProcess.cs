using System.Diagnostics;
using System.Globalization;
using System.Text;
using CoachBot.TestSupport;

namespace CoachBot.Testing;

/// <summary>
/// The real CoachBot executable (<c>dotnet CoachBot.dll bot</c>) as a child process configured by environment variables,
/// with its output kept for failure messages. Killed or terminated like an operator or the kernel would. Used by the
/// benchmark's process probe, the process-fault tests and the single-process tests (which start <c>console</c> too).
/// </summary>
public sealed class BotProcess : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _output = new();
    private TaskCompletionSource _outputChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private BotProcess(Process process)
    {
        _process = process;
    }

    public int Id => _process.Id;

    public bool HasExited => _process.HasExited;

    public int ExitCode => _process.ExitCode;

    /// <summary>Everything the process wrote to stdout and stderr so far.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    public static BotProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory) =>
        Start(environment, workingDirectory, "bot");

    /// <summary>Another mode (<c>console</c>, <c>backup PATH</c>); its standard input stays open until <see cref="CloseInput"/>.</summary>
    public static BotProcess Start(IReadOnlyDictionary<string, string> environment, string workingDirectory, params string[] arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        var app = AppPath();
        var info = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(app);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        var process = new Process { StartInfo = info };
        var bot = new BotProcess(process);
        process.OutputDataReceived += (_, line) => bot.Append(line.Data);
        process.ErrorDataReceived += (_, line) => bot.Append(line.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return bot;
    }

    /// <summary>Types a line, as at the console's prompt.</summary>
    public Task WriteLineAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    /// <summary>End of input: the console ends as at the end of a piped script.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>Waits until the process has written <paramref name="text"/> (woken by each line, no polling).</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            Task changed;
            lock (_output)
            {
                if (_output.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                changed = _outputChanged.Task;
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"CoachBot (pid {Id}) exited with {_process.ExitCode} before writing '{text}'. Output:\n{Output}");
            }

            try
            {
                await Task.WhenAny(changed, _process.WaitForExitAsync(cancel.Token)).WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"CoachBot (pid {Id}) did not write '{text}' within {timeout.TotalSeconds} s. Output:\n{Output}");
            }
        }
    }

    /// <summary>SIGKILL on Linux: no shutdown code runs, as with <c>kill -9</c> or the OOM killer.</summary>
    public void KillHard() => _process.Kill();

    /// <summary>SIGTERM, as <c>docker stop</c> or <c>systemctl stop</c> send: the host shuts down gracefully.</summary>
    public void Terminate()
    {
        using var kill = Process.Start(new ProcessStartInfo("kill") { ArgumentList = { "-TERM", Id.ToString(CultureInfo.InvariantCulture) }, UseShellExecute = false })
            ?? throw new InvalidOperationException("Could not run `kill -TERM`.");
        kill.WaitForExit();
        if (kill.ExitCode != 0)
        {
            throw new InvalidOperationException($"`kill -TERM {Id}` exited with {kill.ExitCode}.");
        }
    }

    /// <summary>Waits for the process to end and for its output to be read to the end.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(cancel.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"CoachBot (pid {Id}) did not exit within {timeout.TotalSeconds} s. Output:\n{Output}");
        }

        return _process.ExitCode;
    }

    public void Dispose()
    {
        if (!_process.HasExited)
        {
            _process.Kill();
            _process.WaitForExit();
        }

        _process.Dispose();
    }

    /// <summary>
    /// CoachBot's own build output (src/CoachBot/bin/CONFIGURATION/TFM), built with the caller through the project
    /// reference. Not the copy in the caller's folder: the ASP.NET Core framework reference of the fake Discord leaves
    /// out packages the app's own runtimeconfig needs.
    /// </summary>
    private static string AppPath()
    {
        var callerOutput = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
        var folder = Path.Combine(RepositoryRoot.Path, "src", "CoachBot", "bin", callerOutput.Parent!.Name, callerOutput.Name);
        var app = Path.Combine(folder, "CoachBot.dll");
        return File.Exists(app) && File.Exists(Path.Combine(folder, "CoachBot.runtimeconfig.json"))
            ? app
            : throw new InvalidOperationException($"CoachBot.dll and its runtimeconfig.json are not in {folder}; build the solution first.");
    }

    /// <summary>The dotnet host running the caller (the SDK sets DOTNET_HOST_PATH for its children), else the one on PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Environment.ProcessPath is { } current && Path.GetFileNameWithoutExtension(current) == "dotnet" ? current : "dotnet";
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        lock (_output)
        {
            _output.AppendLine(line);
            _outputChanged.TrySetResult();
            _outputChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }
    }
}
