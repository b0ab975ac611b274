using System.Diagnostics;
using Microsoft.Playwright;

namespace CoachBot.BrowserTests.Infrastructure;

/// <summary>
/// Every browser test class joins this collection, so the whole run launches one Chromium (about a second and a half
/// of start-up) and each test opens a fresh context of its own: no cookie, storage or download crosses tests.
/// </summary>
[CollectionDefinition(Name)]
public sealed class BrowserTests : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser";
}

/// <summary>
/// Debian's headless Chromium driven by Playwright. Playwright's own browser builds are never downloaded: it is
/// pointed at the system browser, and its driver (node and its scripts) ships inside the NuGet package. When the
/// browser is missing, each test is skipped with the sentence that says what to install; where
/// <c>COACHBOT_REQUIRE_BROWSER=1</c> (<c>.ci/run</c> sets it) the same sentence fails the test instead, so CI never
/// passes without having run them.
/// </summary>
public sealed class BrowserFixture : IAsyncLifetime
{
    public const string RequiredVariable = "COACHBOT_REQUIRE_BROWSER";
    public const string DefaultExecutablePath = "/usr/bin/chromium";

    /// <summary>The widths every page is checked and photographed at: a small phone and a desktop.</summary>
    public static readonly IReadOnlyList<int> ScreenshotWidths = [375, 1440];

    private const int DesktopHeight = 900;

    // What this machine and CI need: no sandbox (the tests run as root, where Chromium's sandbox refuses to start), no
    // GPU (there is none), and nothing that reaches the internet on its own (QUIC probes, component and extension
    // updates, sync, field trials); the tests only ever talk to 127.0.0.1.
    private static readonly string[] _arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
    ];

    private readonly string _executablePath;
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private string? _unavailable;

    public BrowserFixture()
        : this(DefaultExecutablePath)
    {
    }

    internal BrowserFixture(string executablePath) => _executablePath = executablePath;

    /// <summary>How long Playwright's driver and the browser took to start, shown by the infrastructure's own tests.</summary>
    public TimeSpan LaunchDuration { get; private set; }

    /// <summary>Where <see cref="SaveScreenshotsAsync"/> writes: browser-screenshots/ in the test output folder.</summary>
    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "browser-screenshots");

    private IBrowser Browser => _browser ?? throw new InvalidOperationException(_unavailable ?? "The browser fixture was not initialised.");

    public async Task InitializeAsync()
    {
        if (!File.Exists(_executablePath))
        {
            _unavailable = NotInstalledMessage(_executablePath);
            return;
        }

        var stopwatch = Stopwatch.StartNew();
        _playwright = await Playwright.CreateAsync();
        _browser = await _playwright.Chromium.LaunchAsync(new()
        {
            ExecutablePath = _executablePath,
            Headless = true,
            Args = _arguments,
        });
        LaunchDuration = stopwatch.Elapsed;
    }

    public static string NotInstalledMessage(string executablePath) =>
        $"Chromium is not installed at {executablePath}, so the browser tests cannot run: install Debian's `chromium` package (apt-get install chromium; .ci/run does this in CI).";

    /// <summary>
    /// Call first in a browser test: skips it with the install sentence when Chromium is missing, unless
    /// <see cref="RequiredVariable"/> is set, where it fails with that sentence instead.
    /// </summary>
    public void SkipUnlessAvailable() => SkipUnlessAvailable(Environment.GetEnvironmentVariable(RequiredVariable) == "1");

    internal void SkipUnlessAvailable(bool required)
    {
        if (_unavailable is null)
        {
            return;
        }

        Skip.If(!required, _unavailable);
        throw new InvalidOperationException(_unavailable);
    }

    /// <summary>
    /// A fresh context (no cookies, storage or downloads of another test) with one page, desktop-sized; dispose it at
    /// the end of the test.
    /// </summary>
    public async Task<BrowserSession> OpenAsync(Uri? baseAddress = null)
    {
        var context = await Browser.NewContextAsync(new()
        {
            BaseURL = baseAddress?.ToString(),
            ViewportSize = new() { Width = ScreenshotWidths[^1], Height = DesktopHeight },
            AcceptDownloads = true,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        var page = await context.NewPageAsync();
        return new BrowserSession(context, page);
    }

    /// <summary>
    /// Full-page screenshots of the page as it is now, one per width in <see cref="ScreenshotWidths"/>, written as
    /// browser-screenshots/NAME-WIDTH.png (name them TEST-STEP); the viewport is put back afterwards. Returns the files.
    /// </summary>
    public static async Task<IReadOnlyList<string>> SaveScreenshotsAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        var original = page.ViewportSize;
        var files = new List<string>();
        foreach (var width in ScreenshotWidths)
        {
            await page.SetViewportSizeAsync(width, original?.Height ?? DesktopHeight);
            var file = Path.Combine(ScreenshotDirectory, $"{name}-{width}.png");
            await page.ScreenshotAsync(new() { Path = file, FullPage = true });
            files.Add(file);
        }

        if (original is not null)
        {
            await page.SetViewportSizeAsync(original.Width, original.Height);
        }

        return files;
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>One test's own browser context and page.</summary>
public sealed class BrowserSession(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;
    public IPage Page { get; } = page;

    public ValueTask DisposeAsync() => new(Context.CloseAsync());
}
