using System.Net;
using CoachBot.Core.Pathways;
using CoachBot.Testing;
using CoachBot.TestSupport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Dashboard;

/// <summary>The pathways pages: a pathway as members read it, and a broken file's errors where its author can see them.</summary>
public sealed class DashboardPathwaysTests : IAsyncLifetime
{
    private const string Server = "111111111111111111";

    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-dashboard-pathways-");
    private DashboardTestHost _dashboard = null!;
    private HttpClient _browser = null!;
    private DirectoryInfo _pathways = null!;

    public async Task InitializeAsync()
    {
        _pathways = _folder.CreateSubdirectory("pathways");
        foreach (var file in Directory.GetFiles(RepositoryRoot.PathwaysDirectory))
        {
            File.Copy(file, Path.Combine(_pathways.FullName, Path.GetFileName(file)));
        }

        _dashboard = await DashboardTestHost.StartAsync(_folder, new FakeTimeProvider(new DateTimeOffset(2026, 12, 2, 10, 0, 0, TimeSpan.Zero)), ("Pathways:Directory", _pathways.FullName));
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
    public async Task A_pathway_reads_as_members_see_it_with_phases_tasks_and_resource_links()
    {
        var pathway = _dashboard.Services.GetRequiredService<PathwayCatalog>().All[0];
        var phase = pathway.Phases[0];
        var linked = pathway.Phases.SelectMany(candidate => candidate.Resources).First(resource => resource.Url is not null);

        var page = await _browser.GetStringAsync($"/pathways/{pathway.Id}");

        Assert.Contains(Html(pathway.Title), page, StringComparison.Ordinal);
        Assert.Contains(Html(phase.Title), page, StringComparison.Ordinal);
        Assert.Contains(Html(phase.Tasks[0].Title), page, StringComparison.Ordinal);
        Assert.Contains($"<a href=\"{Html(linked.Url!.AbsoluteUri)}\"", page, StringComparison.Ordinal);
        Assert.Contains("<details>", page, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_list_shows_a_broken_files_errors_with_line_and_column_as_the_file_is_now()
    {
        Assert.Contains("reads without errors", await _browser.GetStringAsync("/pathways"), StringComparison.Ordinal);
        await File.WriteAllTextAsync(Path.Combine(_pathways.FullName, "broken.yaml"), "id: broken\ntitle: [unclosed\n");

        var page = await _browser.GetStringAsync("/pathways");

        Assert.Matches(@"broken\.yaml:\d+:\d+: ", page);
    }

    [Theory]
    [InlineData("/pathways/no-such-pathway")]
    [InlineData("/pathways/..%2F..%2Fetc%2Fpasswd")]
    public async Task An_unknown_pathway_is_not_found(string address) =>
        Assert.Equal(HttpStatusCode.NotFound, (await _browser.GetAsync(address)).StatusCode);

    [Theory]
    [InlineData("javascript:alert(1)", null)]
    [InlineData("data:text/html,hi", null)]
    [InlineData("https://example.org/a?b=1", "https://example.org/a?b=1")]
    public void Only_web_addresses_become_links(string url, string? expected) =>
        Assert.Equal(expected, CoachBot.Dashboard.Pages.Pathways.PathwayModel.SafeLink(new Uri(url)));

    private static string Html(string text) => System.Text.Encodings.Web.HtmlEncoder.Default.Encode(text);
}
