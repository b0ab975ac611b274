using System.Globalization;
using System.Runtime.InteropServices;

namespace CoachBot.Benchmarks;

/// <summary>The machine a run was measured on, and this process's resident memory.</summary>
internal static class MachineInfo
{
    public static string Describe()
    {
        var memory = ReadProcField("/proc/meminfo", "MemTotal:") is { } kib ? $"{kib / 1024 / 1024.0:0.0} GiB RAM" : "RAM unknown";
        var cpu = File.Exists("/proc/cpuinfo")
            ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(line => line.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim()
            : null;
        return string.Create(CultureInfo.InvariantCulture,
            $"{Environment.ProcessorCount} cores ({cpu ?? RuntimeInformation.ProcessArchitecture.ToString()}), {memory}, {RuntimeInformation.OSDescription}, .NET {Environment.Version}");
    }

    /// <summary>The 1, 5 and 15 minute load averages (Linux), to read the figures of a shared machine by.</summary>
    public static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(" / ", File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "unknown";

    /// <summary>VmRSS of this process in MiB (Linux); the working set elsewhere.</summary>
    public static double ResidentMebibytes() =>
        (ReadProcField("/proc/self/status", "VmRSS:") is { } kib ? kib * 1024.0 : Environment.WorkingSet) / (1024 * 1024);

    /// <summary>A number field of a /proc status file (in kB for memory), or null off Linux.</summary>
    public static long? ReadProcField(string path, string field)
    {
        if (!File.Exists(path))
        {
            return null;
        }

        var line = File.ReadLines(path).FirstOrDefault(l => l.StartsWith(field, StringComparison.Ordinal));
        var number = line?[field.Length..].Trim().Split(' ')[0];
        return long.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : null;
    }
}
