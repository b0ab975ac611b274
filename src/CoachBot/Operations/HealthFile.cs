using CoachBot.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Operations;

/// <summary>
/// Marks the bot alive: the gateway raises a heartbeat ACK every ~41 s while Discord hears from us, and each one moves
/// the health file's time forward. Touching is one metadata write (no content, no allocation beyond the call), so it is
/// safe on the gateway's event loop. A file that cannot be written is reported once, not at every heartbeat.
/// </summary>
internal sealed partial class HealthFile(IOptions<HealthOptions> options, TimeProvider time, ILogger<HealthFile> logger)
{
    // Empty (as in appsettings.example.json) means the default, as it does for the health mode.
    private readonly string _path = string.IsNullOrWhiteSpace(options.Value.File) ? HealthOptions.DefaultFile : options.Value.File;
    private int _failureReported;

    public string Path => _path;

    /// <summary>Call from <c>GatewayClient.HeartbeatAcknowledged</c> (and on READY / RESUMED).</summary>
    public void MarkAlive() => MarkAlive(time.GetUtcNow());

    /// <summary>Dates the file at <paramref name="lastLifeSign"/>: the oldest of several shards' last signs, so a silent shard ages it.</summary>
    public void MarkAlive(DateTimeOffset lastLifeSign)
    {
        try
        {
            // Checked each time rather than remembered: the file may be deleted (tmp cleaners) while the bot runs.
            if (!File.Exists(_path))
            {
                Create();
            }

            File.SetLastWriteTimeUtc(_path, lastLifeSign.UtcDateTime);
            Volatile.Write(ref _failureReported, 0);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            if (Interlocked.Exchange(ref _failureReported, 1) == 0)
            {
                Log.TouchFailed(logger, _path, failure.Message);
            }
        }
    }

    /// <summary>
    /// Checks at start-up that the file can be written, so a path the bot cannot write stops it with one sentence instead
    /// of running on with a health check that can never pass (Docker would restart it forever, the reason only in a
    /// warning). Leaves no fresh file behind: only a heartbeat may make the bot look alive.
    /// </summary>
    public void EnsureWritable()
    {
        try
        {
            var existed = File.Exists(_path);
            Create();
            if (!existed)
            {
                File.Delete(_path);
            }
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            throw new StartupException(
                $"Health:File '{_path}' cannot be written ({failure.Message}); set Health__File to a file the bot may write, or remove it to use '{HealthOptions.DefaultFile}'.",
                failure);
        }
    }

    private void Create()
    {
        if (System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(_path)) is { } folder)
        {
            Directory.CreateDirectory(folder);
        }

        File.Open(_path, FileMode.OpenOrCreate, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete).Dispose();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 700, Level = LogLevel.Warning, Message = "Cannot touch the health file {HealthFile} ({Reason}); the container's health check will fail until it can; set Health__File to a writable path")]
        public static partial void TouchFailed(ILogger logger, string healthFile, string reason);
    }
}
