using System.Diagnostics;
using System.Globalization;
using System.Text;

// The tests' namespace, kept when this moved here for the benchmarks too: the tests that use it compile unchanged.
namespace CoachBot.Tests.Storage.Postgres;

/// <summary>The sentence a test shows when the tests cannot have a PostgreSQL server of their own.</summary>
public sealed class PostgresUnavailableException(string message) : Exception(message);

/// <summary>
/// Finds PostgreSQL's server programs and runs them. Debian's <c>postgresql</c> package puts <c>initdb</c> and
/// <c>pg_ctl</c> in <c>/usr/lib/postgresql/VERSION/bin</c>, not on PATH, so both places are searched.
/// </summary>
/// <remarks>
/// initdb and postgres refuse to run as root (a server running as root would hand the whole machine to anyone who
/// can run SQL as its superuser), and the tests run as root on the team's machines and in CI. So under root every
/// server program runs through <c>runuser</c> as the <c>postgres</c> account that Debian's package creates (or
/// <c>nobody</c> where it is missing), in a folder owned by that account; as any other user they run directly.
/// </remarks>
public sealed class PostgresBinaries
{
    public const string NotInstalledMessage =
        "PostgreSQL is not installed, so the tests cannot start their throwaway server: install Debian's `postgresql` package (apt-get install postgresql; .ci/run does this in CI).";

    private static readonly TimeSpan _commandTimeout = TimeSpan.FromMinutes(2);

    private PostgresBinaries(string directory, string? runAsUser)
    {
        Directory = directory;
        RunAsUser = runAsUser;
    }

    /// <summary>The folder holding initdb, pg_ctl and postgres.</summary>
    public string Directory { get; }

    /// <summary>The account the server programs run as, or null when they run as the current user.</summary>
    public string? RunAsUser { get; }

    /// <summary>Finds the programs on this machine, or throws the one sentence that says what to install.</summary>
    public static PostgresBinaries Locate() =>
        Locate(Environment.GetEnvironmentVariable("PATH"), "/usr/lib/postgresql", Environment.IsPrivilegedProcess);

    public static PostgresBinaries Locate(string? pathVariable, string debianRoot, bool privileged)
    {
        var directory = FindDirectory(pathVariable, debianRoot)
            ?? throw new PostgresUnavailableException(NotInstalledMessage);
        if (!privileged)
        {
            return new PostgresBinaries(directory, runAsUser: null);
        }

        if (!File.Exists(RunUser))
        {
            throw new PostgresUnavailableException(
                $"The tests run as root and PostgreSQL refuses to, but {RunUser} is missing to run it as another user: install Debian's `util-linux` package or run the tests as an ordinary user.");
        }

        return new PostgresBinaries(directory, AccountExists("postgres") ? "postgres" : "nobody");
    }

    /// <summary>The first folder on PATH with both initdb and pg_ctl, else the newest version under Debian's root.</summary>
    public static string? FindDirectory(string? pathVariable, string debianRoot)
    {
        foreach (var entry in (pathVariable ?? "").Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries))
        {
            if (HasServerPrograms(entry))
            {
                return entry;
            }
        }

        if (!System.IO.Directory.Exists(debianRoot))
        {
            return null;
        }

        return System.IO.Directory.EnumerateDirectories(debianRoot)
            .Select(versionFolder => (Version: ParseVersion(Path.GetFileName(versionFolder)), Bin: Path.Combine(versionFolder, "bin")))
            .Where(candidate => candidate.Version is not null && HasServerPrograms(candidate.Bin))
            .OrderByDescending(candidate => candidate.Version)
            .Select(candidate => candidate.Bin)
            .FirstOrDefault();
    }

    /// <summary>Hands <paramref name="folder"/> to the account the server runs as, so initdb can write in it.</summary>
    public async Task GiveAwayAsync(string folder, CancellationToken cancellationToken)
    {
        if (RunAsUser is not null)
        {
            await RunCheckedAsync("chown", [$"{RunAsUser}:", folder], folder, cancellationToken);
        }
    }

    /// <summary>Runs one of the server programs as the server's account; throws with its output when it fails.</summary>
    public Task<string> RunProgramAsync(string program, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var path = Path.Combine(Directory, program);
        return RunAsUser is null
            ? RunCheckedAsync(path, arguments, workingDirectory, cancellationToken)
            : RunCheckedAsync(RunUser, ["-u", RunAsUser, "--", path, .. arguments], workingDirectory, cancellationToken);
    }

    private const string RunUser = "/usr/sbin/runuser";

    private static bool HasServerPrograms(string folder) =>
        File.Exists(Path.Combine(folder, "initdb")) && File.Exists(Path.Combine(folder, "pg_ctl"));

    private static Version? ParseVersion(string name) =>
        Version.TryParse(name.Contains('.', StringComparison.Ordinal) ? name : name + ".0", out var version) ? version : null;

    private static bool AccountExists(string name) =>
        File.Exists("/etc/passwd")
        && File.ReadLines("/etc/passwd").Any(line => line.StartsWith(name + ":", StringComparison.Ordinal));

    private static async Task<string> RunCheckedAsync(string fileName, IReadOnlyList<string> arguments, string workingDirectory, CancellationToken cancellationToken)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            // The server's account may not be allowed into the test's own working folder.
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // PGDATA, PGPORT and friends from the developer's shell must not steer the throwaway server.
        foreach (var variable in start.Environment.Keys.Where(key => key.StartsWith("PG", StringComparison.Ordinal)).ToList())
        {
            start.Environment.Remove(variable);
        }

        using var process = Process.Start(start)
            ?? throw new InvalidOperationException($"Could not start {fileName}.");
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_commandTimeout);
        var output = new StringBuilder();
        var standardOutput = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var standardError = process.StandardError.ReadToEndAsync(timeout.Token);
        try
        {
            await process.WaitForExitAsync(timeout.Token);
            output.Append(await standardOutput).Append(await standardError);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw;
        }

        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException(string.Create(CultureInfo.InvariantCulture,
                $"{Path.GetFileName(fileName)} {string.Join(' ', arguments)} exited with {process.ExitCode}: {output.ToString().Trim()}"));
        }

        return output.ToString();
    }
}
