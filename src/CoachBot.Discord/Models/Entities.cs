using System.Globalization;
using System.Text.Json.Serialization;

namespace CoachBot.Discord.Models;

/// <summary>A Discord user (partial: the fields a bot commonly needs).</summary>
public sealed record DiscordUser
{
    public Snowflake Id { get; init; }
    public string Username { get; init; } = "";
    public string? GlobalName { get; init; }
    public string? Discriminator { get; init; }
    public bool? Bot { get; init; }

    /// <summary>The name to show: the display name if set, else the user name.</summary>
    [JsonIgnore]
    public string DisplayName => string.IsNullOrEmpty(GlobalName) ? Username : GlobalName;
}

/// <summary>A guild member as carried by an interaction (with the member's computed permissions).</summary>
public sealed record GuildMember
{
    public DiscordUser? User { get; init; }
    public string? Nick { get; init; }
    public IReadOnlyList<Snowflake>? Roles { get; init; }

    /// <summary>Permission bitset as a decimal string (interactions only).</summary>
    public string? Permissions { get; init; }

    /// <summary>The parsed <see cref="Permissions"/> bitset (0 when absent or malformed).</summary>
    [JsonIgnore]
    public ulong PermissionBits =>
        ulong.TryParse(Permissions, NumberStyles.None, CultureInfo.InvariantCulture, out var bits) ? bits : 0;

    /// <summary>True when the member holds every bit of <paramref name="permission"/> (ADMINISTRATOR implies all).</summary>
    public bool HasPermission(ulong permission) =>
        (PermissionBits & DiscordPermissions.Administrator) != 0 || (PermissionBits & permission) == permission;
}

/// <summary>Permission bits (Discord docs: topics/permissions).</summary>
public static class DiscordPermissions
{
    public const ulong Administrator = 1UL << 3;
    public const ulong ManageChannels = 1UL << 4;
    public const ulong ManageGuild = 1UL << 5;
    public const ulong SendMessages = 1UL << 11;
    public const ulong ManageMessages = 1UL << 13;

    /// <summary>Formats a bitset the way <c>default_member_permissions</c> expects it (a decimal string).</summary>
    public static string ToDefaultMemberPermissions(ulong bits) => bits.ToString(CultureInfo.InvariantCulture);
}

public sealed record DiscordChannel
{
    public Snowflake Id { get; init; }
    public int Type { get; init; }
    public string? Name { get; init; }
    public Snowflake? GuildId { get; init; }
    public IReadOnlyList<DiscordUser>? Recipients { get; init; }
}

public sealed record DiscordMessage
{
    public Snowflake Id { get; init; }
    public Snowflake ChannelId { get; init; }
    public DiscordUser? Author { get; init; }
    public string? Content { get; init; }
    public string? Timestamp { get; init; }
    public int? Flags { get; init; }
    public IReadOnlyList<MessageComponent>? Components { get; init; }
}

public sealed record DiscordApplication
{
    public Snowflake Id { get; init; }
    public string? Name { get; init; }
    public long? Flags { get; init; }
}

/// <summary>A guild as delivered by GUILD_CREATE (only the fields a bot commonly uses).</summary>
public sealed record DiscordGuild
{
    public Snowflake Id { get; init; }
    public string? Name { get; init; }
    public Snowflake? OwnerId { get; init; }
    public bool? Unavailable { get; init; }
    public int? MemberCount { get; init; }
    public string? PreferredLocale { get; init; }
    public IReadOnlyList<DiscordChannel>? Channels { get; init; }
}
