namespace CoachBot.Tests;

/// <summary>
/// Every test that starts CoachBot.dll as a child process (the process fault tests) runs here, one at a time and alone:
/// a child bot beside other tests on a busy 2-core machine slows their timing-sensitive parts, and two child bots slow
/// each other.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class ChildProcessTests
{
    public const string Name = "Child processes";
}
