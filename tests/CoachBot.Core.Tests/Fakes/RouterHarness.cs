using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Pictures;
using CoachBot.Core.Usage;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Core.Tests.Fakes;

/// <summary>A router over the in-memory store and a fake clock, with short ways to type commands as a member.</summary>
internal sealed class RouterHarness
{
    public RouterHarness(
        DateTimeOffset? now = null, IUsageStats? usage = null, PathwayCatalog? catalog = null, IDashboardLinks? dashboard = null, IPictureRenderer? pictures = null)
    {
        Clock = new FakeTimeProvider(now ?? new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        Router = new CommandRouter(new CoachServices(Store, catalog ?? TestPathways.Catalog(), Clock, new CoachSettings(TimeZoneInfo.Utc)), usage, dashboard, pictures);
    }

    public FakeTimeProvider Clock { get; }

    public InMemoryCoachStore Store { get; } = new();

    public CommandRouter Router { get; }

    public static MemberRef Member(string user) => new("test", "guild-1", user);

    public Task<Reply> RunAsync(string user, string command, params (string Name, string Value)[] options) =>
        Router.HandleAsync(
            new CommandRequest(Member(user), user, IsOrganiser: false, command, options.ToDictionary(option => option.Name, option => option.Value)),
            CancellationToken.None);

    public Task<Reply> RunAsOrganiserAsync(string user, string command, params (string Name, string Value)[] options) =>
        Router.HandleAsync(
            new CommandRequest(Member(user), user, IsOrganiser: true, command, options.ToDictionary(option => option.Name, option => option.Value)),
            CancellationToken.None);

    public Task<Reply> PressAsync(string user, string actionId, string? text = null) =>
        Router.HandleActionAsync(new ActionRequest(Member(user), user, false, actionId, text), CancellationToken.None);
}
