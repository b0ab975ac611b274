using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using CoachBot.Discord.Models;

namespace CoachBot.Discord.Gateway;

/// <summary>
/// <c>Discord:ShardIds</c>: the shards one process runs. Empty = every shard; <c>none</c> = no gateway at all (a process
/// that only sweeps and sends over REST); otherwise shard numbers separated by commas, e.g. <c>0,1</c>.
/// </summary>
public sealed class ShardSelection
{
    private const string Variable = DiscordClientOptions.SectionName + "__ShardIds";

    private ShardSelection(IReadOnlyList<int>? ids, bool runsNone)
    {
        Ids = ids;
        RunsNone = runsNone;
    }

    /// <summary>Every shard of the bot.</summary>
    public static ShardSelection All { get; } = new(null, false);

    /// <summary>No shard: the process opens no gateway connection.</summary>
    public static ShardSelection None { get; } = new([], true);

    /// <summary>The shards named, in the order given; null for <see cref="All"/>.</summary>
    public IReadOnlyList<int>? Ids { get; }

    public bool RunsNone { get; }

    private const int ShownLength = 60;

    /// <summary>Whether this process runs <paramref name="shardId"/> (every shard when <see cref="Ids"/> is null).</summary>
    public bool Includes(int shardId) => !RunsNone && (Ids is null || Ids.Contains(shardId));

    /// <summary>Reads the setting; on failure <paramref name="problem"/> is one sentence naming what to set (and the selection is <see cref="All"/>).</summary>
    public static bool TryParse(string? text, out ShardSelection selection, [NotNullWhen(false)] out string? problem)
    {
        selection = All;
        problem = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (text.Trim().Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            selection = None;
            return true;
        }

        var ids = new List<int>();
        var seen = new HashSet<int>();
        foreach (var part in text.Split(',', StringSplitOptions.TrimEntries))
        {
            if (!int.TryParse(part, NumberStyles.None, CultureInfo.InvariantCulture, out var id))
            {
                problem = $"Discord:ShardIds '{Shown(text)}' holds '{Shown(part)}', which is not a shard number: set {Variable} to shard numbers separated by commas (e.g. 0,1), "
                    + "to none for a process that runs no gateway, or remove it to run every shard.";
                return false;
            }

            if (!seen.Add(id))
            {
                problem = $"Discord:ShardIds '{Shown(text)}' names shard {id} twice: set {Variable} to each shard once (e.g. 0,1).";
                return false;
            }

            ids.Add(id);
        }

        selection = new ShardSelection(ids, false);
        return true;
    }

    /// <summary>The sentence for a shard id at or past the shard count.</summary>
    public static string OutOfRangeSentence(int shardId, int shardCount, bool recommended) =>
        $"Discord:ShardIds names shard {shardId}, but the bot has {shardCount} shard{(shardCount == 1 ? "" : "s")} (0 to {shardCount - 1}"
        + $"{(recommended ? ", the count Discord recommends" : "")}): set {Variable} to shards from 0 to {shardCount - 1}, "
        + $"or set {DiscordClientOptions.SectionName}__ShardCount to the count every process of this bot uses.";

    public override string ToString() => RunsNone ? "none" : Ids is null ? "all" : string.Join(",", Ids);

    /// <summary>A value as quoted back in a sentence: a list of thousands of shards is cut, not echoed whole.</summary>
    private static string Shown(string value) => MessageLimits.Truncate(value, ShownLength + 1);
}
