using CoachBot.Core.Messaging;

namespace CoachBot.Core.Tests.Messaging;

public sealed class MentionGuardTests
{
    [Theory]
    [InlineData("@everyone", "@\u200Beveryone")]
    [InlineData("hi @here!", "hi @\u200Bhere!")]
    [InlineData("@EVERYONE", "@\u200BEVERYONE")]
    [InlineData("<@123>", "<@\u200B123>")]
    [InlineData("<@!123>", "<@\u200B!123>")]
    [InlineData("<@&456>", "<@\u200B&456>")]
    [InlineData("mail me at a@example.org", "mail me at a@example.org")]
    [InlineData("no at sign", "no at sign")]
    public void Neutralise_WhenTextHasAMention_BreaksItAndLeavesTheRest(string text, string expected)
    {
        var safe = MentionGuard.Neutralise(text);

        Assert.Equal(expected, safe);
        Assert.False(MentionGuard.HasLiveMention(safe));
    }

    [Fact]
    public void Neutralise_OfAReply_CoversTitleBlocksAndButtonsButNotActionIds()
    {
        var reply = new Reply("@here", ["@everyone"], [new ReplyButton("<@1>", "done:1:@everyone", TextPrompt: "@here?")], Ephemeral: true);

        var safe = MentionGuard.Neutralise(reply);

        Assert.False(MentionGuard.HasLiveMention(safe.ToPlainText()));
        Assert.False(MentionGuard.HasLiveMention(safe.Buttons[0].Label + safe.Buttons[0].TextPrompt));
        Assert.Equal("done:1:@everyone", safe.Buttons[0].ActionId);
    }
}
