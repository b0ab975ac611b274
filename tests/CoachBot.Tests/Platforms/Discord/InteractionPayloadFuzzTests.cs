using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Discord;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Testing;
using CoachBot.Operations;
using CoachBot.Pathways;
using CoachBot.Platforms.Discord;
using CoachBot.TestSupport;
using CoachBot.Tests.Storage;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>
/// INTERACTION_CREATE payloads built from the recorded fixtures and then mangled (fields removed, nulled, of the wrong JSON
/// type, oversized or hostile strings, unknown fields, garbage options) through the real parser and router, answering the
/// fake Discord: never an exception, every reply schema-valid and pinging nobody.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001", Justification = "xunit disposes it through IAsyncLifetime.DisposeAsync.")]
public sealed class InteractionPayloadFuzzTests : IAsyncLifetime
{
    private static readonly string[] _fixtures =
    [
        "interaction-slash-command-guild.json", "interaction-slash-command-dm.json", "interaction-slash-command-with-options.json",
        "interaction-button.json", "interaction-modal-submit.json", "interaction-autocomplete.json", "interaction-ping.json",
    ];

    private static readonly string[] _hostile =
    [
        "", " ", "@everyone", "@here", "<@53908232506183680>", "<@&539082325061836999>", "<#645027906669510667>", "🎉👩‍👩‍👧‍👦",
        "مرحبا بالعالم", "שלום", "\u202Eevil", "\0", "\ud800", "ai-safety", "1", "-1", "99999999999999999999", "Europe/Berlin",
        "done:1:c1w1", "checkin:1:1:on-track", "?checkin-note:1:1", "'; DROP TABLE members; --", "{0}", "../../etc/passwd",
        new string('x', 6000), string.Concat(Enumerable.Repeat("@everyone ", 600)), string.Concat(Enumerable.Repeat("🎉", 3000)),
    ];

    private static readonly PathwayCatalog _shipped = PathwayDirectory.Load(RepositoryRoot.PathwaysDirectory).Catalog;

    private FakeDiscordServer _fake = null!;
    private TempDatabase _database = null!;
    private ServiceProvider _services = null!;
    private InteractionRouter _router = null!;

