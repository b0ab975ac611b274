using CoachBot.Platforms.Console;
using CoachBot.Tests.Platforms.Console;

namespace CoachBot.Tests.Security;

/// <summary>A Discord token set in the environment and the configuration never shows in any output, log or data export.</summary>
[Collection(nameof(ProcessConsoleTests))]
public sealed class TokenSecrecyTests : IDisposable
{
    private const string Token = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GfakeX.secret-token-value-do-not-print_0123456789";

    private readonly ConsoleSessionRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task ConsoleSession_WithATokenConfigured_NeverPrintsIt()
    {
        const string script = """
            /enroll ai-safety timezone:Europe/Berlin
            /done 1
            /today
            /progress
            /checkin
            1
            /remind day:Friday time:18:00
            /remind timezone:Not/AZone
            /enroll no-such-pathway
            /nope
            /coach stats
            /clock +7d
            /mydata export
            /mydata delete
            1
            /today
            """;
        var configuration = _runner.Configuration;
        configuration["Discord:Token"] = Token;
        using var output = new StringWriter();
        using var error = new StringWriter();
        using var logs = new StringWriter();
        var previousError = System.Console.Error;
        var previousOut = System.Console.Out;
        Environment.SetEnvironmentVariable("Discord__Token", Token);
        System.Console.SetError(logs);
        System.Console.SetOut(logs);
        int exitCode;
        try
        {
            exitCode = await ConsoleMode.RunAsync([], new StringReader(script), output, error, configuration, CancellationToken.None);
        }
        finally
        {
            System.Console.SetError(previousError);
            System.Console.SetOut(previousOut);
            Environment.SetEnvironmentVariable("Discord__Token", null);
        }

        var everything = output + "\n" + error + "\n" + logs;
        Assert.Equal(0, exitCode);
        Assert.Contains("\"platform\": \"console\"", everything, StringComparison.Ordinal);
        Assert.DoesNotContain(Token, everything, StringComparison.Ordinal);
        Assert.DoesNotContain("secret-token-value", everything, StringComparison.Ordinal);
        Assert.DoesNotContain("MTIzNDU2Nzg5MDEyMzQ1Njc4", everything, StringComparison.Ordinal);
    }
}

/// <summary>Tests that swap the process's console writers or environment run one at a time.</summary>
[CollectionDefinition(nameof(ProcessConsoleTests), DisableParallelization = true)]
public sealed class ProcessConsoleTests;
