using System.Net;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Dashboard;

/// <summary>
/// Signing in to the dashboard as an organiser would, and as a careless or hostile visitor would: a link works once,
/// for 10 minutes, for its own server only; the session ends after 12 hours; every answer is a sentence.
/// </summary>
public sealed class DashboardSignInTests : IAsyncLifetime
{
    private const string ServerA = "111111111111111111";
    private const string ServerB = "222222222222222222";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-dashboard-signin-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private readonly FakeLogCollector _logs = new();
    private DashboardTestHost _dashboard = null!;

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardTestHost.StartAsync(_folder, _time, services => services.AddLogging(logging =>
        {
            logging.SetMinimumLevel(LogLevel.Trace);
            logging.AddProvider(new FakeLoggerProvider(_logs));
        }));
        await _dashboard.RunAsync(ServerA, "ada", "Ada of A", "enroll", ("pathway", "ai-safety"));
        await _dashboard.RunAsync(ServerB, "bob", "Bob of B", "enroll", ("pathway", "ai-safety"));
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task A_link_signs_in_to_its_own_servers_cohort_with_a_cookie_scripts_cannot_read()
    {
        using var browser = _dashboard.CreateClient();

        var signIn = await browser.GetAsync(await _dashboard.SignInLinkAsync(ServerA));

        Assert.Equal(HttpStatusCode.Redirect, signIn.StatusCode);
        Assert.Equal("/", signIn.Headers.Location?.OriginalString);
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), value => value.StartsWith("coachbot_dashboard=", StringComparison.Ordinal));
        Assert.Contains("httponly", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("samesite=lax", cookie, StringComparison.OrdinalIgnoreCase);
        var cohort = await browser.GetStringAsync("/");
        Assert.Contains("Ada of A", cohort, StringComparison.Ordinal);
        Assert.DoesNotContain("Bob of B", cohort, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_link_works_once()
    {
        var link = await _dashboard.SignInLinkAsync(ServerA);
        using var first = _dashboard.CreateClient();
        using var second = _dashboard.CreateClient();

        Assert.Equal(HttpStatusCode.Redirect, (await first.GetAsync(link)).StatusCode);
        var reuse = await second.GetAsync(link);

        Assert.Equal(HttpStatusCode.Gone, reuse.StatusCode);
        Assert.Contains("already used", await reuse.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, (await second.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Two_browsers_opening_one_link_at_once_give_one_session()
    {
        var link = await _dashboard.SignInLinkAsync(ServerA);
        var browsers = Enumerable.Range(0, 6).Select(_ => _dashboard.CreateClient()).ToList();

        var answers = await Task.WhenAll(browsers.Select(browser => browser.GetAsync(link)));

        Assert.Single(answers, answer => answer.StatusCode == HttpStatusCode.Redirect);
        Assert.Equal(5, answers.Count(answer => answer.StatusCode == HttpStatusCode.Gone));
        browsers.ForEach(browser => browser.Dispose());
    }

    [Fact]
    public async Task A_link_older_than_ten_minutes_says_it_expired()
    {
        var link = await _dashboard.SignInLinkAsync(ServerA);
        _time.Advance(TimeSpan.FromMinutes(10) + TimeSpan.FromSeconds(1));
        using var browser = _dashboard.CreateClient();

        var answer = await browser.GetAsync(link);

        Assert.Equal(HttpStatusCode.Gone, answer.StatusCode);
        var page = await answer.Content.ReadAsStringAsync();
        Assert.Contains("expired", page, StringComparison.Ordinal);
        Assert.Contains("/coach dashboard", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", page, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("signin/not-a-token")]
    [InlineData("signin/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA")]
    [InlineData("signin/%3Cscript%3Ealert(1)%3C%2Fscript%3E")]
    [InlineData("signin")]
    public async Task A_made_up_link_is_refused_with_a_sentence(string path)
    {
        using var browser = _dashboard.CreateClient();

        var answer = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var page = await answer.Content.ReadAsStringAsync();
        Assert.Contains("not a CoachBot sign-in link", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(answer.Headers, header => header.Key == "Set-Cookie" && header.Value.Any(value => value.StartsWith("coachbot_dashboard", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/pathways")]
    [InlineData("/trends")]
    [InlineData("/members/1")]
    [InlineData("/deliveries")]
    [InlineData("/settings")]
    public async Task Without_a_session_every_page_sends_you_to_say_how_to_sign_in(string path)
    {
        using var browser = _dashboard.CreateClient();

        var answer = await browser.GetAsync(path);

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.StartsWith("/signed-out", answer.Headers.Location?.PathAndQuery ?? answer.Headers.Location?.OriginalString, StringComparison.Ordinal);
        var explanation = await browser.GetStringAsync("/signed-out");
        Assert.Contains("/coach dashboard", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_cookie_has_no_expiry_date_of_its_own_so_a_browser_clock_that_disagrees_cannot_end_or_stretch_it()
    {
        using var browser = _dashboard.CreateClient();

        var signIn = await browser.GetAsync(await _dashboard.SignInLinkAsync(ServerA));

        // This host's clock stands at 2 December 2026 while the test's own (real) clock runs on: a cookie dated by
        // CoachBot's clock would already be expired for the client, and the session gone before it began.
        var cookie = Assert.Single(signIn.Headers.GetValues("Set-Cookie"), value => value.StartsWith("coachbot_dashboard=", StringComparison.Ordinal));
        Assert.DoesNotContain("expires=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("max-age=", cookie, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task The_session_ends_after_twelve_hours()
    {
        using var browser = _dashboard.CreateClient();
        await browser.GetAsync(await _dashboard.SignInLinkAsync(ServerA));
        _time.Advance(TimeSpan.FromHours(11));
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        _time.Advance(TimeSpan.FromHours(1) + TimeSpan.FromMinutes(1));

        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Fact]
    public async Task Signing_in_to_another_server_replaces_the_session_rather_than_mixing_them()
    {
        using var browser = _dashboard.CreateClient();
        await browser.GetAsync(await _dashboard.SignInLinkAsync(ServerA));

        await browser.GetAsync(await _dashboard.SignInLinkAsync(ServerB));

        var cohort = await browser.GetStringAsync("/");
        Assert.Contains("Bob of B", cohort, StringComparison.Ordinal);
        Assert.DoesNotContain("Ada of A", cohort, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Signing_out_is_a_form_post_that_ends_the_session()
    {
        using var browser = _dashboard.CreateClient();
        await browser.GetAsync(await _dashboard.SignInLinkAsync(ServerA));
        var page = await browser.GetStringAsync("/");

        var withoutToken = await browser.PostAsync("/signed-out?handler=SignOut", new FormUrlEncodedContent([]));
        Assert.Equal(HttpStatusCode.BadRequest, withoutToken.StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await browser.GetAsync("/")).StatusCode);

        var signedOut = await browser.PostAsync("/signed-out?handler=SignOut", new FormUrlEncodedContent([new("__RequestVerificationToken", DashboardHtml.AntiforgeryToken(page))]));
        Assert.Equal(HttpStatusCode.Redirect, signedOut.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, (await browser.GetAsync("/")).StatusCode);
    }

    [Theory]
    [InlineData("/")]
    [InlineData("/signed-out")]
    [InlineData("/signin/whatever")]
    [InlineData("/no-such-page")]
    public async Task Every_answer_forbids_scripts_framing_and_sniffing(string path)
    {
        using var browser = _dashboard.CreateClient();
        await browser.GetAsync(await _dashboard.SignInLinkAsync(ServerA));

        var answer = await browser.GetAsync(path);

        var policy = string.Join(";", answer.Headers.GetValues("Content-Security-Policy"));
        Assert.Contains("default-src 'none'", policy, StringComparison.Ordinal);
        Assert.Contains("frame-ancestors 'none'", policy, StringComparison.Ordinal);
        Assert.DoesNotContain("unsafe-inline", policy, StringComparison.Ordinal);
        Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
        Assert.Equal("no-referrer", Assert.Single(answer.Headers.GetValues("Referrer-Policy")));
    }

    [Fact]
    public async Task A_page_that_is_not_there_answers_with_a_sentence()
    {
        using var browser = _dashboard.CreateClient();
        await browser.GetAsync(await _dashboard.SignInLinkAsync(ServerA));

        var answer = await browser.GetAsync("/no-such-page");

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.Contains("There is nothing at this address", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sign_in_attempts_are_limited_per_address_and_told_so()
    {
        using var browser = _dashboard.CreateClient();
        for (var attempt = 0; attempt < 10; attempt++)
        {
            Assert.Equal(HttpStatusCode.BadRequest, (await browser.GetAsync($"signin/guess-{attempt}")).StatusCode);
        }

        var limited = await browser.GetAsync("signin/guess-11");

        Assert.Equal(HttpStatusCode.TooManyRequests, limited.StatusCode);
        Assert.Contains("wait a minute", await limited.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_token_of_a_link_is_never_logged()
    {
        var link = await _dashboard.SignInLinkAsync(ServerA);
        var token = link.Segments[^1];
        using var browser = _dashboard.CreateClient();
        await browser.GetAsync(link);
        await browser.GetAsync(link);
        await browser.GetAsync("/");

        Assert.NotEmpty(_logs.GetSnapshot());
        Assert.DoesNotContain(_logs.GetSnapshot(), record => record.Message.Contains(token, StringComparison.Ordinal)
            || record.StructuredState?.Any(pair => pair.Value?.Contains(token, StringComparison.Ordinal) == true) == true);
    }

    [Fact]
    public async Task Behind_an_https_proxy_the_cookie_is_secure()
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, await _dashboard.SignInLinkAsync(ServerA));
        request.Headers.Add("X-Forwarded-Proto", "https");
        using var browser = _dashboard.CreateClient();

        var answer = await browser.SendAsync(request);

        var cookie = Assert.Single(answer.Headers.GetValues("Set-Cookie"), value => value.StartsWith("coachbot_dashboard=", StringComparison.Ordinal));
        Assert.Contains("secure", cookie, StringComparison.OrdinalIgnoreCase);
    }
}
