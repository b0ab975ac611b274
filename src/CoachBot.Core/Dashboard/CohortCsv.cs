using System.Globalization;
using System.Text;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Dashboard;

/// <summary>
/// The cohort table as CSV (RFC 4180: a header row, fields quoted where needed, CRLF line ends). Display names and
/// notes are members' own text: a field a spreadsheet would run as a formula (starting with =, +, -, @, tab or CR) gets
/// a leading apostrophe, so opening the file never runs anything.
/// </summary>
public static class CohortCsv
{
    public const string ContentType = "text/csv; charset=utf-8";

    private static readonly string[] Header =
    [
        "member", "pathway", "where", "week", "of_weeks", "tasks_done", "tasks_total", "percent", "behind_by", "streak_weeks",
        "last_checkin_week", "last_checkin", "last_checkin_note", "last_checkin_at", "paused", "dms_closed",
    ];

    public static string Write(IReadOnlyList<CohortTableRow> rows, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(zone);
        var csv = new StringBuilder();
        Line(csv, Header);
        foreach (var row in rows)
        {
            var checkIn = row.LastCheckIn;
            Line(csv,
            [
                row.DisplayName,
                row.PathwayId,
                row.Where,
                Number(row.Week),
                Number(row.TotalWeeks),
                Number(row.Done),
                Number(row.Total),
                Number(row.Percent),
                Number(row.Behind),
                Number(row.Streak),
                checkIn is null ? "" : Number(checkIn.Week),
                checkIn is null ? "" : Text.CheckIn(checkIn.Status),
                checkIn?.Note ?? "",
                checkIn is null ? "" : TimeZoneInfo.ConvertTime(checkIn.AnsweredAt, zone).ToString("yyyy-MM-dd HH:mm", CultureInfo.InvariantCulture),
                row.Paused ? "yes" : "no",
                row.DmsClosed ? "yes" : "no",
            ]);
        }

        return csv.ToString();
    }

    private static string Number(int value) => value.ToString(CultureInfo.InvariantCulture);

    private static void Line(StringBuilder csv, string[] fields)
    {
        for (var index = 0; index < fields.Length; index++)
        {
            if (index > 0)
            {
                csv.Append(',');
            }

            csv.Append(Field(fields[index]));
        }

        csv.Append("\r\n");
    }

    private static string Field(string value)
    {
        // A plain number (e.g. "-3") is data, not a formula, to a spreadsheet.
        var formula = value.Length > 0 && value[0] is '=' or '+' or '-' or '@' or '\t' or '\r'
            && !decimal.TryParse(value, NumberStyles.Number, CultureInfo.InvariantCulture, out _);
        var safe = formula ? "'" + value : value;
        return safe.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + safe.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : safe;
    }
}
