using System.Net;
using System.Net.Sockets;
using CoachBot.Dashboard;
using CoachBot.Testing;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Dashboard;

/// <summary>What an organiser may write into Dashboard:Urls and Dashboard:PublicUrl, and the sentence for what they may not.</summary>
public sealed class DashboardOptionsTests
{
    [Theory]
    [InlineData(null, null)]
    [InlineData("", null)]
    [InlineData("http://127.0.0.1:8080", null)]
    [InlineData("http://localhost:8080;http://[::1]:8080", null)]
    [InlineData("http://0.0.0.0:8080", "https://coach.example.org")]
    [InlineData("http://*:8080", "https://coach.example.org/")]
    public void These_settings_start(string? urls, string? publicUrl) =>
        Assert.True(new DashboardOptionsValidator().Validate(null, new DashboardOptions { Urls = urls, PublicUrl = publicUrl }).Succeeded);

    [Theory]
    [InlineData("http://0.0.0.0:8080", null, "set Dashboard__PublicUrl")]
    [InlineData("http://+:8080", "", "set Dashboard__PublicUrl")]
    [InlineData("https://127.0.0.1:8443", null, "leaves to a reverse proxy")]
    [InlineData("8080", null, "is not an address to listen on")]
    [InlineData("ftp://127.0.0.1:21", null, "is not an address to listen on")]
    [InlineData("http://127.0.0.1:8080/dashboard", null, "is not an address to listen on")]
    [InlineData("http://127.0.0.1:8080", "coach.example.org", "is not a web address")]
    [InlineData("http://127.0.0.1:8080", "javascript:alert(1)", "is not a web address")]
    [InlineData("http://127.0.0.1:8080", "https://coach.example.org/?next=evil", "is not a web address")]
    [InlineData("http://127.0.0.1:8080", "https://example.org/coach", "has a path")]
    public void These_settings_stop_the_start_with_a_sentence(string urls, string? publicUrl, string sentence)
    {
        var result = new DashboardOptionsValidator().Validate(null, new DashboardOptions { Urls = urls, PublicUrl = publicUrl });

        Assert.True(result.Failed);
        Assert.Contains(sentence, result.FailureMessage, StringComparison.Ordinal);
    }

    [Fact]
    public void Links_use_the_public_address_else_the_first_listen_address_else_the_port_given()
    {
        var bound = new Uri("http://127.0.0.1:41234/");

        Assert.Equal(new Uri("https://coach.example.org/"), new DashboardOptions { Urls = "http://127.0.0.1:8080", PublicUrl = "https://coach.example.org" }.PublicBase(bound));
        Assert.Equal(new Uri("http://127.0.0.1:8080/"), new DashboardOptions { Urls = "http://127.0.0.1:8080;http://[::1]:8080" }.PublicBase(bound));
        Assert.Equal(bound, new DashboardOptions { Urls = "http://127.0.0.1:0" }.PublicBase(bound));
    }

    [Fact]
    public async Task A_port_already_taken_stops_the_start_with_a_sentence_naming_the_setting()
    {
        using var taken = new TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        var port = ((IPEndPoint)taken.LocalEndpoint).Port;
        var folder = Directory.CreateTempSubdirectory("coachbot-dashboard-port-");
        try
        {
            var refused = await Assert.ThrowsAsync<StartupException>(() =>
                DashboardTestHost.StartAsync(folder, new FakeTimeProvider(), ("Dashboard:Urls", $"http://127.0.0.1:{port}")));

            Assert.Contains($"cannot listen on 'http://127.0.0.1:{port}'", refused.Message, StringComparison.Ordinal);
            Assert.Contains("Dashboard__Urls", refused.Message, StringComparison.Ordinal);
        }
        finally
        {
            folder.Delete(recursive: true);
        }
    }
}
