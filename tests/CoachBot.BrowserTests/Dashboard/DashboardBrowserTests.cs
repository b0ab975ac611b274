using System.Globalization;
using CoachBot.BrowserTests.Infrastructure;
using CoachBot.Core.Storage;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace CoachBot.BrowserTests.Dashboard;

/// <summary>
/// The dashboard in real headless Chromium, as an organiser uses it: open the link from <c>/coach dashboard</c>, see
/// the cohort, narrow it to who is behind, open a member and a pathway, download the CSV, by keyboard too; every page
/// checked by axe-core and photographed at 375 and 1440 px.
/// </summary>
[Collection(Infrastructure.BrowserTests.Name)]
public sealed class DashboardBrowserTests(BrowserFixture browser) : IAsyncLifetime
{
    private const string Server = "111111111111111111";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-dashboard-browser-");
    private DashboardTestHost? _dashboard;

    private DashboardTestHost Dashboard => _dashboard ?? throw new InvalidOperationException("The dashboard did not start.");

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardTestHost.StartAsync(_folder, TimeProvider.System);
        var now = TimeProvider.System.GetUtcNow();
        var today = DateOnly.FromDateTime(now.UtcDateTime);
        string DaysAgo(int days) => today.AddDays(-days).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        // Ada started four weeks ago and has done nothing: behind. Grace started today and ticked a task off. Bea is blocked.
        await Dashboard.RunAsync(Server, "ada", "Ada Lovelace", "enroll", ("pathway", "ai-safety"), ("start", DaysAgo(28)));
        await Dashboard.RunAsync(Server, "grace", "Grace Hopper", "enroll", ("pathway", "ai-safety"));
        await Dashboard.RunAsync(Server, "grace", "Grace Hopper", "done", ("task", "1"));
        await Dashboard.RunAsync(Server, "bea", "Bea Blocked", "enroll", ("pathway", "ai-safety"), ("start", DaysAgo(8)));
        var store = Dashboard.Services.GetRequiredService<ICoachStore>();
        var bea = (await store.GetCohortAsync("discord", Server, CancellationToken.None)).Single(entry => entry.Member.UserId == "bea");
        await store.SaveCheckInAsync(new CheckInAnswer(bea.Enrolment.Id, 1, CheckInStatus.Blocked, "Stuck installing CUDA", now), CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        if (_dashboard is not null)
        {
            await _dashboard.DisposeAsync();
        }

        _folder.Delete(recursive: true);
    }

    [SkippableFact]
    public async Task An_organiser_signs_in_sees_the_cohort_filters_to_behind_and_opens_a_member_and_a_pathway()
    {
        browser.SkipUnlessAvailable();
        await using var session = await browser.OpenAsync(Dashboard.BaseAddress);
        var page = session.Page;

        await page.GotoAsync((await Dashboard.SignInLinkAsync(Server)).ToString());

        await Expect(page).ToHaveTitleAsync("Cohort · CoachBot dashboard");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ada Lovelace" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" })).ToBeVisibleAsync();
        await CheckPageAsync(page, "dashboard-cohort");

        await page.GetByRole(AriaRole.Link, new() { Name = "Behind (" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Ada Lovelace" })).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Grace Hopper" })).ToHaveCountAsync(0);
        await CheckPageAsync(page, "dashboard-cohort-behind");

        await page.GetByRole(AriaRole.Link, new() { Name = "Ada Lovelace" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Ada Lovelace", Level = 1 })).ToBeVisibleAsync();
        await Expect(page.GetByText("behind by")).ToBeVisibleAsync();
        await Expect(page.GetByRole(AriaRole.Img, new() { Name = "Tasks per week: planned and done by Ada Lovelace" })).ToBeVisibleAsync();
        await CheckPageAsync(page, "dashboard-member");

        await page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = "Pathways" }).ClickAsync();
        await CheckPageAsync(page, "dashboard-pathways");
        await page.GetByRole(AriaRole.Heading, new() { Level = 2 }).GetByRole(AriaRole.Link).First.ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Phases" })).ToBeVisibleAsync();
        await CheckPageAsync(page, "dashboard-pathway");
    }

    [SkippableFact]
    public async Task The_CSV_downloads_with_the_members_of_the_view()
    {
        browser.SkipUnlessAvailable();
        await using var session = await browser.OpenAsync(Dashboard.BaseAddress);
        var page = session.Page;
        await page.GotoAsync((await Dashboard.SignInLinkAsync(Server)).ToString());
        await page.GetByRole(AriaRole.Link, new() { Name = "Blocked (" }).ClickAsync();

        var download = await page.RunAndWaitForDownloadAsync(() => page.GetByRole(AriaRole.Link, new() { Name = "Download CSV" }).ClickAsync());

        Assert.StartsWith("cohort-", download.SuggestedFilename, StringComparison.Ordinal);
        Assert.EndsWith(".csv", download.SuggestedFilename, StringComparison.Ordinal);
        var csv = await File.ReadAllTextAsync(await download.PathAsync());
        Assert.Contains("Bea Blocked", csv, StringComparison.Ordinal);
        Assert.Contains("Stuck installing CUDA", csv, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada Lovelace", csv, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Every_page_works_by_keyboard_and_passes_axe()
    {
        browser.SkipUnlessAvailable();
        await using var session = await browser.OpenAsync(Dashboard.BaseAddress);
        var page = session.Page;
        await page.GotoAsync((await Dashboard.SignInLinkAsync(Server)).ToString());

        // The first Tab reaches the skip link, and Enter on it moves the focus to the page's content.
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Skip to content" })).ToBeFocusedAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("main")).ToBeFocusedAsync();

        // Every section is reached from the navigation by keyboard alone.
        foreach (var (section, title) in new[] { ("Trends", "Trends"), ("Deliveries", "Deliveries"), ("Settings", "Settings"), ("Pathways", "Pathways"), ("Cohort", "Cohort") })
        {
            var link = page.GetByRole(AriaRole.Navigation).GetByRole(AriaRole.Link, new() { Name = section, Exact = true });
            await link.FocusAsync();
            await page.Keyboard.PressAsync("Enter");
            await Expect(page).ToHaveTitleAsync($"{title} · CoachBot dashboard");
            await CheckPageAsync(page, $"dashboard-{section.ToLowerInvariant()}-keyboard");
        }

        // A sortable column's header is a link that Enter follows, and says how the table is sorted.
        await page.GetByRole(AriaRole.Link, new() { Name = "On track" }).First.FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await Expect(page.Locator("th[aria-sort='descending']").First).ToBeVisibleAsync();
    }

    [SkippableFact]
    public async Task A_used_link_says_so_in_a_sentence()
    {
        browser.SkipUnlessAvailable();
        var link = (await Dashboard.SignInLinkAsync(Server)).ToString();
        await using (var first = await browser.OpenAsync(Dashboard.BaseAddress))
        {
            await first.Page.GotoAsync(link);
        }

        await using var second = await browser.OpenAsync(Dashboard.BaseAddress);
        await second.Page.GotoAsync(link);

        await Expect(second.Page.GetByRole(AriaRole.Alert)).ToHaveTextAsync("This sign-in link was already used. Links work once.");
        await CheckPageAsync(second.Page, "dashboard-link-used");
    }

    /// <summary>axe-core finds nothing serious or critical, and the page is photographed at both widths.</summary>
    private static async Task CheckPageAsync(IPage page, string name)
    {
        await Accessibility.AssertNoSeriousViolationsAsync(page);
        await BrowserFixture.SaveScreenshotsAsync(page, name);
    }
}
