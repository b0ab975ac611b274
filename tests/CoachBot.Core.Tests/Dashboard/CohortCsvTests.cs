using CoachBot.Core.Dashboard;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Tests.Dashboard;

public sealed class CohortCsvTests
{
    [Theory]
    [InlineData("=1+1", "'=1+1")]
    [InlineData("+SUM(A1)", "'+SUM(A1)")]
    [InlineData("@cmd", "'@cmd")]
    [InlineData("-2+3", "'-2+3")]
    [InlineData("\tTab", "'\tTab")]
    [InlineData("Plain name", "Plain name")]
    [InlineData("-5", "-5")]
    public void A_name_a_spreadsheet_would_run_gets_an_apostrophe(string name, string expected)
    {
        var csv = CohortCsv.Write([Row(name)], TimeZoneInfo.Utc);

        Assert.Equal(expected, Fields(csv.Split("\r\n")[1])[0]);
    }

    [Fact]
    public void Commas_quotes_and_line_breaks_round_trip()
    {
        var note = "line one\nline two, with \"quotes\"";
        var csv = CohortCsv.Write([Row("Doe, Jane", note)], TimeZoneInfo.Utc);

        var record = Fields(csv[(csv.IndexOf("\r\n", StringComparison.Ordinal) + 2)..]);

        Assert.Equal("Doe, Jane", record[0]);
        Assert.Equal(note, record[12]);
        Assert.EndsWith("\r\n", csv, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("behind", CohortFilter.Behind)]
    [InlineData("BLOCKED", CohortFilter.Blocked)]
    [InlineData("1", CohortFilter.All)]
    [InlineData("99", CohortFilter.All)]
    [InlineData("<script>", CohortFilter.All)]
    [InlineData(null, CohortFilter.All)]
    public void A_filter_from_an_address_is_a_known_one_or_the_default(string? value, CohortFilter expected) =>
        Assert.Equal(expected, CohortTable.Parse(value, CohortFilter.All));

    [Fact]
    public void Sorting_breaks_ties_by_name_then_enrolment_and_puts_rows_that_cannot_be_shown_last()
    {
        CohortTableRow[] rows = [Row("bo", behind: 2, id: 2), Row("al", behind: 2, id: 3), Row("al", behind: 2, id: 1), Row("zz", behind: 9, id: 4) with { CanBeShown = false }];

        var sorted = CohortTable.Apply(rows, CohortFilter.All, CohortSort.Behind, descending: true);

        Assert.Equal([1L, 3L, 2L, 4L], sorted.Select(row => row.EnrolmentId));
    }

    /// <summary>A minimal RFC 4180 reader: enough to check what a spreadsheet would see.</summary>
    private static List<string> Fields(string record)
    {
        var fields = new List<string>();
        var field = new System.Text.StringBuilder();
        var quoted = false;
        for (var index = 0; index < record.Length; index++)
        {
            var character = record[index];
            if (quoted)
            {
                if (character == '"' && index + 1 < record.Length && record[index + 1] == '"')
                {
                    field.Append('"');
                    index++;
                }
                else if (character == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(character);
                }
            }
            else if (character == '"')
            {
                quoted = true;
            }
            else if (character == ',')
            {
                fields.Add(field.ToString());
                field.Clear();
            }
            else if (character == '\r')
            {
                break;
            }
            else
            {
                field.Append(character);
            }
        }

        fields.Add(field.ToString());
        return fields;
    }

    private static CohortTableRow Row(string name, string? note = null, int behind = 0, long id = 1) => new(
        id, 1, name, "ai-safety", "AI safety", true, "phase 1, week 2", 2, 40, 3, 30, 10, behind, 1,
        note is null ? null : new CheckInAnswer(id, 2, CheckInStatus.Blocked, note, DateTimeOffset.UnixEpoch), false, null, false);
}
