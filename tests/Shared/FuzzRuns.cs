namespace CoachBot.TestSupport;

/// <summary>
/// How many generated cases a property test tries: modest in CI, many more with <c>COACHBOT_FULL_RUN=1</c>
/// (the figures in docs/reliability.md come from such a run).
/// </summary>
internal static class FuzzRuns
{
    public static bool Full { get; } = Environment.GetEnvironmentVariable("COACHBOT_FULL_RUN") == "1";

    public static long Iterations(long ci, long full) => Full ? full : ci;
}
