using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Discord.Models;

/// <summary>A Discord id: a 64-bit number that travels as a JSON string.</summary>
[JsonConverter(typeof(SnowflakeJsonConverter))]
public readonly record struct Snowflake(ulong Value)
{
    private const long DiscordEpochMilliseconds = 1420070400000;

    /// <summary>When the id was minted (Discord docs: reference "Snowflakes").</summary>
    public DateTimeOffset CreatedAt => DateTimeOffset.FromUnixTimeMilliseconds((long)(Value >> 22) + DiscordEpochMilliseconds);

    public static Snowflake Parse(string text) =>
        TryParse(text, out var value) ? value : throw new FormatException($"'{text}' is not a Discord id (a decimal number).");

    public static bool TryParse(string? text, out Snowflake value)
    {
        var ok = ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var raw);
        value = new Snowflake(raw);
        return ok;
    }

    public override string ToString() => Value.ToString(CultureInfo.InvariantCulture);
}

internal sealed class SnowflakeJsonConverter : JsonConverter<Snowflake>
{
    public override Snowflake Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType != JsonTokenType.String || !Snowflake.TryParse(reader.GetString(), out var value))
        {
            throw new JsonException("A Discord id must be a string of digits.");
        }

        return value;
    }

    public override void Write(Utf8JsonWriter writer, Snowflake value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());

    public override Snowflake ReadAsPropertyName(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        Snowflake.TryParse(reader.GetString(), out var value) ? value : throw new JsonException("A Discord id key must be a string of digits.");

    public override void WriteAsPropertyName(Utf8JsonWriter writer, Snowflake value, JsonSerializerOptions options) =>
        writer.WritePropertyName(value.ToString());
}

/// <summary>Accepts a number as well as a string: for fields that are a snowflake or a small integer depending on context.</summary>
internal sealed class LenientSnowflakeJsonConverter : JsonConverter<Snowflake>
{
    public override Snowflake Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
        reader.TokenType == JsonTokenType.Number && reader.TryGetUInt64(out var number)
            ? new Snowflake(number)
            : new SnowflakeJsonConverter().Read(ref reader, typeToConvert, options);

    public override void Write(Utf8JsonWriter writer, Snowflake value, JsonSerializerOptions options) =>
        writer.WriteStringValue(value.ToString());
}
