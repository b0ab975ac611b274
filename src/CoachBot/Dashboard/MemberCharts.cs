using CoachBot.Core.Enrolment;

namespace CoachBot.Dashboard;

/// <summary>The member page's chart, drawn on the server from the Core's view of the member's weeks.</summary>
internal static class MemberCharts
{
    public static string? Weeks(CohortRow row) => null;
}
