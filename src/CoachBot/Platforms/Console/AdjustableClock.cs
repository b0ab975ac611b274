namespace CoachBot.Platforms.Console;

/// <summary>
/// The console's clock: real time plus an offset moved by <c>/clock +7d</c>. The offset lives only in memory, so the
/// next run starts at real time again (what was stored under the moved clock stays, as if time had passed).
/// </summary>
internal sealed class AdjustableClock(TimeProvider realTime) : TimeProvider
{
    public TimeSpan Offset { get; private set; }

    public override TimeZoneInfo LocalTimeZone => realTime.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => realTime.GetUtcNow() + Offset;

    public void Move(TimeSpan by) => Offset += by;
}
