using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Json.Schema;

namespace CoachBot.Discord.Testing;

/// <summary>
/// Validates REST request bodies against Discord's OpenAPI spec (DiscordApiSpec/openapi.json, JSON Schema 2020-12),
/// plus the documented limits the spec does not express: content ≤ 2000, command and option names lower-case
/// and matching the name pattern, string choice values ≤ 100, the 6000-character embed total, ≤ 5 action rows,
/// and <c>default_member_permissions</c> as a string.
/// </summary>
public sealed partial class OpenApiRequestValidator
{
    private const string DefinitionsId = "https://discord.test/openapi/defs";
    private static readonly Lazy<OpenApiRequestValidator> SharedInstance = new(() => Load(Path.Combine(AppContext.BaseDirectory, "DiscordApiSpec", "openapi.json")));

    private readonly List<RouteSchema> _routes = [];

    private OpenApiRequestValidator(JsonNode spec)
    {
        var buildOptions = new BuildOptions { SchemaRegistry = new SchemaRegistry() };
        var definitions = spec["components"]!["schemas"]!.DeepClone();
        RewriteReferences(definitions);
        var document = new JsonObject
        {
            ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
            ["$id"] = DefinitionsId,
            ["$defs"] = definitions,
        };
        JsonSchema.Build(JsonSerializer.SerializeToElement(document), buildOptions, new Uri(DefinitionsId));

        // The table of DiscordApiSpec/README.md: which schema checks which request.
        Add(buildOptions, "PUT", "/applications/{}/commands", ArrayOf("ApplicationCommandUpdateRequest", 130));
        Add(buildOptions, "PUT", "/applications/{}/guilds/{}/commands", ArrayOf("ApplicationCommandUpdateRequest", 130));
        Add(buildOptions, "POST", "/applications/{}/commands", Reference("ApplicationCommandCreateRequest"));
        Add(buildOptions, "POST", "/interactions/{}/{}/callback", OperationBody(spec, "/interactions/{interaction_id}/{interaction_token}/callback", "post"));
        Add(buildOptions, "PATCH", "/webhooks/{}/{}/messages/@original", Reference("IncomingWebhookUpdateRequestPartial"));
        Add(buildOptions, "POST", "/webhooks/{}/{}", Reference("IncomingWebhookRequestPartial"));
        Add(buildOptions, "POST", "/users/@me/channels", Reference("CreatePrivateChannelRequest"));
        Add(buildOptions, "POST", "/channels/{}/messages", Reference("MessageCreateRequest"));
    }

    /// <summary>One validator per process: the spec is large and immutable.</summary>
    public static OpenApiRequestValidator Shared => SharedInstance.Value;

    public static OpenApiRequestValidator Load(string specPath) =>
        new(JsonNode.Parse(File.ReadAllText(specPath)) ?? throw new InvalidDataException($"{specPath} is empty."));

    /// <summary>True when the spec has a request schema for this method and path (path relative to /api/v10).</summary>
    public bool Covers(string method, string path) => Find(method, path) is not null;

    /// <summary>Problems with <paramref name="body"/> for <paramref name="method"/> <paramref name="path"/>; empty when valid.</summary>
    public IReadOnlyList<string> Validate(string method, string path, string body)
    {
        var route = Find(method, path);
        if (route is null)
        {
            return [];
        }

        JsonNode? node;
        try
        {
            node = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return [$"{method} {path}: the body is not JSON"];
        }

        var problems = new List<string>();
        problems.AddRange(CheckDocumentedLimits(route.Template, node));

        // The spec types default_member_permissions as an integer, the docs as a string: check the string rule
        // above and validate a copy with the documented string converted.
        var copy = node?.DeepClone();
        ConvertPermissionsToIntegers(copy);
        var results = route.Schema.Evaluate(JsonSerializer.SerializeToElement(copy), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var details = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key} {e.Value}"))
                .Distinct()
                .Take(10)
                .ToList();
            problems.Add($"{method} {path} does not match the OpenAPI schema for {route.Template}: {(details.Count > 0 ? string.Join("; ", details) : "invalid")}");
        }

