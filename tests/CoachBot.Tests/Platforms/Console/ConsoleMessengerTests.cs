using CoachBot.Core.Messaging;
using CoachBot.Platforms.Console;

namespace CoachBot.Tests.Platforms.Console;

public sealed class ConsoleMessengerTests
{
    [Fact]
    public async Task SendToMember_PrintsTheDmWithItsButtonsAsChoices()
    {
        using var output = new StringWriter();
        var session = new ConsoleSession(output, "alice");
        var messenger = new ConsoleMessenger(session);
        var reminder = Reply.Private("Week 2", "This week: read a paper").WithButtons([new ReplyButton("Mark \"Read\" done", "done:1:read")]);

        var result = await messenger.SendToMemberAsync(new MemberRef("console", "console", "alice"), reminder, "nonce", CancellationToken.None);

        Assert.Equal(DeliveryResult.Delivered, result);
        Assert.Contains("📬 DM to alice:\nWeek 2\n", output.ToString().ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("[1] Mark \"Read\" done", output.ToString(), StringComparison.Ordinal);
        Assert.Equal("done:1:read", Assert.Single(session.Choices).ActionId);
    }

    [Fact]
    public async Task PostToChannel_NamesTheChannel()
    {
        using var output = new StringWriter();
        var messenger = new ConsoleMessenger(new ConsoleSession(output, "alice"));

        await messenger.PostToChannelAsync("console", "study-group", Reply.Public("Digest", "3 members"), "nonce", [], CancellationToken.None);

        Assert.Contains("📢 #study-group:", output.ToString(), StringComparison.Ordinal);
    }
}
