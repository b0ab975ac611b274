using System.Text.Json;
using System.Text.Json.Serialization;

namespace CoachBot.Discord.Models;

/// <summary>Source-generated JSON for every Discord payload: snake_case, nulls omitted on write.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = false)]
[JsonSerializable(typeof(GatewayPayload))]
[JsonSerializable(typeof(HelloData))]
[JsonSerializable(typeof(ReadyData))]
[JsonSerializable(typeof(GatewayBotInfo))]
[JsonSerializable(typeof(IdentifyFrame))]
[JsonSerializable(typeof(ResumeFrame))]
[JsonSerializable(typeof(HeartbeatFrame))]
[JsonSerializable(typeof(Interaction))]
[JsonSerializable(typeof(DiscordGuild))]
[JsonSerializable(typeof(DiscordMessage))]
[JsonSerializable(typeof(DiscordChannel))]
[JsonSerializable(typeof(DiscordApplication))]
[JsonSerializable(typeof(DiscordErrorBody))]
[JsonSerializable(typeof(CreateDmRequest))]
[JsonSerializable(typeof(MessageCreate))]
[JsonSerializable(typeof(MessageEdit))]
[JsonSerializable(typeof(InteractionResponse))]
[JsonSerializable(typeof(IReadOnlyList<ApplicationCommandDefinition>))]
[JsonSerializable(typeof(List<ApplicationCommand>))]
[JsonSerializable(typeof(ApplicationCommandDefinition))]
[JsonSerializable(typeof(string))]
[JsonSerializable(typeof(long))]
[JsonSerializable(typeof(double))]
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class DiscordJsonContext : JsonSerializerContext;
