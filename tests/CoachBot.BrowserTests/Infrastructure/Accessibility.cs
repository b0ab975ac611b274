using System.Text;
using Deque.AxeCore.Commons;
using Deque.AxeCore.Playwright;
using Microsoft.Playwright;

namespace CoachBot.BrowserTests.Infrastructure;

/// <summary>
/// axe-core (embedded in Deque's package, injected into the page; nothing is fetched) run on a page as it is now.
/// </summary>
public static class Accessibility
{
    private static readonly string[] _blockingImpacts = ["serious", "critical"];

    /// <summary>
    /// Fails listing every serious or critical violation on the page: rule id, impact, the elements' selectors and
    /// what to do. Moderate and minor findings do not fail the test.
    /// </summary>
    public static async Task AssertNoSeriousViolationsAsync(IPage page)
    {
        var result = await page.RunAxe();
        var report = DescribeBlockingViolations(result.Violations);
        if (report.Length > 0)
        {
            Assert.Fail($"axe-core found serious or critical accessibility violations on {page.Url}:{report}");
        }
    }

    internal static string DescribeBlockingViolations(IEnumerable<AxeResultItem> violations)
    {
        var report = new StringBuilder();
        foreach (var violation in violations.Where(v => _blockingImpacts.Contains(v.Impact, StringComparer.Ordinal)))
        {
            var targets = string.Join(", ", violation.Nodes.Select(node => node.Target.ToString()));
            report.Append($"\n- {violation.Id} ({violation.Impact}) at {targets}: {violation.Help} ({violation.HelpUrl})");
        }

        return report.ToString();
    }
}
