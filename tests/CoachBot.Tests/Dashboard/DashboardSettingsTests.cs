using System.Net;
using CoachBot.Core.Storage;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Dashboard;

/// <summary>The settings page: what an organiser saves lands in their server only, bad input is a sentence, and a form from elsewhere changes nothing.</summary>
public sealed class DashboardSettingsTests : IAsyncLifetime
{
    private const string Server = "111111111111111111";
    private const string OtherServer = "222222222222222222";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-dashboard-settings-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private DashboardTestHost _dashboard = null!;
    private HttpClient _browser = null!;

    private ICoachStore Store => _dashboard.Services.GetRequiredService<ICoachStore>();

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardTestHost.StartAsync(_folder, _time);
        await Store.SetGroupChannelAsync("discord", OtherServer, "999", _time.GetUtcNow(), CancellationToken.None);
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
    public async Task Saving_a_channel_sets_this_servers_group_channel_only()
    {
        var answer = await PostChannelAsync("1234567890123456789");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        Assert.Equal("1234567890123456789", (await Store.GetServerSettingsAsync("discord", Server, CancellationToken.None))?.GroupChannelId);
        Assert.Equal("999", (await Store.GetServerSettingsAsync("discord", OtherServer, CancellationToken.None))?.GroupChannelId);
        Assert.Contains("Saved.", await _browser.GetStringAsync(answer.Headers.Location!), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_page_says_when_the_digest_goes_and_in_which_zone()
    {
        var page = await _browser.GetStringAsync("/settings");

        Assert.Contains("Mondays at 09:00 (UTC)", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Saving_the_digest_time_sets_this_servers_day_time_and_zone_and_keeps_its_channel()
    {
        await Store.SetGroupChannelAsync("discord", Server, "1234567890123456789", _time.GetUtcNow(), CancellationToken.None);

        var answer = await PostScheduleAsync("Europe/Berlin", "Friday", "17:30");

        Assert.Equal(HttpStatusCode.Redirect, answer.StatusCode);
        var saved = await Store.GetServerSettingsAsync("discord", Server, CancellationToken.None);
        Assert.Equal(("Europe/Berlin", DayOfWeek.Friday, new TimeOnly(17, 30), "1234567890123456789"), (saved?.DefaultTimeZoneId, saved?.DigestDay, saved?.DigestTime, saved?.GroupChannelId));
        Assert.Null((await Store.GetServerSettingsAsync("discord", OtherServer, CancellationToken.None))?.DigestDay);
        Assert.Contains("Fridays at 17:30 (Europe/Berlin)", await _browser.GetStringAsync("/settings"), StringComparison.Ordinal);
        Assert.Contains("calendar weeks in Europe/Berlin", await _browser.GetStringAsync("/trends"), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Mars/Olympus_Mons", "Friday", "17:30", "is not a time zone")]
    [InlineData("", "Funday", "17:30", "Pick the digest")]
    [InlineData("", "7", "17:30", "Pick the digest")]
    [InlineData("", "Friday", "25:00", "is not a time of day")]
    [InlineData("", "Friday", "", "is not a time of day")]
    public async Task A_wrong_digest_setting_is_a_sentence_and_nothing_is_saved(string zone, string day, string time, string sentence)
    {
        var answer = await PostScheduleAsync(zone, day, time);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains(sentence, await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await Store.GetServerSettingsAsync("discord", Server, CancellationToken.None))?.DigestDay);
    }

    [Theory]
    [InlineData("#general")]
    [InlineData("12345678901234567890123")]
    [InlineData("<script>alert(1)</script>")]
    [InlineData("   ")]
    public async Task A_channel_that_is_not_an_id_is_a_sentence_and_nothing_is_saved(string channel)
    {
        var answer = await PostChannelAsync(channel);

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        var page = await answer.Content.ReadAsStringAsync();
        Assert.Contains("Nothing was saved", page, StringComparison.Ordinal);
        Assert.DoesNotContain("<script>alert", page, StringComparison.Ordinal);
        Assert.Null((await Store.GetServerSettingsAsync("discord", Server, CancellationToken.None))?.GroupChannelId);
    }

    [Fact]
    public async Task A_form_without_its_CSRF_token_changes_nothing()
    {
        var answer = await _browser.PostAsync("/settings?handler=Channel", new FormUrlEncodedContent([new("channel", "1234567890123456789")]));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("This form has expired", await answer.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Null((await Store.GetServerSettingsAsync("discord", Server, CancellationToken.None))?.GroupChannelId);
    }

    [Fact]
    public async Task A_token_from_another_browsers_session_does_not_count()
    {
        using var other = _dashboard.CreateClient();
        await other.GetAsync(await _dashboard.SignInLinkAsync(OtherServer));
        var othersToken = DashboardHtml.AntiforgeryToken(await other.GetStringAsync("/settings"));

        var answer = await _browser.PostAsync("/settings?handler=Channel", new FormUrlEncodedContent([new("channel", "1234567890123456789"), new("__RequestVerificationToken", othersToken)]));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Null((await Store.GetServerSettingsAsync("discord", Server, CancellationToken.None))?.GroupChannelId);
    }

    private async Task<HttpResponseMessage> PostScheduleAsync(string zone, string day, string time)
    {
        var token = DashboardHtml.AntiforgeryToken(await _browser.GetStringAsync("/settings"));
        return await _browser.PostAsync("/settings?handler=Schedule", new FormUrlEncodedContent(
            [new("zone", zone), new("day", day), new("time", time), new("__RequestVerificationToken", token)]));
    }

    [Fact]
    public async Task An_organiser_of_a_Slack_workspace_is_asked_for_a_Slack_channel_id_and_a_name_is_a_sentence()
    {
        using var slackBrowser = _dashboard.CreateClient();
        await slackBrowser.GetAsync(await _dashboard.SignInLinkAsync("T0WORKSPACE", "U0ADMIN", platform: "slack"));

        var page = await slackBrowser.GetStringAsync("/settings");
        var name = await PostChannelAsync("study-group", slackBrowser);
        var id = await PostChannelAsync("c0group123", slackBrowser);

        Assert.Contains("is at the bottom. Invite CoachBot there too.", page, StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.BadRequest, name.StatusCode);
        Assert.Contains("is not a Slack channel ID; it looks like C0123ABCD", await name.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, id.StatusCode);
        Assert.Equal("C0GROUP123", (await Store.GetServerSettingsAsync("slack", "T0WORKSPACE", CancellationToken.None))?.GroupChannelId);
        Assert.Null((await Store.GetServerSettingsAsync("discord", Server, CancellationToken.None))?.GroupChannelId);
    }

    private async Task<HttpResponseMessage> PostChannelAsync(string channel, HttpClient? browser = null)
    {
        browser ??= _browser;
        var token = DashboardHtml.AntiforgeryToken(await browser.GetStringAsync("/settings"));
        return await browser.PostAsync("/settings?handler=Channel", new FormUrlEncodedContent([new("channel", channel), new("__RequestVerificationToken", token)]));
    }
}
