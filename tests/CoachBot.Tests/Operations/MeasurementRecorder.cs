using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace CoachBot.Tests.Operations;

/// <summary>A <see cref="MeterListener"/> on the CoachBot meter of one <see cref="IMeterFactory"/> (scope), keeping every measurement.</summary>
internal sealed class MeasurementRecorder : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public MeasurementRecorder(object scope)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == "CoachBot" && ReferenceEquals(instrument.Meter.Scope, scope))
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    public IReadOnlyList<Measurement> Of(string instrument) => [.. _measurements.Where(measurement => measurement.Instrument == instrument)];

    public double Sum(string instrument, params (string Key, string Value)[] tags) =>
        Of(instrument)
            .Where(measurement => tags.All(tag => measurement.Tags.TryGetValue(tag.Key, out var value) && value == tag.Value))
            .Sum(measurement => measurement.Value);

    public void Dispose() => _listener.Dispose();

    private void Add(Instrument instrument, double value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
    {
        var copied = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copied[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue(new Measurement(instrument.Name, value, copied));
    }

    internal sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags);
}
