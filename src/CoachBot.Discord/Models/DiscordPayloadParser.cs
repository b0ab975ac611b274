using System.Text.Json;
using System.Text.Json.Serialization.Metadata;

namespace CoachBot.Discord.Models;

/// <summary>The outcome of parsing a payload: a value, or a one-line reason the caller can log and drop.</summary>
public readonly record struct ParseResult<T>(T? Value, string? Error)
    where T : class
{
    public bool IsSuccess => Value is not null;
}

/// <summary>
/// Tolerant parsing of what Discord sends: unknown fields are ignored; missing or wrong-typed required fields
/// give a failed <see cref="ParseResult{T}"/> (never an exception).
/// </summary>
public static class DiscordPayloadParser
{
    public static ParseResult<GatewayPayload> ParseGatewayPayload(ReadOnlySpan<byte> utf8Json)
    {
        try
        {
            var payload = JsonSerializer.Deserialize(utf8Json, DiscordJsonContext.Default.GatewayPayload);
            return payload is null ? Failed<GatewayPayload>("the frame is JSON null") : new ParseResult<GatewayPayload>(payload, null);
        }
        catch (JsonException exception)
        {
            return Failed<GatewayPayload>($"the frame is not a gateway payload ({DescribeJsonError(exception)})");
        }
    }

    public static ParseResult<Interaction> ParseInteraction(JsonElement element)
    {
        var result = Parse(element, DiscordJsonContext.Default.Interaction);
        if (result.Value is not { } interaction)
        {
            return result;
        }

        if (interaction.Id.Value == 0 || string.IsNullOrEmpty(interaction.Token) || interaction.Type == 0 || interaction.ApplicationId.Value == 0)
        {
            return Failed<Interaction>("the interaction lacks id, application_id, type or token");
        }

        if (interaction.Type is InteractionType.ApplicationCommand or InteractionType.ApplicationCommandAutocomplete && string.IsNullOrEmpty(interaction.Data?.Name))
        {
            return Failed<Interaction>("the command interaction lacks data.name");
        }

        if (interaction.Type is InteractionType.MessageComponent or InteractionType.ModalSubmit && string.IsNullOrEmpty(interaction.Data?.CustomId))
        {
            return Failed<Interaction>("the component or modal interaction lacks data.custom_id");
        }

        return result;
    }

    public static ParseResult<ReadyData> ParseReady(JsonElement element)
    {
        var result = Parse(element, DiscordJsonContext.Default.ReadyData);
        return result.Value is { } ready && (string.IsNullOrEmpty(ready.SessionId) || string.IsNullOrEmpty(ready.ResumeGatewayUrl))
            ? Failed<ReadyData>("READY lacks session_id or resume_gateway_url")
            : result;
    }

    public static ParseResult<HelloData> ParseHello(JsonElement element)
    {
        var result = Parse(element, DiscordJsonContext.Default.HelloData);
        return result.Value is { HeartbeatInterval: <= 0 }
            ? Failed<HelloData>("HELLO lacks a positive heartbeat_interval")
            : result;
    }

    public static ParseResult<DiscordGuild> ParseGuild(JsonElement element)
    {
        var result = Parse(element, DiscordJsonContext.Default.DiscordGuild);
        return result.Value is { Id.Value: 0 } ? Failed<DiscordGuild>("the guild lacks an id") : result;
    }

    public static ParseResult<T> Parse<T>(JsonElement element, JsonTypeInfo<T> typeInfo)
        where T : class
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            return Failed<T>($"expected a JSON object for {typeof(T).Name}, got {element.ValueKind}");
        }

        try
        {
            var value = element.Deserialize(typeInfo);
            return value is null ? Failed<T>($"{typeof(T).Name} is null") : new ParseResult<T>(value, null);
        }
        catch (JsonException exception)
        {
            return Failed<T>($"{typeof(T).Name} is malformed ({DescribeJsonError(exception)})");
        }
        catch (InvalidOperationException exception)
        {
            return Failed<T>($"{typeof(T).Name} is malformed ({exception.Message})");
        }
    }

    private static ParseResult<T> Failed<T>(string error)
        where T : class => new(null, error);

    // The JsonException message can quote payload text; keep only the JSON path.
    private static string DescribeJsonError(JsonException exception) =>
        exception.Path is { Length: > 0 } path ? $"bad value at {path}" : "invalid JSON";
}
