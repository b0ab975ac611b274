using System.Globalization;
using CoachBot.Discord.Gateway;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord;

/// <summary>
/// The REST base URL, the invalid-request brake, the sharding and REST-budget settings, one sentence per wrong key naming the environment variable that sets it.
/// Shard ids past a recommended count (ShardCount 0) can only be checked once Discord has answered: the gateway client
/// stops with the same sentence then.
/// </summary>
public sealed class DiscordClientOptionsValidator : IValidateOptions<DiscordClientOptions>
{
    private const string Prefix = DiscordClientOptions.SectionName + "__";

    /// <summary>Discord bans the IP at 10,000 invalid requests in 10 minutes: a brake set higher could never engage.</summary>
    private const int MaxInvalidRequestPauseThreshold = 10_000;

    /// <summary>
    /// Far above any bot's shard count (Discord recommends about one shard per 1,000 servers), yet small enough that a
    /// process running every shard can list them: with ShardIds empty the gateway client builds one entry per shard.
    /// </summary>
    private const int MaxShardCount = 100_000;

    /// <summary>
    /// The sentence for <c>Discord:InvalidRequestPauseThreshold</c> set to <paramref name="value"/>: out of range, or (from
    /// the host, which binds the section) not a number at all.
    /// </summary>
    public static string InvalidRequestPauseThresholdSentence(string? value) =>
        $"Discord:InvalidRequestPauseThreshold '{value}' is not a whole number from 1 to {MaxInvalidRequestPauseThreshold}: set {Prefix}InvalidRequestPauseThreshold to 2500 "
        + "(a quarter of the 10,000 invalid requests in 10 minutes after which Discord bans the IP) or remove it.";

    public ValidateOptionsResult Validate(string? name, DiscordClientOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.ApiBaseUrl is not { IsAbsoluteUri: true, Scheme: "https" or "http" })
        {
            failures.Add($"Discord:ApiBaseUrl '{options.ApiBaseUrl?.OriginalString}' is not an http(s) URL: set {Prefix}ApiBaseUrl to https://discord.com/api/v10 or remove it.");
        }

        if (options.InvalidRequestPauseThreshold is < 1 or > MaxInvalidRequestPauseThreshold)
        {
            failures.Add(InvalidRequestPauseThresholdSentence(options.InvalidRequestPauseThreshold.ToString(CultureInfo.InvariantCulture)));
        }

        if (options.ShardCount < 0)
        {
            failures.Add($"Discord:ShardCount is {options.ShardCount}: set {Prefix}ShardCount to the bot's number of shards, or to 0 for the count Discord recommends.");
        }
        else if (options.ShardCount > MaxShardCount)
        {
            failures.Add($"Discord:ShardCount is {options.ShardCount}, more than the {MaxShardCount} shards any bot needs: set {Prefix}ShardCount to the bot's number of shards, or to 0 for the count Discord recommends.");
        }

        if (!ShardSelection.TryParse(options.ShardIds, out var selection, out var problem))
        {
            failures.Add(problem);
        }
        else if (options.ShardCount > 0 && selection.Ids?.FirstOrDefault(id => id >= options.ShardCount, -1) is >= 0 and var outside)
        {
            failures.Add(ShardSelection.OutOfRangeSentence(outside, options.ShardCount, recommended: false));
        }

        if (options.GlobalRateLimit < 1)
        {
            failures.Add($"Discord:GlobalRateLimit is {options.GlobalRateLimit}: set {Prefix}GlobalRateLimit to the requests per second this process may send, "
                + "at least 1 (48 alone; divide Discord's 50 among processes that share the bot token, e.g. 16 each for three).");
        }

        if (options.GlobalRequestsPerSecond is { } old)
        {
            failures.Add($"Discord:GlobalRequestsPerSecond ({old}) was renamed: set {Prefix}GlobalRateLimit instead (requests per second for this process) "
                + $"and remove {Prefix}GlobalRequestsPerSecond.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
