using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Tests.Support;

internal static class Clients
{
    public static DiscordClientOptions OptionsFor(FakeDiscordServer fake, Action<DiscordClientOptions>? configure = null)
    {
        var options = new DiscordClientOptions
        {
            Token = fake.Options.Token,
            ApiBaseUrl = fake.ApiBaseUrl,
            ServerErrorRetryDelay = TimeSpan.FromMilliseconds(5),
            ReconnectMinDelay = TimeSpan.FromMilliseconds(20),
            ReconnectMaxDelay = TimeSpan.FromMilliseconds(200),
            InvalidSessionMinDelay = TimeSpan.FromMilliseconds(10),
            InvalidSessionMaxDelay = TimeSpan.FromMilliseconds(30),
            IdentifySpacing = TimeSpan.FromMilliseconds(10),
            GatewayHelloTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return options;
    }

    public static DiscordRestClient Rest(DiscordClientOptions options, TestLogging logging, TimeProvider? time = null, HttpMessageHandler? handler = null) =>
        new(handler is null ? new HttpClient() : new HttpClient(handler), Options.Create(options), time ?? TimeProvider.System, logging.For<DiscordRestClient>());
}
