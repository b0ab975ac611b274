using System.Net;
using CoachBot.Core.Storage;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Dashboard;

/// <summary>
/// The deliveries page: this server's failed and skipped messages, a retry that puts a failed one back once, and
/// nothing of another server, even by a forged form.
/// </summary>
public sealed class DashboardDeliveriesTests : IAsyncLifetime
{
    private const string Server = "111111111111111111";
    private const string OtherServer = "222222222222222222";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-dashboard-deliveries-");
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero));
    private DashboardTestHost _dashboard = null!;
    private HttpClient _browser = null!;
    private long _adasFailed;
    private long _zedsFailed;

    private IDeliveryOutbox Outbox => _dashboard.Services.GetRequiredService<IDeliveryOutbox>();

    public async Task InitializeAsync()
    {
        _dashboard = await DashboardTestHost.StartAsync(_folder, _time);
        await _dashboard.RunAsync(Server, "ada", "Ada", "enroll", ("pathway", "ai-safety"));
        await _dashboard.RunAsync(OtherServer, "zed", "Zed of another server", "enroll", ("pathway", "ai-safety"));
        _adasFailed = await FailedReminderAsync(Server, "Ada", "HTTP 500 from Discord");
        _zedsFailed = await FailedReminderAsync(OtherServer, "Zed of another server", "secret of the other server");
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
    public async Task This_servers_failed_message_is_listed_with_its_cause_and_no_other_servers()
    {
        var page = await _browser.GetStringAsync("/deliveries");

        Assert.Contains("HTTP 500 from Discord", page, StringComparison.Ordinal);
        Assert.Contains("No group channel is set", page, StringComparison.Ordinal);
        Assert.DoesNotContain("secret of the other server", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Zed", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Retrying_puts_the_failed_message_back_once()
    {
        var retried = await PostRetryAsync(_adasFailed);

        Assert.Equal(HttpStatusCode.Redirect, retried.StatusCode);
        Assert.Contains("Queued", await _browser.GetStringAsync(retried.Headers.Location!), StringComparison.Ordinal);
        var row = await Outbox.GetDeliveryAsync(new DeliveryKey($"enrolment:{await EnrolmentIdAsync(Server, "Ada")}", "reminder", "dashboard-test"), CancellationToken.None);
        Assert.Equal(DeliveryState.Claimed, row?.State);

        var again = await PostRetryAsync(_adasFailed);
        Assert.Equal(HttpStatusCode.NotFound, again.StatusCode);
        Assert.Contains("nothing was changed", await again.Content.ReadAsStringAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_forged_retry_of_another_servers_message_changes_nothing()
    {
        var forged = await PostRetryAsync(_zedsFailed);

        Assert.Equal(HttpStatusCode.NotFound, forged.StatusCode);
        var zeds = await Outbox.GetDeliveryAsync(new DeliveryKey($"enrolment:{await EnrolmentIdAsync(OtherServer, "Zed of another server")}", "reminder", "dashboard-test"), CancellationToken.None);
        Assert.Equal(DeliveryState.Failed, zeds?.State);
    }

    [Fact]
    public async Task A_retry_without_the_CSRF_token_changes_nothing()
    {
        var answer = await _browser.PostAsync("/deliveries?handler=Retry", new FormUrlEncodedContent([new("deliveryId", _adasFailed.ToString(System.Globalization.CultureInfo.InvariantCulture))]));

        Assert.Equal(HttpStatusCode.BadRequest, answer.StatusCode);
        Assert.Contains("HTTP 500 from Discord", await _browser.GetStringAsync("/deliveries"), StringComparison.Ordinal);
    }

    private async Task<HttpResponseMessage> PostRetryAsync(long deliveryId)
    {
        var token = DashboardHtml.AntiforgeryToken(await _browser.GetStringAsync("/deliveries"));
        return await _browser.PostAsync("/deliveries?handler=Retry", new FormUrlEncodedContent(
        [
            new("deliveryId", deliveryId.ToString(System.Globalization.CultureInfo.InvariantCulture)),
            new("__RequestVerificationToken", token),
        ]));
    }

    /// <summary>A reminder to the member that the sweep claimed and could not send, as the outbox records it.</summary>
    private async Task<long> FailedReminderAsync(string server, string name, string cause)
    {
        var enrolment = await EnrolmentIdAsync(server, name);
        var member = (await _dashboard.Services.GetRequiredService<ICoachStore>().GetEnrolmentAsync(enrolment, CancellationToken.None))!.MemberId;
        var key = new DeliveryKey($"enrolment:{enrolment}", "reminder", "dashboard-test");
        await Outbox.TryClaimDeliveryAsync(new NewDelivery(key, member, enrolment, $"nonce-{enrolment}", _time.GetUtcNow(), Platform: "discord", GuildId: server), CancellationToken.None);
        var id = (await Outbox.GetDeliveryAsync(key, CancellationToken.None))!.Id;
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(id, DeliveryState.Failed, _time.GetUtcNow(), null, cause)], CancellationToken.None);
        return id;
    }

    private async Task<long> EnrolmentIdAsync(string server, string name) =>
        (await _dashboard.Services.GetRequiredService<ICoachStore>().GetCohortAsync("discord", server, CancellationToken.None))
            .Single(entry => entry.Member.DisplayName == name).Enrolment.Id;
}
