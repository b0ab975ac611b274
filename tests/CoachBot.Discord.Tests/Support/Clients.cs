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
            // The fake refuses a second IDENTIFY within its window (op 9), as Discord does; the margin covers the time
            // between the client sending and a busy fake reading, so a fresh session never hits the window by accident.
            IdentifySpacing = fake.Options.IdentifyWindow + TimeSpan.FromMilliseconds(500),
            GatewayHelloTimeout = TimeSpan.FromSeconds(5),
        };
        configure?.Invoke(options);
        return options;
    }

    public static DiscordRestClient Rest(DiscordClientOptions options, TestLogging logging, TimeProvider? time = null, HttpMessageHandler? handler = null) =>
        new(handler is null ? new HttpClient() : new HttpClient(handler), Options.Create(options), time ?? TimeProvider.System, logging.For<DiscordRestClient>());
}
