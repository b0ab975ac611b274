using System.Globalization;
using CoachBot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CoachBot.Storage;

/// <summary>How values are written to and read from SQLite columns (see the header of 0001_initial.sql).</summary>
internal static class SqliteValues
{
    private const string InstantFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";
    private const string DateFormat = "yyyy-MM-dd";

    public static string Instant(DateTimeOffset instant) =>
        instant.UtcDateTime.ToString(InstantFormat, CultureInfo.InvariantCulture);

    public static object Instant(DateTimeOffset? instant) => instant is { } value ? Instant(value) : DBNull.Value;

    public static string Date(DateOnly date) => date.ToString(DateFormat, CultureInfo.InvariantCulture);

    public static object Date(DateOnly? date) => date is { } value ? Date(value) : DBNull.Value;

    public static string Time(TimeOnly time) => time.ToString("HH:mm", CultureInfo.InvariantCulture);

    public static DateTimeOffset GetInstant(this SqliteDataReader reader, int ordinal) =>
        DateTimeOffset.ParseExact(reader.GetString(ordinal), InstantFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static DateTimeOffset? GetInstantOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInstant(ordinal);

    public static DateOnly GetDate(this SqliteDataReader reader, int ordinal) =>
        DateOnly.ParseExact(reader.GetString(ordinal), DateFormat, CultureInfo.InvariantCulture);

    public static DateOnly? GetDateOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDate(ordinal);

    public static TimeOnly GetTime(this SqliteDataReader reader, int ordinal) =>
        TimeOnly.ParseExact(reader.GetString(ordinal), "HH:mm", CultureInfo.InvariantCulture);

    public static string? GetStringOrNull(this SqliteDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    public static string State(EnrolmentState state) => state == EnrolmentState.Paused ? "paused" : "active";

    public static string Kind(CompletionKind kind) => kind == CompletionKind.Done ? "done" : "undo";

    public static object Status(CheckInStatus? status) => status switch
    {
        CheckInStatus.OnTrack => "on-track",
        CheckInStatus.Behind => "behind",
        CheckInStatus.Blocked => "blocked",
        _ => DBNull.Value,
    };

    public static CheckInStatus? ParseStatus(string? text) => text switch
    {
        "on-track" => CheckInStatus.OnTrack,
        "behind" => CheckInStatus.Behind,
        "blocked" => CheckInStatus.Blocked,
        _ => null,
    };

    public static string Delivery(DeliveryState state) => state.ToString().ToLowerInvariant();

    public static DeliveryState ParseDelivery(string text) => Enum.Parse<DeliveryState>(text, ignoreCase: true);

    public static string Replan(ReplanKind kind) => kind switch
    {
        ReplanKind.Shift => "shift",
        ReplanKind.Pace => "pace",
        _ => "keep",
    };

    public static ReplanKind ParseReplan(string text) => text switch
    {
        "shift" => ReplanKind.Shift,
        "pace" => ReplanKind.Pace,
        "keep" => ReplanKind.KeepGoing,
        _ => throw new FormatException($"'{text}' is not a re-plan kind."),
    };
}
