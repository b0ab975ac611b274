using System.Net;
using CoachBot.Core.Messaging;
using CoachBot.Discord;
using CoachBot.Operations;
using CoachBot.Tests.Scheduling;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Operations;

public sealed class CoachBotMetricsTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 12, 7, 8, 0, 0, TimeSpan.Zero);
    private readonly TestMeterFactory _meters = new();
    private readonly MeasurementRecorder _recorder;
    private readonly CoachBotMetrics _metrics;

    public CoachBotMetricsTests()
    {
        _recorder = new MeasurementRecorder(_meters);
        _metrics = new CoachBotMetrics(_meters, new FakeTimeProvider(Start));
    }

    public void Dispose()
    {
        _recorder.Dispose();
        _meters.Dispose();
    }

    [Fact]
    public void RecordInteraction_CountsByCommand_AndRecordsTheFirstResponseTime()
    {
        _metrics.RecordInteraction("today", TimeSpan.FromMilliseconds(120), deferred: false, "discord", "guild-1");
        _metrics.RecordInteraction("today", TimeSpan.FromMilliseconds(1600), deferred: true, "discord", "guild-1");
        _metrics.RecordInteraction("done", TimeSpan.FromMilliseconds(80), deferred: false, "discord", "guild-1");

        Assert.Equal(2, _recorder.Sum("coachbot.interactions", ("command", "today")));
        Assert.Equal(1, _recorder.Sum("coachbot.interactions", ("command", "done")));
        Assert.Equal([120.0, 1600.0, 80.0], _recorder.Of("coachbot.interaction.first_response").Select(measurement => measurement.Value));
        Assert.Equal(1, _recorder.Sum("coachbot.interactions.deferred", ("command", "today")));
        Assert.DoesNotContain(_recorder.Of("coachbot.interactions.deferred"), measurement => measurement.Tags["command"] == "done");
    }

    [Fact]
    public void RecordDelivery_CountsByKindAndOutcome()
    {
        _metrics.RecordDelivery("reminder", DeliveryOutcome.Sent, "discord", "guild-1");
        _metrics.RecordDelivery("reminder", DeliveryOutcome.Retrying, "discord", "guild-1");
        _metrics.RecordDelivery("digest", DeliveryOutcome.Failed, "discord", "guild-1");

        Assert.Equal(1, _recorder.Sum("coachbot.deliveries", ("kind", "reminder"), ("outcome", "sent")));
        Assert.Equal(1, _recorder.Sum("coachbot.deliveries", ("kind", "reminder"), ("outcome", "retrying")));
        Assert.Equal(1, _recorder.Sum("coachbot.deliveries", ("kind", "digest"), ("outcome", "failed")));
    }

    [Fact]
    public void RecordRateLimited_CountsByScope()
    {
        _metrics.RecordRateLimited(global: false);
        _metrics.RecordRateLimited(global: true);
        _metrics.RecordRateLimited(global: false);

        Assert.Equal(2, _recorder.Sum("coachbot.discord.rate_limited", ("scope", "route")));
        Assert.Equal(1, _recorder.Sum("coachbot.discord.rate_limited", ("scope", "global")));
    }

    [Fact]
    public void RecordGatewaySession_CountsResumesAndNewSessions_ButNotTheFirstConnect()
    {
        _metrics.RecordGatewaySession(resumed: false);
        _metrics.RecordGatewaySession(resumed: true);
        _metrics.RecordGatewaySession(resumed: false);

        Assert.Equal(1, _recorder.Sum("coachbot.gateway.reconnects", ("kind", "resume")));
        Assert.Equal(1, _recorder.Sum("coachbot.gateway.reconnects", ("kind", "identify")));
        Assert.Equal(2, _metrics.Snapshot().Reconnects);
    }

    [Fact]
    public void RecordHeartbeat_RecordsTheLatency()
    {
        _metrics.RecordHeartbeat(TimeSpan.FromMilliseconds(42));

        Assert.Equal([42.0], _recorder.Of("coachbot.gateway.heartbeat_latency").Select(measurement => measurement.Value));
    }

    [Fact]
    public void Snapshot_SumsWhatWasRecordedSinceStart()
    {
        _metrics.RecordInteraction("today", TimeSpan.FromMilliseconds(100), deferred: false, "discord", "guild-1");
        _metrics.RecordInteraction("done", TimeSpan.FromMilliseconds(300), deferred: true, "discord", "guild-1");
        _metrics.RecordDelivery("reminder", DeliveryOutcome.Sent, "discord", "guild-1");
        _metrics.RecordDelivery("checkin", DeliveryOutcome.SentToChannel, "discord", "guild-1");
        _metrics.RecordDelivery("checkin", DeliveryOutcome.Retrying, "discord", "guild-1");
        _metrics.RecordDelivery("reminder", DeliveryOutcome.Failed, "discord", "guild-1");
        _metrics.RecordRateLimited(global: false);

        var snapshot = _metrics.Snapshot();

        Assert.Equal(new Core.Usage.UsageSnapshot(Start, 2, 1, 200, 2, 1, 1, 0), snapshot);
    }

    [Fact]
    public void ForServer_CountsOnlyThatServersInteractionsAndDeliveries_AndNoDm()
    {
        _metrics.RecordInteraction("today", TimeSpan.FromMilliseconds(100), deferred: false, "discord", "guild-1");
        _metrics.RecordInteraction("done", TimeSpan.FromMilliseconds(300), deferred: true, "discord", "guild-2");
        _metrics.RecordInteraction("today", TimeSpan.FromMilliseconds(500), deferred: false, "discord", null);
        _metrics.RecordDelivery("reminder", DeliveryOutcome.Sent, "discord", "guild-1");
        _metrics.RecordDelivery("reminder", DeliveryOutcome.Failed, "discord", "guild-2");
        _metrics.RecordDelivery("reminder", DeliveryOutcome.Sent, "discord", "dm:42");

        Assert.Equal(new Core.Usage.ServerUsage(Start, 1, 0, 100, 1, 0), _metrics.ForServer("discord", "guild-1"));
        Assert.Equal(new Core.Usage.ServerUsage(Start, 1, 1, 300, 0, 1), _metrics.ForServer("discord", "guild-2"));
        Assert.Equal(new Core.Usage.ServerUsage(Start, 0, 0, null, 0, 0), _metrics.ForServer("console", "guild-1"));
        Assert.Equal(3, _metrics.Snapshot().Interactions);
        Assert.Equal(2, _metrics.Snapshot().DeliveriesSent);
    }

    [Fact]
    public void Snapshot_BeforeAnyInteraction_HasNoAverage()
    {
        var snapshot = _metrics.Snapshot();

        Assert.Null(snapshot.AverageFirstResponseMs);
        Assert.Equal(0, snapshot.Interactions);
    }

    [Theory]
    [InlineData(null, "route")]
    [InlineData("true", "global")]
    [InlineData("false", "route")]
    public async Task AddCoachBotDiscordMetrics_CountsThe429sOfTheDiscordHttpClient(string? globalHeader, string expectedScope)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddDiscordClient();
        services.AddSingleton<System.Diagnostics.Metrics.IMeterFactory>(_meters);
        services.AddCoachBotDiscordMetrics();
        services.AddHttpClient(OperationsSetup.DiscordHttpClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new StubHandler(globalHeader));
        await using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });
        using var client = provider.GetRequiredService<IHttpClientFactory>().CreateClient(OperationsSetup.DiscordHttpClientName);

        using var response = await client.GetAsync(new Uri("https://discord.test/api/v10/users/@me"));

        Assert.Equal(HttpStatusCode.TooManyRequests, response.StatusCode);
        Assert.Equal(1, _recorder.Sum("coachbot.discord.rate_limited", ("scope", expectedScope)));
        Assert.Equal(1, provider.GetRequiredService<CoachBotMetrics>().Snapshot().RateLimited);
    }

    [Fact]
    public async Task DueWorkRunner_RecordsEachDeliveryByKindAndOutcome()
    {
        await using var harness = await SchedulingHarness.CreateAsync(Start.Date);
        using var recorder = new MeasurementRecorder(harness.MeterFactory);
        await harness.EnrolAsync("alice");
        await harness.EnrolAsync("bob");
        harness.Messenger.DmResult = user => user == "bob" ? DeliveryResult.Failed("Discord 500") : DeliveryResult.Delivered;

        harness.Clock.SetUtcNow(Start.Date.AddHours(10));
        await harness.NewRunner().RunDueWorkAsync(CancellationToken.None);

        Assert.Equal(1, recorder.Sum("coachbot.deliveries", ("kind", "reminder"), ("outcome", "sent")));
        Assert.Equal(1, recorder.Sum("coachbot.deliveries", ("kind", "reminder"), ("outcome", "retrying")));
        Assert.Equal(1, harness.Metrics.Snapshot().DeliveriesSent);
    }

    private sealed class StubHandler(string? globalHeader) : HttpMessageHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            var response = new HttpResponseMessage(HttpStatusCode.TooManyRequests);
            if (globalHeader is not null)
            {
                response.Headers.Add("X-RateLimit-Global", globalHeader);
            }

            return Task.FromResult(response);
        }
    }
}
