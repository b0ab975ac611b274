using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using CoachBot.Discord.Models;
using CoachBot.Discord.Testing;
using CoachBot.Discord.Tests.Support;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CoachBot.Discord.Tests.Rest;

/// <summary>
/// The client unchanged behind an HTTP proxy for Discord's REST API (as nirn-proxy or twilight's http-proxy run): only
/// ApiBaseUrl points elsewhere, under a path of the proxy's own. A pass-through proxy in front of the fake Discord.
/// </summary>
public sealed class RateLimitProxyTests : IAsyncLifetime, IDisposable
{
    private readonly TestLogging _logging = new();
    private FakeDiscordServer _fake = null!;
    private WebApplication _proxy = null!;
    private Uri _proxyApiBaseUrl = null!;
    private int _proxied;

    public async Task InitializeAsync()
    {
        _fake = await FakeDiscordServer.StartAsync(new FakeDiscordOptions
        {
            BucketLimits = { ["POST /channels/{channel_id}/messages"] = (1, TimeSpan.FromMilliseconds(500)) },
        });
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseKestrel(k => k.Listen(System.Net.IPAddress.Loopback, 0));
        builder.Logging.ClearProviders();
        _proxy = builder.Build();
        var upstream = new HttpClient();
        _proxy.Run(context => ForwardAsync(context, upstream));
        await _proxy.StartAsync();
        var address = new Uri(_proxy.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        _proxyApiBaseUrl = new Uri($"http://127.0.0.1:{address.Port}/discord-proxy/api/v10");
    }

    public async Task DisposeAsync()
    {
        await _proxy.DisposeAsync();
        await _fake.DisposeAsync();
    }

    public void Dispose() => _logging.Dispose();

    [Fact]
    public async Task TheClient_BehindAProxy_ConnectsToTheGatewayDiscordNames_SendsItsAuthorization_AndKeepsToTheBucketHeadersItGets()
    {
        await using var gateway = await GatewayHarness.ConnectAsync(_fake, _logging, o => o.ApiBaseUrl = _proxyApiBaseUrl);
        var channel = await gateway.Rest.CreateDmChannelAsync(Snowflake.Parse("53908232506183680"), CancellationToken.None);
        await gateway.Rest.CreateMessageAsync(channel.Id, new MessageCreate { Content = "first" }, CancellationToken.None);
        await gateway.Rest.CreateMessageAsync(channel.Id, new MessageCreate { Content = "second" }, CancellationToken.None);

        Assert.Equal(_fake.Requests.Count, Volatile.Read(ref _proxied));
        Assert.Contains(_fake.Requests, request => request.Template == "GET /gateway/bot");
        Assert.All(_fake.Requests, request => Assert.Equal("Bot " + _fake.Options.Token, request.Header("Authorization")));
        Assert.Equal(["first", "second"], _fake.Messages.Select(message => JsonNode.Parse(message.Body)!["content"]!.GetValue<string>()));
        Assert.Equal(0, _fake.RateLimitedCount);
        Assert.Single(_fake.Connections);
    }

    // A pass-through: /discord-proxy/api/v10/… to the fake's /api/v10/…, request and answer headers copied both ways.
    private async Task ForwardAsync(HttpContext context, HttpClient upstream)
    {
        Interlocked.Increment(ref _proxied);
        var path = context.Request.Path.Value!["/discord-proxy".Length..];
        var target = new Uri(_fake.ApiBaseUrl, path + context.Request.QueryString.Value);
        using var request = new HttpRequestMessage(new HttpMethod(context.Request.Method), target);
        var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (body.Length > 0)
        {
            request.Content = new ByteArrayContent(body.ToArray());
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(context.Request.ContentType!);
        }

        foreach (var header in context.Request.Headers.Where(h => h.Key is "Authorization" or "User-Agent" or "X-Audit-Log-Reason"))
        {
            request.Headers.TryAddWithoutValidation(header.Key, header.Value.ToArray());
        }

        using var answer = await upstream.SendAsync(request);
        context.Response.StatusCode = (int)answer.StatusCode;
        foreach (var header in answer.Headers.Concat(answer.Content.Headers).Where(h => h.Key is not "Transfer-Encoding" and not "Content-Length"))
        {
            context.Response.Headers[header.Key] = header.Value.ToArray();
        }

        await answer.Content.CopyToAsync(context.Response.Body);
    }
}
