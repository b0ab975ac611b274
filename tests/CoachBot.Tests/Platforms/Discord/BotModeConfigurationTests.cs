using CoachBot.Platforms.Discord;
using Microsoft.Extensions.Configuration;

namespace CoachBot.Tests.Platforms.Discord;

public sealed class BotModeConfigurationTests
{
    [Theory]
    [InlineData(null, null, null, "environment variable Discord__Token")]
    [InlineData("  ", null, null, "environment variable Discord__Token")]
    [InlineData("token", "discord.com/api", null, "set Discord__ApiBaseUrl to https://discord.com/api/v10")]
    [InlineData("token", null, "my-server", "set Discord__GuildIds__0 to a server id")]
    public void Problem_ForMissingOrWrongSettings_IsOneSentenceNamingTheVariable(string? token, string? apiBaseUrl, string? guildId, string expected)
    {
        var configuration = Configuration(token, apiBaseUrl, guildId);

        var problem = BotMode.Problem(configuration);

        Assert.Contains(expected, problem);
        Assert.EndsWith(".", problem);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("10001")]
    [InlineData("a lot")]
    public void Problem_ForAnInvalidRequestPauseThresholdOutsideDiscordsLimit_NamesTheVariable(string threshold)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = "token",
            ["Discord:InvalidRequestPauseThreshold"] = threshold,
        }).Build();

        var problem = BotMode.Problem(configuration);

        Assert.Contains("set Discord__InvalidRequestPauseThreshold to 2500", problem);
        Assert.EndsWith(".", problem);
    }

    [Fact]
    public void Problem_WhenTokenUrlAndGuildIdsAreValid_IsNull()
    {
        var configuration = Configuration("token", "http://127.0.0.1:5000/api/v10", "290926798626357999");

        Assert.Null(BotMode.Problem(configuration));
    }

    private static IConfiguration Configuration(string? token, string? apiBaseUrl, string? guildId) =>
        new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Discord:Token"] = token,
            ["Discord:ApiBaseUrl"] = apiBaseUrl,
            ["Discord:GuildIds:0"] = guildId,
        }.Where(pair => pair.Value is not null)).Build();
}
