using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Enrolment;

/// <summary>Settings of the coaching that come from configuration (already validated by the host).</summary>
public sealed record CoachSettings(TimeZoneInfo DefaultTimeZone)
{
    /// <summary>How fast one member may send commands; off unless the host turns it on (the bot does).</summary>
    public CommandRateLimit RateLimit { get; init; } = CommandRateLimit.Off;

    /// <summary>How fast one member's autocomplete requests are answered (a separate bucket); off unless the host turns it on.</summary>
    public CommandRateLimit AutocompleteRateLimit { get; init; } = CommandRateLimit.Off;

    /// <summary>The member's own time zone, or the default when they set none (or theirs no longer exists).</summary>
    public TimeZoneInfo ZoneOf(MemberRow member)
    {
        ArgumentNullException.ThrowIfNull(member);
        return member.TimeZoneId is { } id && TimeZones.TryFind(id, out var zone) ? zone : DefaultTimeZone;
    }
}

/// <summary>What the coaching logic runs on: the store, the pathways on offer, the clock and the settings.</summary>
public sealed class CoachServices(ICoachStore store, PathwayCatalog pathways, TimeProvider time, CoachSettings settings)
{
    public ICoachStore Store { get; } = store;

    public PathwayCatalog Pathways { get; } = pathways;

    public TimeProvider Time { get; } = time;

    public CoachSettings Settings { get; } = settings;
}
