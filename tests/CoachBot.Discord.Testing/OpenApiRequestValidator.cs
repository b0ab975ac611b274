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
    public IReadOnlyList<string> Validate(string method, string path, string body) =>
        [.. ValidateWithLocations(method, path, body).Select(p => p.Text)];

    /// <summary>
    /// The same problems with where they are in the body (a JSON pointer) and a Discord-style error code, so the fake can
    /// answer 400 / 50035 with an <c>errors</c> object as Discord does.
    /// </summary>
    public IReadOnlyList<RequestBodyProblem> ValidateWithLocations(string method, string path, string body)
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
            return [new RequestBodyProblem("", "BASE_TYPE_INVALID", $"{method} {path}: the body is not JSON")];
        }

        var problems = new List<RequestBodyProblem>();
        problems.AddRange(CheckDocumentedLimits(route.Template, node));

        // The spec types default_member_permissions as an integer, the docs as a string: check the string rule
        // above and validate a copy with the documented string converted.
        var copy = node?.DeepClone();
        ConvertPermissionsToIntegers(copy);
        var results = route.Schema.Evaluate(JsonSerializer.SerializeToElement(copy), new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (!results.IsValid)
        {
            var details = (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
                .SelectMany(d => d.Errors!.Select(e => (Location: d.InstanceLocation.ToString(), Keyword: e.Key, Text: $"{d.InstanceLocation}: {e.Key} {e.Value}")))
                .DistinctBy(e => e.Text)
                .Take(10)
                .ToList();
            var summary = $"{method} {path} does not match the OpenAPI schema for {route.Template}: {(details.Count > 0 ? string.Join("; ", details.Select(d => d.Text)) : "invalid")}";
            if (details.Count == 0)
            {
                problems.Add(new RequestBodyProblem("", "BASE_TYPE_INVALID", summary));
            }

            // One summary line for the test's failure message; each detail keeps its own location for the errors object.
            problems.AddRange(details.Select((d, i) => new RequestBodyProblem(d.Location, CodeFor(d.Keyword), i == 0 ? summary : d.Text)));
        }

        return problems;
    }

    private static string CodeFor(string keyword) => keyword switch
    {
        "maxLength" or "maxItems" or "maximum" => "BASE_TYPE_MAX_LENGTH",
        "minLength" or "minItems" or "minimum" => "BASE_TYPE_MIN_LENGTH",
        "required" => "BASE_TYPE_REQUIRED",
        "enum" or "const" => "BASE_TYPE_CHOICES",
        _ => "BASE_TYPE_INVALID",
    };

    private static IEnumerable<RequestBodyProblem> CheckDocumentedLimits(string template, JsonNode? body)
    {
        if (template.EndsWith("/commands", StringComparison.Ordinal))
        {
            var commands = body is JsonArray array ? array.ToList() : [body];
            for (var i = 0; i < commands.Count; i++)
            {
                if (commands[i] is JsonObject command)
                {
                    foreach (var problem in CheckCommand(command, body is JsonArray ? $"/{i}" : ""))
                    {
                        yield return problem;
                    }
                }
            }

            yield break;
        }

        var callback = template.EndsWith("/callback", StringComparison.Ordinal);
        var message = callback ? body?["data"] as JsonObject : body as JsonObject;
        var at = callback ? "/data" : "";
        if (message is null)
        {
            yield break;
        }

        if (message["content"] is JsonValue content && content.TryGetValue<string>(out var text) && text.Length > 2000)
        {
            yield return new(at + "/content", "BASE_TYPE_MAX_LENGTH", $"content has {text.Length} characters; bots may send 2000");
        }

        if (message["embeds"] is JsonArray embeds)
        {
            var total = embeds.OfType<JsonObject>().Sum(EmbedLength);
            if (total > 6000)
            {
                yield return new(at + "/embeds", "BASE_TYPE_MAX_LENGTH", $"embeds hold {total} characters in total; Discord allows 6000");
            }
        }

        var flags = message["flags"] is JsonValue f && f.TryGetValue<int>(out var n) ? n : 0;
        if (message["components"] is JsonArray rows && (flags & (1 << 15)) == 0 && rows.Count > 5)
        {
            yield return new(at + "/components", "BASE_TYPE_MAX_LENGTH", $"{rows.Count} action rows; Discord allows 5");
        }

        if (message["choices"] is JsonArray choices)
        {
            foreach (var problem in CheckChoices(choices, "choices", at + "/choices"))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<RequestBodyProblem> CheckCommand(JsonObject command, string at)
    {
        var type = command["type"] is JsonValue t && t.TryGetValue<int>(out var n) ? n : 1;
        var name = command["name"]?.GetValue<string>() ?? "";
        if (type == 1)
        {
            foreach (var problem in CheckName(name, $"command '{name}'", at + "/name"))
            {
                yield return problem;
            }
        }

        if (command["default_member_permissions"] is JsonValue permissions && permissions.GetValueKind() != JsonValueKind.String)
        {
            yield return new(at + "/default_member_permissions", "BASE_TYPE_INVALID", $"command '{name}': default_member_permissions must be a string (docs), got {permissions.GetValueKind()}");
        }

        foreach (var problem in CheckOptions(command["options"] as JsonArray, name, at + "/options"))
        {
            yield return problem;
        }
    }

    private static IEnumerable<RequestBodyProblem> CheckOptions(JsonArray? options, string owner, string at)
    {
        var seenOptional = false;
        var index = -1;
        foreach (var node in options ?? [])
        {
            index++;
            if (node is not JsonObject option)
            {
                continue;
            }

            var here = $"{at}/{index}";
            var name = option["name"]?.GetValue<string>() ?? "";
            foreach (var problem in CheckName(name, $"option '{owner} {name}'", here + "/name"))
            {
                yield return problem;
            }

            var required = option["required"] is JsonValue r && r.GetValueKind() == JsonValueKind.True;
            if (required && seenOptional)
            {
                yield return new(here + "/required", "APPLICATION_COMMAND_OPTIONS_REQUIRED_INVALID", $"option '{owner} {name}': required options must come before optional ones");
            }

            seenOptional |= !required && option["type"]?.GetValue<int>() is not (1 or 2);
            if (option["choices"] is JsonArray choices)
            {
                if (option["autocomplete"] is JsonValue a && a.GetValueKind() == JsonValueKind.True)
                {
                    yield return new(here + "/autocomplete", "BASE_TYPE_INVALID", $"option '{owner} {name}': autocomplete cannot be combined with choices");
                }

                foreach (var problem in CheckChoices(choices, $"option '{owner} {name}'", here + "/choices"))
                {
                    yield return problem;
                }
            }

            foreach (var problem in CheckOptions(option["options"] as JsonArray, $"{owner} {name}", here + "/options"))
            {
                yield return problem;
            }
        }
    }

    private static IEnumerable<RequestBodyProblem> CheckChoices(JsonArray choices, string owner, string at)
    {
        if (choices.Count > 25)
        {
            yield return new(at, "BASE_TYPE_MAX_LENGTH", $"{owner}: {choices.Count} choices; Discord allows 25");
        }

        for (var i = 0; i < choices.Count; i++)
        {
            if (choices[i]?["value"] is JsonValue value && value.GetValueKind() == JsonValueKind.String && value.GetValue<string>().Length > 100)
            {
                yield return new($"{at}/{i}/value", "BASE_TYPE_MAX_LENGTH", $"{owner}: a choice value has {value.GetValue<string>().Length} characters; the docs allow 100");
            }
        }
    }

    private static IEnumerable<RequestBodyProblem> CheckName(string name, string what, string at)
    {
        if (!CommandNamePattern().IsMatch(name))
        {
            yield return new(at, "APPLICATION_COMMAND_INVALID_NAME", $"{what}: the name does not match ^[-_'\\p{{L}}\\p{{N}}]{{1,32}}$");
        }

        if (!string.Equals(name, name.ToLowerInvariant(), StringComparison.Ordinal))
        {
            yield return new(at, "APPLICATION_COMMAND_INVALID_NAME", $"{what}: names must be lower-case");
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

/// <summary>One problem in a request body: where (a JSON pointer, "" for the whole body), Discord's error code, and a sentence.</summary>
public sealed record RequestBodyProblem(string Location, string Code, string Text)
{
    /// <summary>
    /// Discord's <c>errors</c> object for these problems: nested by field name and array index, each leaf
    /// <c>{"_errors":[{code, message}]}</c>, request-wide problems under a top-level <c>_errors</c> (docs/discord-protocol.md §2.3).
    /// </summary>
    public static JsonObject ErrorsObject(IEnumerable<RequestBodyProblem> problems)
    {
        ArgumentNullException.ThrowIfNull(problems);
        var errors = new JsonObject();
        foreach (var problem in problems)
        {
            var node = errors;
            foreach (var segment in problem.Location.Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                var key = segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
                if (node[key] is not JsonObject child)
                {
                    child = new JsonObject();
                    node[key] = child;
                }

                node = child;
            }

            if (node["_errors"] is not JsonArray list)
            {
                list = [];
                node["_errors"] = list;
            }

            list.Add(new JsonObject { ["code"] = problem.Code, ["message"] = problem.Text });
        }

        return errors;
    }
}
