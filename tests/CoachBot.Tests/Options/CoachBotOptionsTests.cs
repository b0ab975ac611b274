using System.Text.Json;
using CoachBot.Discord;
using CoachBot.Options;
using CoachBot.Testing;
using CoachBot.TestSupport;
using Microsoft.Extensions.Hosting;

namespace CoachBot.Tests.Options;

public sealed class CoachBotOptionsTests : IDisposable
{
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-options-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Theory]
    [InlineData("Coach:DefaultTimeZone", "Mars/Base",
        "Coach:DefaultTimeZone 'Mars/Base' is not a time zone; set Coach__DefaultTimeZone to an IANA name such as 'Europe/Berlin' or 'UTC'.")]
    [InlineData("Coach:DefaultTimeZone", "",
        "Coach:DefaultTimeZone '' is not a time zone; set Coach__DefaultTimeZone to an IANA name such as 'Europe/Berlin' or 'UTC'.")]
    [InlineData("Pathways:Directory", "",
        "Pathways:Directory is empty; set Pathways__Directory to the folder of pathway files, e.g. 'pathways'.")]
    [InlineData("Pathways:Directory", "   ",
        "Pathways:Directory is empty; set Pathways__Directory to the folder of pathway files, e.g. 'pathways'.")]
    [InlineData("ConnectionStrings:CoachBot", "coachbot.db",
        "ConnectionStrings:CoachBot 'coachbot.db' is not a SQLite connection string; set ConnectionStrings__CoachBot to e.g. 'Data Source=data/coachbot.db'.")]
    [InlineData("ConnectionStrings:CoachBot", "Data Source=",
        "ConnectionStrings:CoachBot 'Data Source=' is not a SQLite connection string; set ConnectionStrings__CoachBot to e.g. 'Data Source=data/coachbot.db'.")]
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
    [InlineData("Scheduling:KeepSentFor", "a week",
        "Scheduling:KeepSentFor 'a week' is not a duration; set Scheduling__KeepSentFor to hours:minutes:seconds, e.g. '7.00:00:00'.")]
    [InlineData("Scheduling:KeepSentFor", "91.00:00:00",
        "Scheduling:KeepSentFor '91.00:00:00' is out of range; set Scheduling__KeepSentFor between 00:00:00 and 90.00:00:00, e.g. '7.00:00:00' (the default): "
        + "how long a sent message's text is kept before only its key and outcome stay.")]
    [InlineData("Scheduling:KeepSentFor", "-01:00:00",
        "Scheduling:KeepSentFor '-01:00:00' is out of range; set Scheduling__KeepSentFor between 00:00:00 and 90.00:00:00, e.g. '7.00:00:00' (the default): "
        + "how long a sent message's text is kept before only its key and outcome stay.")]
    public async Task PrepareCoachBot_WithOneWrongKey_StopsWithTheSentenceForThatKey(string key, string value, string sentence)
    {
        using var host = BuildHost((key, value));

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(CancellationToken.None));

        Assert.Equal(sentence, failure.Message);
    }

    [Fact]
    public async Task PrepareCoachBot_WithSeveralWrongKeys_NamesEachOnItsOwnLine()
    {
        using var host = BuildHost(("Coach:DefaultTimeZone", "Mars/Base"), ("Pathways:Directory", ""));

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(CancellationToken.None));

        var lines = failure.Message.Split(Environment.NewLine);
        Assert.True(lines.Length == 2, failure.Message);
        Assert.StartsWith("Pathways:Directory is empty", lines[0], StringComparison.Ordinal);
        Assert.StartsWith("Coach:DefaultTimeZone 'Mars/Base'", lines[1], StringComparison.Ordinal);
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
    public async Task PrepareCoachBot_WithEverySchedulingKeyWrong_NamesEachOnItsOwnLine_EvenThoseTheBinderCannotRead()
    {
        // The binder stops at the first value it cannot convert: the others must be named in the same start.
        using var host = BuildHost(("Scheduling:TickInterval", "often"), ("Scheduling:DeliveryLease", "soon"), ("Scheduling:KeepSentFor", "91.00:00:00"));

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(CancellationToken.None));

        Assert.Equal(
            [
                "Scheduling:TickInterval 'often' is not a duration; set Scheduling__TickInterval to hours:minutes:seconds, e.g. '00:01:00'.",
                "Scheduling:DeliveryLease 'soon' is not a duration; set Scheduling__DeliveryLease to hours:minutes:seconds, e.g. '00:02:00'.",
                "Scheduling:KeepSentFor '91.00:00:00' is out of range; set Scheduling__KeepSentFor between 00:00:00 and 90.00:00:00, e.g. '7.00:00:00' (the default): "
                    + "how long a sent message's text is kept before only its key and outcome stay.",
            ],
            failure.Message.Split(Environment.NewLine));
    }

    [Fact]
    public async Task PrepareCoachBot_WithTwoDiscordNumbersThatAreNotNumbers_NamesBoth()
    {
        // Before: only Discord:GlobalRateLimit was named; the organiser found Discord:ShardCount at the next start.
        var builder = CoachBotTestHost.CreateBuilder(_folder, ("Discord:Token", "token"), ("Discord:GlobalRateLimit", "fast"), ("Discord:ShardCount", "two"));
        builder.Services.AddDiscordOptions();
        builder.Services.AddDiscordClient();
        using var host = builder.Build();

        var failure = await Assert.ThrowsAsync<StartupException>(() => host.PrepareCoachBotAsync(CancellationToken.None));

        Assert.Equal(
            [
                "Discord:GlobalRateLimit is 'fast', which is not a whole number; set Discord__GlobalRateLimit to a whole number or remove it.",
                "Discord:ShardCount is 'two', which is not a whole number; set Discord__ShardCount to a whole number or remove it.",
            ],
            failure.Message.Split(Environment.NewLine));
    }

    [Fact]
    public async Task PrepareCoachBot_WithTheExampleSettings_Starts()
    {
        using var host = BuildHost();

        await host.PrepareCoachBotAsync(CancellationToken.None);

        Assert.True(File.Exists(Path.Combine(_folder.FullName, "coachbot.db")));
    }

    [Theory]
    [InlineData("Discord:Token")]
    [InlineData("Discord:ApiBaseUrl")]
    [InlineData("Discord:GuildIds")]
    [InlineData("Storage:Provider")]
    [InlineData("ConnectionStrings:CoachBot")]
    [InlineData("Pathways:Directory")]
    [InlineData("Coach:DefaultTimeZone")]
    [InlineData("Health:File")]
    [InlineData("Logging:LogLevel:Default")]
    public void ExampleSettings_HaveEveryKeyOfTheBrief(string key)
    {
        var keys = Keys(Path.Combine(RepositoryRoot.Path, "appsettings.example.json"));

        Assert.Contains(key, keys);
    }

    [Fact]
    public void ExampleSettings_HaveEveryKeyOfTheShippedAppSettings()
    {
        var example = Keys(Path.Combine(RepositoryRoot.Path, "appsettings.example.json"));

        var shipped = Keys(Path.Combine(RepositoryRoot.Path, "src", "CoachBot", "appsettings.json"));

        Assert.Empty(shipped.Except(example));
    }

    private IHost BuildHost(params (string Key, string Value)[] overrides) => CoachBotTestHost.CreateBuilder(_folder, overrides).Build();

    /// <summary>Configuration keys of a settings file: "Section:Key", arrays and objects counted as the key that holds them.</summary>
    private static HashSet<string> Keys(string path)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        var keys = new HashSet<string>(StringComparer.Ordinal);
        Collect(json.RootElement, "", keys);
        return keys;
    }

    private static void Collect(JsonElement element, string prefix, HashSet<string> keys)
    {
        if (element.ValueKind != JsonValueKind.Object)
        {
            keys.Add(prefix);
            return;
        }

        foreach (var property in element.EnumerateObject())
        {
            Collect(property.Value, prefix.Length == 0 ? property.Name : $"{prefix}:{property.Name}", keys);
        }
    }
}
