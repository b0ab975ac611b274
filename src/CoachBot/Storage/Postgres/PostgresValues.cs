using System.Globalization;
using CoachBot.Core.Storage;
using Npgsql;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// How values are written to and read from PostgreSQL columns (see the header of Postgres/Migrations/0001_initial.sql):
/// the same values the SQLite store keeps (<see cref="SqliteValues"/>), so both backends hand back the same rows.
/// </summary>
internal static class PostgresValues
{
    /// <summary>
    /// An instant as timestamptz: in UTC and cut to the millisecond, as SQLite's text keeps it, so a value read back
    /// equals the one SQLite would give (and a compare-and-set on a read value matches).
    /// </summary>
    public static DateTime Instant(DateTimeOffset instant)
    {
        var utc = instant.UtcDateTime;
        return new DateTime(utc.Ticks - (utc.Ticks % TimeSpan.TicksPerMillisecond), DateTimeKind.Utc);
    }

    public static object Instant(DateTimeOffset? instant) => instant is { } value ? Instant(value) : DBNull.Value;

    public static object Date(DateOnly? date) => date is { } value ? value : DBNull.Value;

    /// <summary>
    /// Text as PostgreSQL can hold it. A lone UTF-16 surrogate becomes U+FFFD, as SQLite's UTF-8 keeps it (Npgsql would
    /// throw instead); U+0000, which SQLite keeps but PostgreSQL's text cannot hold, becomes U+FFFD too, so a pasted
    /// control character is stored instead of failing the member's command.
    /// </summary>
    public static string Text(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var span = text.AsSpan();
        if (span.IndexOf('\0') < 0 && span.IndexOfAnyInRange('\uD800', '\uDFFF') < 0)
        {
            return text;
        }

        return System.Text.Encoding.UTF8.GetString(System.Text.Encoding.UTF8.GetBytes(text)).Replace('\0', '\uFFFD');
    }

    public static DateTimeOffset GetInstant(this NpgsqlDataReader reader, int ordinal) =>
        new(DateTime.SpecifyKind(reader.GetFieldValue<DateTime>(ordinal), DateTimeKind.Utc));

    public static DateTimeOffset? GetInstantOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInstant(ordinal);

    public static DateOnly GetDate(this NpgsqlDataReader reader, int ordinal) => reader.GetFieldValue<DateOnly>(ordinal);

    public static DateOnly? GetDateOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetDate(ordinal);

    public static TimeOnly GetTime(this NpgsqlDataReader reader, int ordinal) =>
        TimeOnly.ParseExact(reader.GetString(ordinal), "HH:mm", CultureInfo.InvariantCulture);

    public static string? GetStringOrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetString(ordinal);

    // The text values (states, kinds, check-in statuses, 'HH:mm' times) are the SQLite store's.
    public static string Time(TimeOnly time) => SqliteValues.Time(time);

    public static string Kind(CompletionKind kind) => SqliteValues.Kind(kind);

    public static object Status(CheckInStatus? status) => SqliteValues.Status(status);

    public static CheckInStatus? ParseStatus(string? text) => SqliteValues.ParseStatus(text);

    public static string Delivery(DeliveryState state) => SqliteValues.Delivery(state);

    public static DeliveryState ParseDelivery(string text) => SqliteValues.ParseDelivery(text);

    public static string Replan(ReplanKind kind) => SqliteValues.Replan(kind);

    public static ReplanKind ParseReplan(string text) => SqliteValues.ParseReplan(text);

    public static long? GetInt64OrNull(this NpgsqlDataReader reader, int ordinal) =>
        reader.IsDBNull(ordinal) ? null : reader.GetInt64(ordinal);
}
