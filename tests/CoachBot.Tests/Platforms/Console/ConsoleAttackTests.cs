namespace CoachBot.Tests.Platforms.Console;

/// <summary>Console inputs an outsider types at the edges: each answers in one sentence and the session goes on.</summary>
public sealed class ConsoleAttackTests : IDisposable
{
    private readonly ConsoleSessionRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    [Theory]
    [InlineData("/clock +٣d")] // Arabic-Indic digit: \d matched it, int.Parse did not
    [InlineData("/clock -۷w")] // Extended Arabic-Indic
    [InlineData("/clock +३h")] // Devanagari
    public async Task ClockStep_WithNonAsciiDigits_IsNotAClockStep_AndNothingGoesWrong(string command)
    {
        var transcript = await _runner.RunAsync(command + "\n/clock\n", "--clock", "2026-11-30T09:30");

        var answer = ConsoleSessionRunner.AnswerTo(transcript, command);
        Assert.Contains("is not a clock step", answer);
        Assert.DoesNotContain("Something went wrong", answer);
        Assert.Contains("Clock: Mon 30 Nov 2026 09:30 UTC", ConsoleSessionRunner.AnswerTo(transcript, "/clock"));
    }
}
