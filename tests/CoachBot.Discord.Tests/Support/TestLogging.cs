using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;

namespace CoachBot.Discord.Tests.Support;

/// <summary>A logger factory that records every line at every level, for assertions on log output.</summary>
internal sealed class TestLogging : IDisposable
{
    public TestLogging()
    {
        Provider = new FakeLoggerProvider();
        Factory = LoggerFactory.Create(builder => builder.AddProvider(Provider).SetMinimumLevel(LogLevel.Trace));
    }

    public FakeLoggerProvider Provider { get; }
    public ILoggerFactory Factory { get; }

    public ILogger<T> For<T>() => Factory.CreateLogger<T>();

    /// <summary>Every recorded line: message, structured values and exception text.</summary>
    public IReadOnlyList<string> AllText() =>
        Provider.Collector.GetSnapshot()
            .Select(r => string.Join(" | ", new[] { r.Message, r.Exception?.ToString() ?? "" }
                .Concat(r.StructuredState?.Select(kv => $"{kv.Key}={kv.Value}") ?? [])))
            .ToList();

    public void Dispose()
    {
        Factory.Dispose();
        Provider.Dispose();
    }
}
