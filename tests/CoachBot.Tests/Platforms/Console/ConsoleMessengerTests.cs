using CoachBot.Core.Messaging;
using CoachBot.Platforms.Console;
using CoachBot.Core.Enrolment;
using CoachBot.Tests.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Platforms.Console;

public sealed class ConsoleMessengerTests
{
    [Fact]
    public async Task SendToMember_PrintsTheDmWithItsButtonsAsChoices()
    {
        await using var database = await TempDatabase.CreateAsync();
        var zones = new MemberZones(database.Store, new CoachSettings(TimeZoneInfo.Utc));
        using var output = new StringWriter();
        var session = new ConsoleSession(output, "alice");
        var messenger = new ConsoleMessenger(session, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)), zones);
        var reminder = Reply.Private("Week 2", "This week: read a paper").WithButtons([new ReplyButton("Mark \"Read\" done", "done:1:read")]);

        var result = await messenger.SendToMemberAsync(new MemberRef("console", "console", "alice"), reminder, "nonce", CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        Assert.Contains("📬 DM to you · Mon 7 Dec 2026 09:00 UTC\nWeek 2\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("[b1] Mark \"Read\" done", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("done:1:read", Assert.Single(session.Choices).ActionId);
    }

    [Fact]
    public async Task SendToAnotherMember_PrintsTheirNameAndKeepsTheChoices()
    {
        await using var database = await TempDatabase.CreateAsync();
        var zones = new MemberZones(database.Store, new CoachSettings(TimeZoneInfo.Utc));
        using var output = new StringWriter();
        var session = new ConsoleSession(output, "alice");
        var messenger = new ConsoleMessenger(session, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)), zones);
        var reminder = Reply.Private("Week 2", "This week: read a paper").WithButtons([new ReplyButton("Mark \"Read\" done", "done:2:read")]);

        await messenger.SendToMemberAsync(new MemberRef("console", "console", "bob"), reminder, "nonce", CancellationToken.None);

        Assert.Contains("📬 DM to bob · Mon 7 Dec 2026 09:00 UTC", output.ToString(), StringComparison.Ordinal);
        Assert.Empty(session.Choices);
    }

    [Fact]
    public async Task PostToChannel_NamesTheChannel()
    {
        await using var database = await TempDatabase.CreateAsync();
        var zones = new MemberZones(database.Store, new CoachSettings(TimeZoneInfo.Utc));
        using var output = new StringWriter();
        var messenger = new ConsoleMessenger(new ConsoleSession(output, "alice"), new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 9, 0, 0, TimeSpan.Zero)), zones);

        await messenger.PostToChannelAsync("console", "study-group", Reply.Public("Digest", "3 members"), "nonce", ["bob"], CancellationToken.None);

        Assert.Contains("📢 #study-group · Mon 7 Dec 2026 09:00 UTC · @bob", output.ToString(), StringComparison.Ordinal);
    }
}
