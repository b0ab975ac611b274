using CoachBot.Discord.Gateway;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Tests;

/// <summary>Runs the client through its noisy paths with every log level recorded, then looks for the token.</summary>
public sealed class TokenSecrecyTests : IDisposable
{
    private readonly TestLogging _logging = new();

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task Logs_AcrossConnectResumeInteractionsAndFailures_NeverContainTheToken()
    {
        await using var fake = await FakeDiscordServer.StartAsync();
        var token = fake.Options.Token;
        var thrown = new List<Exception>();

        await using (var gateway = await GatewayHarness.ConnectAsync(fake, _logging))
        {
            var responder = new InteractionResponder(gateway.Rest, Options.Create(gateway.Options), TimeProvider.System, _logging.For<InteractionResponder>());
            gateway.Client.InteractionCreated += (e, ct) => responder.RunAsync(responder.CreateContext(e), (c, t) => c.RespondAsync(new InteractionMessage { Content = "ok" }, t), ct);
            var injected = await fake.InjectInteractionAsync();
            await fake.WaitForAsync(() => injected.AcknowledgedWithType is not null, "the interaction answered");
            await fake.SendReconnectAsync();
            await fake.WaitForAsync(() => !gateway.Resumes.IsEmpty, "RESUMED");
            fake.Options.Token = "rotated";
            await fake.CloseConnectionAsync(4000);
            thrown.Add(await Assert.ThrowsAsync<GatewayFatalException>(() => gateway.Run.WaitAsync(TimeSpan.FromSeconds(10))));
        }

        var rest = Clients.Rest(Clients.OptionsFor(fake, o => o.Token = token), _logging);
        thrown.Add(await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateDmChannelAsync(Snowflake.Parse("1"), CancellationToken.None)));
        thrown.Add(await Assert.ThrowsAsync<DiscordApiException>(() => rest.CreateDmChannelAsync(Snowflake.Parse("1"), CancellationToken.None)));

        var lines = _logging.AllText();
        Assert.NotEmpty(lines);
        Assert.DoesNotContain(lines, line => line.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(thrown, e => e.ToString().Contains(token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Logs_OfTheRegisteredHttpClient_NeverContainTheInteractionToken()
    {
        // A busy machine can take longer than Discord's 3 seconds to build the client and answer: not what this is about.
        await using var fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions { InteractionResponseWindow = TimeSpan.FromSeconds(30) });
        var services = new ServiceCollection()
            .AddLogging(b => b.AddProvider(_logging.Provider).SetMinimumLevel(LogLevel.Trace))
            .AddDiscordClient(o =>
            {
                o.Token = fake.Options.Token;
                o.ApiBaseUrl = fake.ApiBaseUrl;
            });
        await using var provider = services.BuildServiceProvider();
        var rest = provider.GetRequiredService<DiscordRestClient>();
        var interaction = fake.CreateInteraction();

        await rest.CreateInteractionResponseAsync(Snowflake.Parse(interaction.Id), interaction.Token, new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource), CancellationToken.None);
        await rest.EditOriginalResponseAsync(Snowflake.Parse(fake.Options.ApplicationId), interaction.Token, new MessageEdit { Content = "done" }, CancellationToken.None);

        Assert.Equal(2, fake.Requests.Count);
        Assert.DoesNotContain(_logging.AllText(), line => line.Contains(interaction.Token, StringComparison.Ordinal) || line.Contains(fake.Options.Token, StringComparison.Ordinal));
    }
}