        return problems;
    }

    private static IEnumerable<string> CheckDocumentedLimits(string template, JsonNode? body)
    {
        if (template.EndsWith("/commands", StringComparison.Ordinal))
        {
            var commands = body is JsonArray array ? array.ToList() : [body];
            foreach (var command in commands.OfType<JsonObject>())
            {
                foreach (var problem in CheckCommand(command))
                {
                    yield return problem;
                }
            }

            yield break;
        }

        var message = template.EndsWith("/callback", StringComparison.Ordinal) ? body?["data"] as JsonObject : body as JsonObject;
        if (message is null)
        {
            yield break;
        }

        if (message["content"] is JsonValue content && content.TryGetValue<string>(out var text) && text.Length > 2000)
        {
            yield return $"content has {text.Length} characters; bots may send 2000";
        }

        if (message["embeds"] is JsonArray embeds)
        {
            var total = embeds.OfType<JsonObject>().Sum(EmbedLength);
            if (total > 6000)
            {
                yield return $"embeds hold {total} characters in total; Discord allows 6000";
            }
        }

        var flags = message["flags"] is JsonValue f && f.TryGetValue<int>(out var n) ? n : 0;
        if (message["components"] is JsonArray rows && (flags & (1 << 15)) == 0 && rows.Count > 5)
        {
            yield return $"{rows.Count} action rows; Discord allows 5";
        }

        if (message["choices"] is JsonArray choices)
        {
            foreach (var problem in CheckChoices(choices, "choices"))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<string> CheckCommand(JsonObject command)
    {
        var type = command["type"] is JsonValue t && t.TryGetValue<int>(out var n) ? n : 1;
        var name = command["name"]?.GetValue<string>() ?? "";
        if (type == 1)
        {
            foreach (var problem in CheckName(name, $"command '{name}'"))
            {
                yield return problem;
            }
        }

        if (command["default_member_permissions"] is JsonValue permissions && permissions.GetValueKind() != JsonValueKind.String)
        {
            yield return $"command '{name}': default_member_permissions must be a string (docs), got {permissions.GetValueKind()}";
        }

        foreach (var problem in CheckOptions(command["options"] as JsonArray, name))
        {
            yield return problem;
        }
    }

    private static IEnumerable<string> CheckOptions(JsonArray? options, string owner)
    {
        var seenOptional = false;
        foreach (var option in (options ?? []).OfType<JsonObject>())
        {
            var name = option["name"]?.GetValue<string>() ?? "";
            foreach (var problem in CheckName(name, $"option '{owner} {name}'"))
            {
                yield return problem;
            }

            var required = option["required"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
            if (required && seenOptional)
            {
                yield return $"option '{owner} {name}': required options must come before optional ones";
            }

            seenOptional |= !required && option["type"]?.GetValue<int>() is not (1 or 2);
            if (option["choices"] is JsonArray choices)
            {
                if (option["autocomplete"] is JsonValue a && a.GetValueKind() == JsonValueKind.True)
                {
                    yield return $"option '{owner} {name}': autocomplete cannot be combined with choices";
                }

                foreach (var problem in CheckChoices(choices, $"option '{owner} {name}'"))
                {
                    yield return problem;
                }
            }

            foreach (var problem in CheckOptions(option["options"] as JsonArray, $"{owner} {name}"))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<string> CheckChoices(JsonArray choices, string owner)
    {
        if (choices.Count > 25)
        {
            yield return $"{owner}: {choices.Count} choices; Discord allows 25";
        }

        foreach (var choice in choices.OfType<JsonObject>())
        {
            if (choice["value"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 100)
            {
                yield return $"{owner}: a choice value has {value.GetValue<string>().Length} characters; the docs allow 100";
            }
        }
    }

    private static IEnumerable<string> CheckName(string name, string what)
    {
        if (!CommandNamePattern().IsMatch(name))
        {
            yield return $"{what}: the name does not match ^[-_'\\p{{L}}\\p{{N}}]{{1,32}}$";
        }

        if (!string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            yield return $"{what}: names must be lower-case";
        }
    }

    private static int EmbedLength(JsonObject embed)
    {
        static int Len(JsonNode? node) => node is JsonValue v && v.TryGetValue<string>(out var s) ? s.Trim().Length : 0;
        var length = Len(embed["title"]) + Len(embed["description"]) + Len(embed["footer"]?["text"]) + Len(embed["author"]?["name"]);
        foreach (var field in (embed["fields"] as JsonArray ?? []).OfType<JsonObject>())
        {
            length += Len(field["name"]) + Len(field["value"]);
        }

        return length;
    }

    private static void ConvertPermissionsToIntegers(JsonNode? node)
    {
        var commands = node is JsonArray array ? array.OfType<JsonObject>() : node is JsonObject single ? [single] : [];
        foreach (var command in commands)
        {
            if (command["default_member_permissions"] is JsonValue value && value.TryGetValue<string>(out var text)
                && long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var bits))
            {
                command["default_member_permissions"] = bits;
            }
        }
    }

    private void Add(BuildOptions buildOptions, string method, string pattern, JsonObject schema)
    {
        schema["$schema"] = "https://json-schema.org/draft/2020-12/schema";
        var id = new Uri($"https://discord.test/openapi/route/{_routes.Count}");
        schema["$id"] = id.ToString();
        var built = JsonSchema.Build(JsonSerializer.SerializeToElement(schema), buildOptions, id);
        var regex = new Regex("^" + Regex.Escape(pattern).Replace(@"\{}", "[^/]+", StringComparison.Ordinal) + "$", RegexOptions.CultureInvariant);
        _routes.Add(new RouteSchema(method, regex, pattern, built));
    }

    private RouteSchema? Find(string method, string path)
    {
        var bare = path.Split('?')[0];
        return _routes.FirstOrDefault(r => string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase) && r.Path.IsMatch(bare));
    }

    private static JsonObject Reference(string schemaName) => new() { ["$ref"] = $"{DefinitionsId}#/$defs/{schemaName}" };

    private static JsonObject ArrayOf(string schemaName, int maxItems) =>
        new() { ["type"] = "array", ["items"] = Reference(schemaName), ["maxItems"] = maxItems };

    private static JsonObject OperationBody(JsonNode spec, string path, string method)
    {
        var schema = spec["paths"]![path]![method]!["requestBody"]!["content"]!["application/json"]!["schema"]!.DeepClone();
        RewriteReferences(schema, DefinitionsId);
        return schema.AsObject();
    }

    private static void RewriteReferences(JsonNode? node, string prefix = "")
    {
        switch (node)
        {
            case JsonObject obj:
                foreach (var (key, value) in obj.ToList())
                {
                    // OpenAPI-only keywords are not JSON Schema; the validator refuses unknown keywords.
                    if (key.StartsWith("x-", StringComparison.Ordinal) || key is "discriminator" or "example" or "externalDocs" or "xml")
                    {
                        obj.Remove(key);
                    }
                    else if (key == "$ref" && value is JsonValue v && v.TryGetValue<string>(out var target) && target.StartsWith("#/components/schemas/", StringComparison.Ordinal))
                    {
                        obj["$ref"] = prefix + "#/$defs/" + target["#/components/schemas/".Length..];
                    }
                    else
                    {
                        RewriteReferences(value, prefix);
                    }
                }

                break;
            case JsonArray arr:
                foreach (var item in arr)
                {
                    RewriteReferences(item, prefix);
                }

                break;
        }
    }

    [GeneratedRegex(@"^[-_'\p{L}\p{N}\p{IsDevanagari}\p{IsThai}]{1,32}$")]
    private static partial Regex CommandNamePattern();

    private sealed record RouteSchema(string Method, Regex Path, string Template, JsonSchema Schema);
}
