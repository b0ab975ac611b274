using System.Globalization;
using System.Text.Json.Nodes;

namespace CoachBot.Discord.Testing;

/// <summary>Who triggers an injected interaction: a guild member (with a permission bitset) or a user in the bot's DM.</summary>
public sealed record FakeInvoker(string UserId, string Username = "member")
{
    public bool InGuild { get; init; } = true;

    /// <summary>The member's server; null for the fake's <see cref="FakeDiscordOptions.GuildId"/>. Decides the shard the interaction arrives on.</summary>
    public string? GuildId { get; init; }

    /// <summary>The member's permission bitset as Discord sends it (decimal string). "32" = Manage Server.</summary>
    public string Permissions { get; init; } = "0";

    public static FakeInvoker Member(string userId, string permissions = "0") => new(userId) { Permissions = permissions };

    public static FakeInvoker InDm(string userId) => new(userId) { InGuild = false };
}

public sealed partial class FakeDiscordServer
{
    private static readonly FakeInvoker DefaultInvoker = FakeInvoker.Member("53908232506183680");

    /// <summary>
    /// Delivers a slash command. <paramref name="subcommand"/> is a space-separated path ("pathway add");
    /// option values become STRING, INTEGER, BOOLEAN or NUMBER options by their CLR type.
    /// </summary>
    public Task<FakeInteraction> InjectSlashCommandAsync(string name, IReadOnlyDictionary<string, object>? options = null, FakeInvoker? invoker = null, string? subcommand = null) =>
        InjectInteractionAsync(BaseFixture(invoker), json =>
        {
            ApplyInvoker(json, invoker ?? DefaultInvoker);
            json["type"] = 2;
            json["data"] = new JsonObject { ["id"] = NewId(), ["name"] = name, ["type"] = 1, ["options"] = CommandOptions(options, subcommand) };
        });

    /// <summary>Delivers an autocomplete interaction with <paramref name="typed"/> in the focused option.</summary>
    public Task<FakeInteraction> InjectAutocompleteAsync(string name, string focusedOption, string typed, FakeInvoker? invoker = null, string? subcommand = null) =>
        InjectInteractionAsync(BaseFixture(invoker), json =>
        {
            ApplyInvoker(json, invoker ?? DefaultInvoker);
            json["type"] = 4;
            var options = CommandOptions(new Dictionary<string, object> { [focusedOption] = typed }, subcommand);
            var leaf = options;
            while (leaf[0]?["options"] is JsonArray inner)
            {
                leaf = inner;
            }

            leaf[0]!["focused"] = true;
            json["data"] = new JsonObject { ["id"] = NewId(), ["name"] = name, ["type"] = 1, ["options"] = options };
        });

    /// <summary>Delivers a button press on a bot message.</summary>
    public Task<FakeInteraction> InjectButtonAsync(string customId, FakeInvoker? invoker = null) =>
        InjectInteractionAsync("interaction-button.json", json =>
        {
            ApplyInvoker(json, invoker ?? DefaultInvoker);
            json["data"] = new JsonObject { ["component_type"] = 2, ["id"] = 2, ["custom_id"] = customId };
        });

    /// <summary>Delivers a modal submit whose text inputs (in labels) hold <paramref name="values"/> by custom_id.</summary>
    public Task<FakeInteraction> InjectModalSubmitAsync(string customId, IReadOnlyDictionary<string, string> values, FakeInvoker? invoker = null) =>
        InjectInteractionAsync("interaction-modal-submit.json", json =>
        {
            ArgumentNullException.ThrowIfNull(values);
            ApplyInvoker(json, invoker ?? DefaultInvoker);
            var id = 0;
            json["data"] = new JsonObject
            {
                ["custom_id"] = customId,
                ["components"] = new JsonArray([.. values.Select(v => (JsonNode)new JsonObject
                {
                    ["type"] = 18,
                    ["id"] = ++id,
                    ["component"] = new JsonObject { ["type"] = 4, ["id"] = ++id, ["custom_id"] = v.Key, ["value"] = v.Value },
                })]),
            };
        });

    private static string BaseFixture(FakeInvoker? invoker) =>
        invoker is { InGuild: false } ? "interaction-slash-command-dm.json" : "interaction-slash-command-guild.json";

    private void ApplyInvoker(JsonObject json, FakeInvoker invoker)
    {
        var user = new JsonObject
        {
            ["id"] = invoker.UserId,
            ["username"] = invoker.Username,
            ["discriminator"] = "0",
            ["global_name"] = null,
            ["avatar"] = null,
        };
        if (invoker.InGuild)
        {
            var member = DiscordFixtures.Read("interaction-slash-command-guild.json")["member"]!.DeepClone().AsObject();
            member["user"] = user;
            member["permissions"] = invoker.Permissions;
            json["member"] = member;
            json.Remove("user");
            var guildId = invoker.GuildId ?? Options.GuildId;
            json["guild_id"] = guildId;
            json["guild_locale"] = "en-US";
            json["channel_id"] = "645027906669510667";
            json["context"] = 0;
            json["authorizing_integration_owners"] = new JsonObject { ["0"] = guildId };
        }
        else
        {
            var channel = DmChannelFor(invoker.UserId);
            json["user"] = user;
            json.Remove("member");
            json.Remove("guild_id");
            json.Remove("guild_locale");
            json["channel_id"] = channel;
            json["channel"] = new JsonObject { ["id"] = channel, ["type"] = 1, ["recipients"] = new JsonArray(user.DeepClone()) };
            json["context"] = 1;
            json["authorizing_integration_owners"] = new JsonObject { ["0"] = "0" };
        }
    }

    private static JsonArray CommandOptions(IReadOnlyDictionary<string, object>? options, string? subcommand)
    {
        var leaves = new JsonArray([.. (options ?? new Dictionary<string, object>()).Select(o => (JsonNode)new JsonObject
        {
            ["name"] = o.Key,
            ["type"] = o.Value switch
            {
                bool => 5,
                int or long => 4,
                double or float or decimal => 10,
                _ => 3,
            },
            ["value"] = o.Value switch
            {
                bool b => b,
                int i => i,
                long l => l,
                double d => d,
                float f => f,
                decimal m => m,
                _ => Convert.ToString(o.Value, CultureInfo.InvariantCulture),
            },
        })]);
        if (string.IsNullOrWhiteSpace(subcommand))
        {
            return leaves;
        }

        var path = subcommand.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var current = leaves;
        for (var i = path.Length - 1; i >= 0; i--)
        {
            var type = i == path.Length - 1 ? 1 : 2;
            current = new JsonArray(new JsonObject { ["name"] = path[i], ["type"] = type, ["options"] = current });
        }

        return current;
    }
}
