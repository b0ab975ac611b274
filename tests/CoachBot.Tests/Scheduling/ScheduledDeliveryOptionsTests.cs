using CoachBot.Scheduling;
using CoachBot.TestSupport;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Quartz;

namespace CoachBot.Tests.Scheduling;

public sealed class ScheduledDeliveryOptionsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-scheduling-options-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("Scheduling:DeliveryLease", "2 minutes",
        "Scheduling:DeliveryLease '2 minutes' is not a duration; set Scheduling__DeliveryLease to hours:minutes:seconds, e.g. '00:02:00'.")]
    [InlineData("Scheduling:TickInterval", "often",
        "Scheduling:TickInterval 'often' is not a duration; set Scheduling__TickInterval to hours:minutes:seconds, e.g. '00:01:00'.")]
    [InlineData("Scheduling:DeliveryLease", "00:30:00",
        "Scheduling:DeliveryLease '00:30:00' is out of range; set Scheduling__DeliveryLease between 00:00:01 and 00:10:00, e.g. '00:02:00' (the default), "
        + "so that a send cut off by a crash is retried while Discord still remembers its nonce.")]
    [InlineData("Scheduling:DeliveryLease", "00:00:00",
        "Scheduling:DeliveryLease '00:00:00' is out of range; set Scheduling__DeliveryLease between 00:00:01 and 00:10:00, e.g. '00:02:00' (the default), "
        + "so that a send cut off by a crash is retried while Discord still remembers its nonce.")]
    [InlineData("Scheduling:TickInterval", "-00:01:00",
        "Scheduling:TickInterval '-00:01:00' is out of range; set Scheduling__TickInterval between 00:00:01 and 01:00:00, e.g. '00:01:00' (the default).")]
    [InlineData("Scheduling:TickInterval", "1.00:00:00",
        "Scheduling:TickInterval '1.00:00:00' is out of range; set Scheduling__TickInterval between 00:00:01 and 01:00:00, e.g. '00:01:00' (the default).")]
    public async Task PrepareCoachBot_WithAWrongSchedulingValue_StopsWithTheSentenceForThatKey(string key, string value, string sentence)
    {
        using var host = BuildHost((key, value));

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(CancellationToken.None));

        Assert.Equal(sentence, failure.Message);
    }

    [Fact]
    public async Task PrepareCoachBot_WithBothSchedulingKeysWrong_NamesEachOnItsOwnLine()
    {
        using var host = BuildHost(("Scheduling:TickInterval", "often"), ("Scheduling:DeliveryLease", "01:00:00"));

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(CancellationToken.None));

        var lines = failure.Message.Split(Environment.NewLine);
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("Scheduling:TickInterval 'often'", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Scheduling:DeliveryLease '01:00:00'", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task AddCoachBotScheduling_WithSchedulingKeysSet_TicksAndLeasesAsConfigured()
    {
        using var host = BuildHost(("Scheduling:TickInterval", "00:00:05"), ("Scheduling:DeliveryLease", "00:00:30"));
        await host.PrepareCoachBotAsync(CancellationToken.None);

        var scheduler = await host.Services.GetRequiredService<ISchedulerFactory>().GetScheduler();
        var trigger = Assert.IsAssignableFrom<ISimpleTrigger>(Assert.Single(await scheduler.GetTriggersOfJob(new JobKey(SchedulingSetup.JobName))));

        Assert.Equal(TimeSpan.FromSeconds(5), trigger.RepeatInterval);
        Assert.Equal(TimeSpan.FromSeconds(30), host.Services.GetRequiredService<DueWorkOptions>().Lease);
    }

    [Fact]
    public void AddCoachBotScheduling_WithoutSchedulingKeys_TicksEveryMinuteAndLeasesForTwoMinutes()
    {
        using var host = BuildHost();

        var options = host.Services.GetRequiredService<DueWorkOptions>();

        Assert.Equal(TimeSpan.FromMinutes(2), options.Lease);
        Assert.Equal(TimeSpan.FromMinutes(1), host.Services.GetRequiredService<Microsoft.Extensions.Options.IOptions<ScheduledDeliveryOptions>>().Value.TickInterval);
    }

    private IHost BuildHost(params (string Key, string Value)[] overrides)
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { Args = [], DisableDefaults = true });
        builder.Logging.ClearProviders();
        builder.Configuration.AddJsonFile(Path.Combine(RepositoryRoot.Path, "appsettings.example.json"));
        builder.Configuration.AddInMemoryCollection(
        [
            new("ConnectionStrings:CoachBot", $"Data Source={Path.Combine(_folder.FullName, "coachbot.db")}"),
            new("Pathways:Directory", RepositoryRoot.PathwaysDirectory),
        ]);
        builder.Configuration.AddInMemoryCollection(overrides.Select(entry => new KeyValuePair<string, string?>(entry.Key, entry.Value)));
        builder.Services.AddCoachBotCore();
        builder.Services.AddSingleton<Core.Messaging.IMessenger>(new RecordingMessenger(TimeProvider.System));
        builder.Services.AddCoachBotScheduling();
        return builder.Build();
    }
}
