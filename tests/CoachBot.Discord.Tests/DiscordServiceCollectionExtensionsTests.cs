using CoachBot.Discord.Gateway;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Rest;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Discord.Tests;

public sealed class DiscordServiceCollectionExtensionsTests
{
    [Fact]
    public void AddDiscordClient_WhenResolved_GivesSingletonClientsAndTheConfiguredOptions()
    {
        var services = new ServiceCollection().AddLogging().AddDiscordClient(o => o.Token = "t");
        using var provider = services.BuildServiceProvider(new ServiceProviderOptions { ValidateScopes = true, ValidateOnBuild = true });

        var rest = provider.GetRequiredService<DiscordRestClient>();

        Assert.Same(rest, provider.GetRequiredService<DiscordRestClient>());
        Assert.NotNull(provider.GetRequiredService<GatewayClient>());
        Assert.NotNull(provider.GetRequiredService<InteractionResponder>());
        Assert.NotNull(provider.GetRequiredService<ApplicationCommandRegistrar>());
        Assert.Equal("t", provider.GetRequiredService<IOptions<DiscordClientOptions>>().Value.Token);
        Assert.Same(TimeProvider.System, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void AddDiscordClient_WhenATimeProviderIsRegistered_KeepsIt()
    {
        var clock = new FakeTimeProvider();
        var services = new ServiceCollection().AddLogging().AddSingleton<TimeProvider>(clock).AddDiscordClient();
        using var provider = services.BuildServiceProvider();

        Assert.Same(clock, provider.GetRequiredService<TimeProvider>());
    }

    [Fact]
    public void Options_ToString_NeverShowsTheToken()
    {
        var options = new DiscordClientOptions { Token = "MTIz.secret.token" };

        Assert.DoesNotContain("MTIz.secret.token", options.ToString(), StringComparison.Ordinal);
    }
}
