using System.Diagnostics.Metrics;

namespace CoachBot.Tests.Operations;

/// <summary>Meters for one test: their instruments are told apart from other tests' by <see cref="Owns"/>.</summary>
internal sealed class TestMeterFactory : IMeterFactory
{
    private readonly List<Meter> _meters = [];

    public Meter Create(MeterOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var meter = new Meter(options.Name, options.Version, options.Tags, scope: this);
        lock (_meters)
        {
            _meters.Add(meter);
        }

        return meter;
    }

    public bool Owns(Instrument instrument) => ReferenceEquals(instrument.Meter.Scope, this);

    public void Dispose()
    {
        lock (_meters)
        {
            foreach (var meter in _meters)
            {
                meter.Dispose();
            }

            _meters.Clear();
        }
    }
}
