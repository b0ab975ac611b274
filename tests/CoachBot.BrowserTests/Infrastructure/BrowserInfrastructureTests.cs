using System.Buffers.Binary;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CoachBot.BrowserTests.Infrastructure;

/// <summary>
/// The browser infrastructure proven on <see cref="StandInSite"/>: what the dashboard's tests rely on (keyboard,
/// forms, downloads, axe-core, screenshots) works here, offline, in Debian's Chromium.
/// </summary>
[Collection(BrowserTests.Name)]
public sealed class BrowserInfrastructureTests(BrowserFixture browser, ITestOutputHelper output) : IAsyncLifetime
{
    private StandInSite? _site;

    private StandInSite Site => _site ?? throw new InvalidOperationException("The stand-in site did not start.");

    public async Task InitializeAsync() => _site = await StandInSite.StartAsync();

    public async Task DisposeAsync()
    {
        if (_site is not null)
        {
            await _site.DisposeAsync();
        }
    }

    [SkippableFact]
    public async Task TheBrowser_FillsAndSubmitsAForm_ByKeyboardAlone()
    {
        browser.SkipUnlessAvailable();
        output.WriteLine($"Playwright and Chromium started in {browser.LaunchDuration.TotalMilliseconds:F0} ms.");
        await using var session = await browser.OpenAsync(Site.Address);
        var page = session.Page;

        await page.GotoAsync("/");
        await page.Keyboard.PressAsync("Tab");
        await Expect(page.GetByLabel("Your name")).ToBeFocusedAsync();
        await page.Keyboard.TypeAsync("Ada <Lovelace>");
        await page.Keyboard.PressAsync("Enter");

        await Expect(page).ToHaveTitleAsync("Checked in");
        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("Thanks, Ada <Lovelace>: your check-in is saved.");
        await BrowserFixture.SaveScreenshotsAsync(page, "infrastructure-form-submitted");
    }

    [SkippableFact]
    public async Task TheBrowser_DownloadsAFileServedAsAttachment_AndTheTestReadsIt()
    {
        browser.SkipUnlessAvailable();
        await using var session = await browser.OpenAsync(Site.Address);
        var page = session.Page;
        await page.GotoAsync("/");

        var download = await page.RunAndWaitForDownloadAsync(
            () => page.GetByRole(AriaRole.Link, new() { Name = "Download the cohort as CSV" }).PressAsync("Enter"));

        Assert.Equal(StandInSite.CsvFileName, download.SuggestedFilename);
        var path = await download.PathAsync();
        Assert.Equal(StandInSite.CsvContent, await File.ReadAllTextAsync(path));
        // An attachment does not navigate: the page the link was on is still shown.
        await Expect(page).ToHaveTitleAsync("Check in");
    }

    [SkippableFact]
    public async Task Axe_PassesAnAccessiblePage_UnderTheDashboardsContentSecurityPolicy()
    {
        browser.SkipUnlessAvailable();
        await using var session = await browser.OpenAsync(Site.Address);
        await session.Page.GotoAsync("/");

        await Accessibility.AssertNoSeriousViolationsAsync(session.Page);
    }

    [SkippableFact]
    public async Task Axe_FailsAnInaccessiblePage_NamingEachRuleImpactAndElement()
    {
        browser.SkipUnlessAvailable();
        await using var session = await browser.OpenAsync(Site.Address);
        await session.Page.GotoAsync("/inaccessible");

        var failure = await Assert.ThrowsAnyAsync<Exception>(() => Accessibility.AssertNoSeriousViolationsAsync(session.Page));

        output.WriteLine(failure.Message);
        Assert.Contains("image-alt (critical) at img:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("label (critical) at input:", failure.Message, StringComparison.Ordinal);
        Assert.Contains("Images must have alternative text", failure.Message, StringComparison.Ordinal);
    }

    [SkippableFact]
    public async Task Screenshots_AreWrittenFullPage_At375And1440PixelsWide()
    {
        browser.SkipUnlessAvailable();
        await using var session = await browser.OpenAsync(Site.Address);
        await session.Page.GotoAsync("/");

        var files = await BrowserFixture.SaveScreenshotsAsync(session.Page, "infrastructure-screenshots");

        Assert.Equal(
            [Path.Combine(BrowserFixture.ScreenshotDirectory, "infrastructure-screenshots-375.png"), Path.Combine(BrowserFixture.ScreenshotDirectory, "infrastructure-screenshots-1440.png")],
            files);
        Assert.Equal([375, 1440], files.Select(PngWidth));
        // The viewport is put back for the rest of the test.
        Assert.Equal(1440, session.Page.ViewportSize?.Width);
    }

    [Fact]
    public async Task AMissingBrowser_SkipsWithTheInstallSentence_OrFailsWhereRequired()
    {
        var missing = new BrowserFixture("/nonexistent/chromium");
        await missing.InitializeAsync();

        var skipped = Assert.Throws<SkipException>(() => missing.SkipUnlessAvailable(required: false));
        var failed = Assert.Throws<InvalidOperationException>(() => missing.SkipUnlessAvailable(required: true));

        var sentence = BrowserFixture.NotInstalledMessage("/nonexistent/chromium");
        Assert.Equal(sentence, skipped.Message);
        Assert.Equal(sentence, failed.Message);
        Assert.Contains("apt-get install chromium", sentence, StringComparison.Ordinal);
        await missing.DisposeAsync();
    }

    // A PNG's width is the big-endian number right after its signature and the IHDR chunk's length and type.
    private static int PngWidth(string file) => BinaryPrimitives.ReadInt32BigEndian(File.ReadAllBytes(file).AsSpan(16, 4));
}
