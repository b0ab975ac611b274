using CoachBot.Core.Storage;
using CoachBot.Platforms.Slack;
using CoachBot.Slack;
using CoachBot.Slack.Testing;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;

namespace CoachBot.Tests.Platforms.Slack;

/// <summary>The real Slack client, as the host registers it, pointed at a fake Slack; and the messenger on top of it.</summary>
internal static class FakeSlackClient
{
    public static ServiceProvider ServicesFor(FakeSlackServer slack) =>
        new ServiceCollection()
            .AddLogging()
            .AddSlackClient(options =>
            {
                options.BotToken = slack.Options.BotToken;
                options.AppToken = slack.Options.AppToken;
                options.ApiBaseUrl = slack.ApiBaseUrl;
            })
            .BuildServiceProvider();

    public static SlackMessenger MessengerFor(IServiceProvider services, ICoachStore store) =>
        new(services.GetRequiredService<SlackWebApiClient>(), store, NullLogger<SlackMessenger>.Instance);
}
