using System.Net;
using System.Text.RegularExpressions;
using CoachBot.Core.Storage;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Dashboard;

/// <summary>
/// <c>/calendar</c>'s feed on the dashboard's web host, as a calendar app and as a hostile visitor would use it: the
/// link serves the member's plan as it is now; a reset, a made-up token and <c>/mydata delete</c> all end in 404.
/// </summary>
public sealed partial class CalendarFeedTests : IAsyncLifetime
{
    private const string Server = "111111111111111111";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-calendar-feed-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
    private DashboardTestHost _dashboard = null!;

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardTestHost.StartAsync(_folder, _time);
        await _dashboard.RunAsync(Server, "ada", "Ada", "enroll", ("pathway", "ai-safety"), ("timezone", "Europe/Berlin"));
    }

    public async Task DisposeAsync()
    {
        await _dashboard.DisposeAsync();
        _folder.Delete(recursive: true);
    }

    [Fact]
    public async Task The_link_serves_the_members_plan_and_follows_a_pause()
    {
        var link = await FeedLinkAsync();
        using var app = _dashboard.CreateClient();

        var before = await app.GetAsync(link);
        await _dashboard.RunAsync(Server, "ada", "Ada", "pause", ("until", "2026-12-21"));
        var after = Ical.Net.Calendar.Load(await app.GetStringAsync(link))!;

        Assert.Equal(HttpStatusCode.OK, before.StatusCode);
        Assert.Equal("text/calendar", before.Content.Headers.ContentType?.MediaType);
        var calendar = Ical.Net.Calendar.Load(await before.Content.ReadAsStringAsync())!;
        Assert.Equal(48, calendar.Events.Count(item => item.Uid!.Contains("-week-", StringComparison.Ordinal)));
        Assert.Equal(new DateOnly(2026, 12, 7), DateOnly.FromDateTime(calendar.Events.Single(item => item.Uid == "1-week-1@coachbot").DtStart!.Value));
        Assert.Equal(new DateOnly(2026, 12, 21), DateOnly.FromDateTime(after.Events.Single(item => item.Uid == "1-week-1@coachbot").DtStart!.Value));
    }

    [Fact]
    public async Task The_link_is_shown_once_and_a_reset_replaces_it_so_the_old_one_stops_working()
    {
        var first = await FeedLinkAsync();
        var again = (await _dashboard.RunAsync(Server, "ada", "Ada", "calendar")).ToPlainText();
        var reset = (await _dashboard.RunAsync(Server, "ada", "Ada", "calendar", ("action", "reset"))).ToPlainText();
        using var app = _dashboard.CreateClient();

        Assert.DoesNotContain(first.ToString(), again, StringComparison.Ordinal);
        Assert.Contains("shown only once", again, StringComparison.Ordinal);
        Assert.Contains("Your old feed link stops working now.", reset, StringComparison.Ordinal);
        var second = new Uri(Link().Match(reset).Groups[1].Value);
        Assert.NotEqual(first, second);
        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync(first)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await app.GetAsync(second)).StatusCode);
    }

    [Theory]
    [InlineData("/calendar/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA.ics")]
    [InlineData("/calendar/not-a-token.ics")]
    [InlineData("/calendar/..%2F..%2Fetc%2Fpasswd")]
    public async Task A_made_up_link_finds_nothing(string path)
    {
        await FeedLinkAsync();
        using var app = _dashboard.CreateClient();

        var answer = await app.GetAsync(path);

        Assert.Equal(HttpStatusCode.NotFound, answer.StatusCode);
        Assert.DoesNotContain("BEGIN:VCALENDAR", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Deleting_the_members_data_ends_the_feed()
    {
        var link = await FeedLinkAsync();
        using var app = _dashboard.CreateClient();

        // What the confirm button of `/mydata delete` runs.
        var deleted = await _dashboard.Services.GetRequiredService<ICoachStore>().DeleteMemberDataAsync(new MemberKey("discord", "ada"), CancellationToken.None);
        Assert.True(deleted);

        Assert.Equal(HttpStatusCode.NotFound, (await app.GetAsync(link)).StatusCode);
    }

    private async Task<Uri> FeedLinkAsync()
    {
        var reply = (await _dashboard.RunAsync(Server, "ada", "Ada", "calendar")).ToPlainText();
        var match = Link().Match(reply);
        Assert.True(match.Success, reply);
        return new Uri(match.Groups[1].Value);
    }

    [GeneratedRegex("<(https?://[^>]+/calendar/[^>]+\\.ics)>")]
    private static partial Regex Link();
}
