namespace CoachBot.Platforms.Console;

/// <summary>
/// The console's clock: real time plus an offset moved by <c>/clock +7d</c>. The offset lives only in memory, so the
/// next run starts at real time again (what was stored under the moved clock stays, as if time had passed).
/// </summary>
internal sealed class AdjustableClock(TimeProvider realTime) : TimeProvider
{
    /// <summary>The years the console's clock may show (<c>--clock</c>, <c>/clock</c>): wide enough for any study plan, and far
    /// from the calendar's edges where a member's dates would stop making sense.</summary>
    public const int FirstYear = 2000;

    /// <inheritdoc cref="FirstYear"/>
    public const int LastYear = 2999;

    public TimeSpan Offset { get; private set; }

    public static bool IsWithinRange(DateTimeOffset instant) => instant.Year is >= FirstYear and <= LastYear;

    public override TimeZoneInfo LocalTimeZone => realTime.LocalTimeZone;

    public override DateTimeOffset GetUtcNow() => realTime.GetUtcNow() + Offset;

    public void Move(TimeSpan by) => Offset += by;
}