    public async Task InitializeAsync()
    {
        // Discord's 3-second answer window is tested on a fake clock (InteractionResponderTests); on the real clock here a busy
        // machine can take longer than that between creating an interaction and answering it.
        _fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { InteractionResponseWindow = TimeSpan.FromSeconds(30) });
        _database = await TempDatabase.CreateAsync();
        _services = new ServiceCollection()
            .AddLogging(logging => logging.SetMinimumLevel(LogLevel.Warning))
            .AddDiscordClient(options =>
            {
                options.Token = _fake.Options.Token;
                options.ApiBaseUrl = _fake.ApiBaseUrl;
            })
            .AddCoachBotMetrics()
            .BuildServiceProvider();
        var coach = new CoachServices(_database.Store, _shipped, TimeProvider.System, new CoachSettings(TimeZoneInfo.Utc));
        _router = new InteractionRouter(
            new CommandRouter(coach),
            _services.GetRequiredService<InteractionResponder>(),
            new ReplyRenderer(),
            _services.GetRequiredService<CoachBotMetrics>(),
            _services.GetRequiredService<ILogger<InteractionRouter>>());
    }

    public async Task DisposeAsync()
    {
        _router.Dispose();
        await _services.DisposeAsync();
        await _database.DisposeAsync();
        await _fake.DisposeAsync();
    }

    /// <summary>One mutation: which node (by index into the tree's nodes), what to do to it, and which value to put there.</summary>
    private sealed record Mutation(int Node, int Kind, int Value);

    private static readonly Gen<(int Fixture, int Command, long User, Mutation[] Mutations)> _payload = Gen.Select(
        Gen.Int[0, _fixtures.Length - 1],
        Gen.Int[0, CommandCatalog.All.Count - 1],
        Gen.Long[1, 1_000_000],
        Gen.Select(Gen.Int[0, 10_000], Gen.Int[0, 7], Gen.Int[0, 1_000], (node, kind, value) => new Mutation(node, kind, value)).Array[0, 6]);

    [Fact]
    public async Task ParseAndHandle_OfMangledInteractionPayloads_NeverThrow_AndEveryReplyIsValidAndPingsNobody()
    {
        await _payload.SampleAsync(
            async sample => await RunCaseAsync(sample.Fixture, sample.Command, sample.User, sample.Mutations),
            iter: FuzzRuns.Iterations(ci: 300, full: 20_000),
            threads: 1,
            print: sample => $"{_fixtures[sample.Fixture]} /{CommandCatalog.All[sample.Command].Name} user {sample.User}: " +
                string.Join(", ", sample.Mutations.Select(m => $"node {m.Node} kind {m.Kind} value {m.Value}")));

        Assert.Empty(_fake.SchemaViolations);
    }

    private async Task RunCaseAsync(int fixture, int command, long user, Mutation[] mutations)
    {
        var json = DiscordFixtures.Read(_fixtures[fixture]).AsObject();
        Seed(json, CommandCatalog.All[command], user);
        foreach (var mutation in mutations)
        {
            Mutate(json, mutation);
        }

        // The fake accepts only callback types that fit the interaction's type, as Discord does.
        var fake = _fake.CreateInteraction(
            json["type"] is JsonValue type && type.TryGetValue<int>(out var number) ? number : 2,
            fromMessage: json["message"] is JsonObject);

        // Keep the interaction answerable at the fake unless a mutation took the identity away (then the parser must drop it).
        if (json["id"] is JsonValue)
        {
            json["id"] = fake.Id;
        }

        if (json["token"] is JsonValue)
        {
            json["token"] = fake.Token;
        }

        var parsed = DiscordPayloadParser.ParseInteraction(JsonSerializer.SerializeToElement(json));
        if (parsed.Value is { } interaction)
        {
            await _router.HandleAsync(new InteractionCreated(interaction, TimeProvider.System.GetTimestamp()), CancellationToken.None);
        }
        else
        {
            Assert.False(string.IsNullOrWhiteSpace(parsed.Error));
        }

        Assert.Empty(_fake.SchemaViolations);
        Assert.Empty(fake.RefusedCallbacks);
        foreach (var body in fake.Callbacks.Concat(fake.OriginalEdits).Concat(fake.Followups))
        {
            var node = JsonNode.Parse(body)!;
            var message = node["data"] as JsonObject ?? node as JsonObject;
            var content = message?["content"]?.GetValue<string>() ?? "";
            Assert.True(content.Length <= 2000, $"Reply of {content.Length} characters");
            Assert.DoesNotContain("Exception", content, StringComparison.Ordinal);
            Assert.True(PingsNobody(message?["allowed_mentions"]) || !MentionGuard.HasLiveMention(content), body);
        }
    }

    /// <summary>A well-formed starting point: the fixture's invoker as a fresh member, and for commands a real command with every option.</summary>
    private static void Seed(JsonObject json, CommandDefinition command, long user)
    {
        var userId = (100_000_000_000_000_000L + user).ToString(CultureInfo.InvariantCulture);
        if (json["member"]?["user"] is JsonObject memberUser)
        {
            memberUser["id"] = userId;
        }

        if (json["user"] is JsonObject dmUser)
        {
            dmUser["id"] = userId;
        }

        if (json["type"]?.GetValue<int>() == 2 && json["data"] is JsonObject data)
        {
            data["name"] = command.Name;
            data["options"] = new JsonArray([.. command.Options.Select((option, index) => (JsonNode)new JsonObject
            {
                ["type"] = 3,
                ["name"] = option.Name,
                ["value"] = _hostile[(index * 7 + (int)(user % _hostile.Length)) % _hostile.Length],
            })]);
        }
    }

    private static void Mutate(JsonObject root, Mutation mutation)
    {
        var nodes = Descendants(root).ToList();
        var (parent, key, index) = nodes[mutation.Node % nodes.Count];
        JsonNode? replacement = mutation.Kind switch
        {
            0 => null, // removed
            1 => null, // JSON null
            2 => JsonValue.Create(mutation.Value - 500),
            3 => JsonValue.Create(mutation.Value % 2 == 0),
            4 => new JsonArray(JsonValue.Create(_hostile[mutation.Value % _hostile.Length]), new JsonObject { ["type"] = mutation.Value }),
            5 => new JsonObject { ["options"] = new JsonArray(new JsonObject { ["name"] = _hostile[mutation.Value % _hostile.Length], ["type"] = mutation.Value % 12, ["options"] = new JsonArray(JsonValue.Create(1)) }) },
            _ => JsonValue.Create(_hostile[mutation.Value % _hostile.Length]),
        };

        if (mutation.Kind == 7 && parent is JsonObject unknownTarget)
        {
            unknownTarget["x_unknown_" + mutation.Value] = replacement;
            return;
        }

        switch (parent)
        {
            case JsonObject obj when mutation.Kind == 0:
                obj.Remove(key!);
                break;
            case JsonObject obj:
                obj[key!] = replacement;
                break;
            case JsonArray array when index >= array.Count:
                array.Add(replacement);
                break;
            case JsonArray array when mutation.Kind == 0:
                array.RemoveAt(index);
                break;
            case JsonArray array:
                array[index] = replacement;
                break;
        }
    }

    /// <summary>Every node below the root with its parent and its place there.</summary>
    private static IEnumerable<(JsonNode Parent, string? Key, int Index)> Descendants(JsonNode node)
    {
        yield return (node, "x_root_extra", 0);
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, child) in obj.ToList())
                {
                    yield return (obj, key, 0);
                    if (child is not null)
                    {
                        foreach (var below in Descendants(child))
                        {
                            yield return below;
                        }
                    }
                }

                break;
            case JsonArray array:
                for (var i = 0; i < array.Count; i++)
                {
                    yield return (array, null, i);
                    if (array[i] is { } child)
                    {
                        foreach (var below in Descendants(child))
                        {
                            yield return below;
                        }
                    }
                }

                break;
        }
    }

    private static bool PingsNobody(JsonNode? allowedMentions) =>
        allowedMentions is JsonObject mentions
        && (mentions["parse"] as JsonArray ?? []).Count == 0
        && (mentions["users"] as JsonArray ?? []).Count == 0
        && (mentions["roles"] as JsonArray ?? []).Count == 0;
}
