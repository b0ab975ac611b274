using CoachBot.Operations;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;

namespace CoachBot.Tests.Operations;

public sealed class CoachBotLoggingTests
{
    [Fact]
    public void AddCoachBotLogging_WritesSingleLinesWithUtcTimestampsAndNoColours()
    {
        var services = new ServiceCollection();
        services.AddLogging(logging => logging.AddCoachBotLogging());
        using var provider = services.BuildServiceProvider();

        var console = provider.GetRequiredService<IOptionsMonitor<SimpleConsoleFormatterOptions>>().CurrentValue;

        Assert.True(console.SingleLine);
        Assert.True(console.UseUtcTimestamp);
        Assert.Equal("yyyy-MM-dd'T'HH:mm:ss.fff'Z' ", console.TimestampFormat);
        Assert.Equal(LoggerColorBehavior.Disabled, console.ColorBehavior);
        Assert.Equal(ConsoleFormatterNames.Simple, provider.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }

    [Theory]
    [InlineData("Warning", LogLevel.Information, false)]
    [InlineData("Warning", LogLevel.Warning, true)]
    [InlineData("Debug", LogLevel.Debug, true)]
    public void AddCoachBotLogging_InAHost_TakesTheLevelFromTheLoggingSection(string configuredLevel, LogLevel level, bool enabled)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Configuration.AddInMemoryCollection([new KeyValuePair<string, string?>("Logging:LogLevel:Default", configuredLevel)]);
        builder.Logging.AddConfiguration(builder.Configuration.GetSection("Logging"));
        builder.Logging.AddCoachBotLogging();
        using var host = builder.Build();

        var logger = host.Services.GetRequiredService<ILogger<CoachBotLoggingTests>>();

        Assert.Equal(enabled, logger.IsEnabled(level));
    }
}
