namespace CoachBot.Discord.Tests;

/// <summary>The sharding and REST-budget settings: one sentence per wrong key, naming the environment variable.</summary>
public sealed class DiscordClientOptionsValidatorTests
{
    [Theory]
    [InlineData("")]
    [InlineData("none")]
    [InlineData("NONE")]
    [InlineData("0")]
    [InlineData("0, 1")]
    public void Validate_AcceptsEveryShardIdsForm(string shardIds) =>
        Assert.True(Validate(new DiscordClientOptions { ShardIds = shardIds, ShardCount = 2 }).Succeeded);

    [Theory]
    [InlineData("a,1", 0, "Discord:ShardIds 'a,1' holds 'a', which is not a shard number: set Discord__ShardIds to shard numbers separated by commas (e.g. 0,1), to none for a process that runs no gateway, or remove it to run every shard.")]
    [InlineData("-1", 0, "Discord:ShardIds '-1' holds '-1', which is not a shard number: set Discord__ShardIds to shard numbers separated by commas (e.g. 0,1), to none for a process that runs no gateway, or remove it to run every shard.")]
    [InlineData("0,1,0", 0, "Discord:ShardIds '0,1,0' names shard 0 twice: set Discord__ShardIds to each shard once (e.g. 0,1).")]
    [InlineData("0,2", 2, "Discord:ShardIds names shard 2, but the bot has 2 shards (0 to 1): set Discord__ShardIds to shards from 0 to 1, or set Discord__ShardCount to the count every process of this bot uses.")]
    public void Validate_WhenShardIdsAreWrong_SaysWhatToSet(string shardIds, int shardCount, string sentence) =>
        Assert.Equal([sentence], Validate(new DiscordClientOptions { ShardIds = shardIds, ShardCount = shardCount }).Failures);

    /// <summary>Hostile spellings: never a stack trace, never a shard the operator did not type in ASCII digits.</summary>
    [Theory]
    [InlineData("0,,1", "")]
    [InlineData("1,", "")]
    [InlineData("-0", "-0")]
    [InlineData("+1", "+1")]
    [InlineData("\u0663", "\u0663")]
    [InlineData("\uFF11", "\uFF11")]
    [InlineData("99999999999", "99999999999")]
    [InlineData("none,0", "none")]
    [InlineData("0x1", "0x1")]
    public void Validate_WhenShardIdsAreMangled_RefusesTheOddPart(string shardIds, string part) =>
        Assert.Equal(
            [$"Discord:ShardIds '{shardIds}' holds '{part}', which is not a shard number: set Discord__ShardIds to shard numbers separated by commas (e.g. 0,1), to none for a process that runs no gateway, or remove it to run every shard."],
            Validate(new DiscordClientOptions { ShardIds = shardIds }).Failures);

    /// <summary>A generated list of thousands of shards with one typo is quoted back cut, not echoed whole.</summary>
    [Fact]
    public void Validate_WhenAHugeShardIdsListIsWrong_QuotesItShort()
    {
        var shardIds = string.Join(',', Enumerable.Range(0, 20_000)) + ",x";

        var sentence = Assert.Single(Validate(new DiscordClientOptions { ShardIds = shardIds, ShardCount = 20_000 }).Failures!);

        Assert.StartsWith("Discord:ShardIds '0,1,2,3", sentence, StringComparison.Ordinal);
        Assert.Contains("holds 'x', which is not a shard number", sentence, StringComparison.Ordinal);
        Assert.True(sentence.Length < 400, sentence);
    }

    /// <summary>A long ShardIds in another script, cut for the sentence, is never cut inside a character.</summary>
    [Fact]
    public void Validate_WhenALongShardIdsInAnotherScriptIsCut_KeepsEveryCharacterWhole()
    {
        var shardIds = "0," + new string('1', 57) + string.Concat(Enumerable.Repeat("\U0001D7D8", 20));

        var sentence = Assert.Single(Validate(new DiscordClientOptions { ShardIds = shardIds }).Failures!);

        Assert.DoesNotContain(System.Text.Rune.ReplacementChar, sentence.EnumerateRunes());
        Assert.Contains("which is not a shard number", sentence, StringComparison.Ordinal);
    }

    [Fact]
    public void Validate_AcceptsSpacesAndALongList()
    {
        Assert.Equal([1, 0], new DiscordClientOptions { ShardIds = " 1 , 0 " }.SelectedShards().Ids);
        var tenThousand = string.Join(",", Enumerable.Range(0, 10_000));
        Assert.True(Validate(new DiscordClientOptions { ShardIds = tenThousand, ShardCount = 10_000 }).Succeeded);
    }

    /// <summary>
    /// With ShardIds empty a process runs every shard of the count: int.MaxValue would have the gateway client build a
    /// list of two billion shard ids (OutOfMemory at start) instead of one sentence.
    /// </summary>
    [Theory]
    [InlineData(int.MaxValue)]
    [InlineData(100_001)]
    public void Validate_WhenShardCountIsAbsurd_SaysWhatToSet(int shardCount) =>
        Assert.Equal(
            [$"Discord:ShardCount is {shardCount}, more than the 100000 shards any bot needs: set Discord__ShardCount to the bot's number of shards, or to 0 for the count Discord recommends."],
            Validate(new DiscordClientOptions { ShardCount = shardCount }).Failures);

    [Fact]
    public void Validate_AcceptsAnUnboundedRateLimit() =>
        Assert.True(Validate(new DiscordClientOptions { GlobalRateLimit = int.MaxValue }).Succeeded);

    [Fact]
    public void Validate_WhenSeveralKeysAreWrong_GivesOneSentenceEach()
    {
        var result = Validate(new DiscordClientOptions { ShardCount = -1, ShardIds = "x", GlobalRateLimit = 0, GlobalRequestsPerSecond = 16 });

        Assert.Equal(
            [
                "Discord:ShardCount is -1: set Discord__ShardCount to the bot's number of shards, or to 0 for the count Discord recommends.",
                "Discord:ShardIds 'x' holds 'x', which is not a shard number: set Discord__ShardIds to shard numbers separated by commas (e.g. 0,1), to none for a process that runs no gateway, or remove it to run every shard.",
                "Discord:GlobalRateLimit is 0: set Discord__GlobalRateLimit to the requests per second this process may send, at least 1 (48 alone; divide Discord's 50 among processes that share the bot token, e.g. 16 each for three).",
                "Discord:GlobalRequestsPerSecond (16) was renamed: set Discord__GlobalRateLimit instead (requests per second for this process) and remove Discord__GlobalRequestsPerSecond.",
            ],
            result.Failures);
    }

    [Fact]
    public void SelectedShards_ReadsTheSelection()
    {
        Assert.True(new DiscordClientOptions { ShardIds = "none" }.SelectedShards().RunsNone);
        Assert.True(new DiscordClientOptions().SelectedShards().Includes(0));
        Assert.False(new DiscordClientOptions { ShardIds = "1" }.SelectedShards().Includes(0));
        Assert.True(new DiscordClientOptions { ShardIds = "1,0" }.SelectedShards().Includes(0));
    }

    private static Microsoft.Extensions.Options.ValidateOptionsResult Validate(DiscordClientOptions options) =>
        new DiscordClientOptionsValidator().Validate(null, options);
}
