using System.Net;
using System.Text;
using CoachBot.Core.Storage;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Dashboard;

/// <summary>
/// The cohort page as an organiser uses it: who is behind and by how much, who is blocked, sorting, and the CSV — and
/// as a hostile member would shape it: names that are markup or spreadsheet formulas, another server's members.
/// </summary>
public sealed class DashboardCohortTests : IAsyncLifetime
{
    private const string Server = "111111111111111111";
    private const string OtherServer = "222222222222222222";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-dashboard-cohort-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private DashboardTestHost _dashboard = null!;
    private HttpClient _browser = null!;

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardTestHost.StartAsync(_folder, _time);
        // Ada started four weeks ago and did nothing: behind. Grace started today: on track. Blocked Bea said so.
        await _dashboard.RunAsync(Server, "ada", "Ada", "enroll", ("pathway", "ai-safety"), ("start", "2026-11-04"));
        await _dashboard.RunAsync(Server, "grace", "Grace", "enroll", ("pathway", "ai-safety"));
        await _dashboard.RunAsync(Server, "bea", "Bea", "enroll", ("pathway", "ai-safety"), ("start", "2026-11-25"));
        await _dashboard.RunAsync(Server, "hostile", "=HYPERLINK(\"http://evil\",\"x\")<script>", "enroll", ("pathway", "ai-safety"));
        await _dashboard.RunAsync(OtherServer, "zed", "Zed of another server", "enroll", ("pathway", "ai-safety"), ("start", "2026-11-04"));
        var store = _dashboard.Services.GetRequiredService<ICoachStore>();
        var bea = (await store.GetCohortAsync("discord", Server, CancellationToken.None)).Single(entry => entry.Member.DisplayName == "Bea");
        await store.SaveCheckInAsync(new CheckInAnswer(bea.Enrolment.Id, 1, CheckInStatus.Blocked, "stuck on CUDA, \"help\"", _time.GetUtcNow()), CancellationToken.None);
        _browser = _dashboard.CreateClient();
        await _browser.GetAsync(await _dashboard.SignInLinkAsync(Server));
    }

    public async Task DisposeAsync()
    {
        _browser.Dispose();
        await _dashboard.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task The_cohort_shows_this_servers_members_with_how_far_behind_they_are()
    {
        var page = await _browser.GetStringAsync("/");

        Assert.Contains("Ada", page, StringComparison.Ordinal);
        Assert.Contains("behind by", page, StringComparison.Ordinal);
        Assert.Contains("on track", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Zed of another server", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Behind_shows_only_members_with_overdue_tasks()
    {
        var page = await _browser.GetStringAsync("/?filter=behind");

        Assert.Contains(">Ada</a>", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Grace</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Blocked_shows_members_whose_last_check_in_said_so_with_their_note()
    {
        var page = await _browser.GetStringAsync("/?filter=blocked");

        Assert.Contains(">Bea</a>", page, StringComparison.Ordinal);
        Assert.Contains("stuck on CUDA, &quot;help&quot;", page, StringComparison.Ordinal);
        Assert.DoesNotContain(">Ada</a>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Sorting_by_behind_descending_puts_the_most_behind_first()
    {
        var page = await _browser.GetStringAsync("/?sort=behind&dir=desc");

        Assert.True(page.IndexOf(">Ada</a>", StringComparison.Ordinal) < page.IndexOf(">Grace</a>", StringComparison.Ordinal));
        Assert.Contains("aria-sort=\"descending\"", page, StringComparison.Ordinal);
        var ascending = await _browser.GetStringAsync("/?sort=behind&dir=asc");
        Assert.True(ascending.IndexOf(">Ada</a>", StringComparison.Ordinal) > ascending.IndexOf(">Grace</a>", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("/?sort=nonsense&dir=sideways&filter=%3Cscript%3E")]
    [InlineData("/?sort=99&filter=-1")]
    public async Task A_hand_edited_address_shows_the_default_view(string address)
    {
        var answer = await _browser.GetAsync(address);

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Contains(">Grace</a>", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_name_made_of_markup_is_shown_as_text()
    {
        var page = await _browser.GetStringAsync("/");

        Assert.DoesNotContain("<script>", page, StringComparison.Ordinal);
        Assert.Contains("&lt;script&gt;", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CSV_lists_the_filtered_members_and_cannot_run_a_formula()
    {
        var answer = await _browser.GetAsync("/?handler=Csv&filter=behind&sort=name&dir=asc");

        Assert.Equal(HttpStatusCode.OK, answer.StatusCode);
        Assert.Equal("text/csv", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal("attachment", answer.Content.Headers.ContentDisposition?.DispositionType);
        Assert.StartsWith("cohort-2026-12-02", answer.Content.Headers.ContentDisposition?.FileName?.Trim('"'), StringComparison.Ordinal);
        var csv = Encoding.UTF8.GetString(await answer.Content.ReadAsByteArrayAsync()).TrimStart('\uFEFF');
        var lines = csv.Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("member,pathway,where,week", lines[0], StringComparison.Ordinal);
        Assert.Contains(lines, line => line.StartsWith("Ada,ai-safety,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.StartsWith("Grace,", StringComparison.Ordinal));
        Assert.DoesNotContain(lines, line => line.Contains("Zed", StringComparison.Ordinal));

        var everyone = Encoding.UTF8.GetString(await _browser.GetByteArrayAsync("/?handler=Csv"));
        Assert.Contains("\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")<script>\"", everyone, StringComparison.Ordinal);
        Assert.Contains("\"stuck on CUDA, \"\"help\"\"\"", everyone, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_CSV_needs_a_session_too()
    {
        using var stranger = _dashboard.CreateClient();

        var answer = await stranger.GetAsync("/?handler=Csv");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
    }

    [Fact]
    public async Task A_member_page_shows_their_check_ins_with_notes()
    {
        var bea = await EnrolmentIdAsync(Server, "Bea");

        var page = await _browser.GetStringAsync($"/members/{bea}");

        Assert.Contains("<h1>Bea</h1>", page, StringComparison.Ordinal);
        Assert.Contains("role=\"img\"", page, StringComparison.Ordinal);
        Assert.Contains("stuck on CUDA", page, StringComparison.Ordinal);
        Assert.Contains("blocked", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_member_page_shows_their_progress_card_as_a_png_of_this_server_only()
    {
        var bea = await EnrolmentIdAsync(Server, "Bea");
        var zed = await EnrolmentIdAsync(OtherServer, "Zed of another server");

        var page = await _browser.GetStringAsync($"/members/{bea}");
        var card = await _browser.GetAsync($"/members/{bea}?handler=card");
        var othersCard = await _browser.GetAsync($"/members/{zed}?handler=card");
        using var stranger = _dashboard.CreateClient();
        var withoutSession = await stranger.GetAsync($"/members/{bea}?handler=card");

        Assert.Contains($"src=\"/members/{bea}?handler=card\"", page, StringComparison.Ordinal);
        Assert.Contains("alt=\"Progress card for Bea on ", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, card.StatusCode);
        Assert.Equal("image/png", card.Content.Headers.ContentType?.MediaType);
        using var bitmap = SkiaSharp.SKBitmap.Decode(await card.Content.ReadAsByteArrayAsync());
        Assert.Equal((800, 420), (bitmap.Width, bitmap.Height));
        Assert.Equal(HttpStatusCode.NotFound, othersCard.StatusCode);
        Assert.Equal(HttpStatusCode.Redirect, withoutSession.StatusCode);
    }

    [Fact]
    public async Task Another_servers_member_is_not_found_like_one_that_does_not_exist()
    {
        var zed = await EnrolmentIdAsync(OtherServer, "Zed of another server");

        var other = await _browser.GetAsync($"/members/{zed}");
        var missing = await _browser.GetAsync("/members/987654321");
        var negative = await _browser.GetAsync("/members/-1");

        Assert.Equal(HttpStatusCode.NotFound, other.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, missing.StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, negative.StatusCode);
        var page = await other.Content.ReadAsStringAsync();
        Assert.DoesNotContain("Zed", page, StringComparison.Ordinal);
        Assert.Contains("There is nothing at this address", page, StringComparison.Ordinal);
        Assert.Contains("There is nothing at this address", await missing.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Trends_draw_the_weeks_and_name_the_task_most_members_are_overdue_on()
    {
        var page = await _browser.GetStringAsync("/trends");

        Assert.Contains("Share of members on track, per week", page, StringComparison.Ordinal);
        Assert.Contains("The tasks most members are overdue on now", page, StringComparison.Ordinal);
        Assert.DoesNotContain("NaN", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Zed", page, StringComparison.Ordinal);
    }

    private async Task<long> EnrolmentIdAsync(string server, string name) =>
        (await _dashboard.Services.GetRequiredService<ICoachStore>().GetCohortAsync("discord", server, CancellationToken.None))
            .Single(entry => entry.Member.DisplayName == name).Enrolment.Id;
}
