using CoachBot.Core.Messaging;
using CoachBot.Discord.Models;
using CoachBot.Platforms.Discord;
using ButtonStyle = CoachBot.Core.Messaging.ButtonStyle;

namespace CoachBot.Tests.Platforms.Discord;

public sealed class ReplyRendererTests
{
    private readonly ReplyRenderer _renderer = new();

    [Fact]
    public void Render_WithTitleAndBlocks_BoldsTheTitleAndSeparatesBlocks()
    {
        var reply = Reply.Private("This week", "1. Read", "2. Write");

        var rendered = _renderer.Render(reply);

        var message = Assert.Single(rendered.Messages);
        Assert.Equal("**This week**\n\n1. Read\n\n2. Write", message.Content);
        Assert.True(rendered.Ephemeral);
        Assert.All(rendered.ToInteractionMessages(), interaction => Assert.Empty(interaction.AllowedMentions.Parse));
    }

    [Fact]
    public void Render_WhenTextIsLongerThan2000_SplitsIntoMessagesThatFit_ButtonsOnTheLast()
    {
        var lines = Enumerable.Range(1, 120).Select(i => $"{i}. A task with a fairly long title to fill the line");
        var reply = Reply.Public("Group", string.Join('\n', lines)).WithButtons([new ReplyButton("Done", "done:1:a")]);

        var rendered = _renderer.Render(reply);

        Assert.True(rendered.Messages.Count > 1);
        Assert.All(rendered.Messages, message => Assert.InRange(message.Content.Length, 1, 2000));
        Assert.Empty(rendered.Messages[0].Components);
        Assert.Single(rendered.Messages[^1].Components);
        Assert.Contains("120. A task", rendered.Messages[^1].Content);
    }

    [Fact]
    public void Render_WhenFarTooLong_KeepsFourMessagesAndSaysHowMuchIsLeftOut()
    {
        var reply = Reply.Public(null, string.Join('\n', Enumerable.Range(1, 2000).Select(i => $"line {i} with some words in it")));

        var rendered = _renderer.Render(reply);

        Assert.Equal(ReplyRenderer.MaxMessages, rendered.Messages.Count);
        Assert.All(rendered.Messages, message => Assert.InRange(message.Content.Length, 1, 2000));
        Assert.Matches(@"…and \d+ more lines that do not fit", rendered.Messages[^1].Content);
    }

    [Fact]
    public void Render_With30Buttons_KeepsFiveRowsOfFive()
    {
        var buttons = Enumerable.Range(1, 30).Select(i => new ReplyButton($"Task {i}", $"done:1:t{i}", ButtonStyle.Success));

        var rendered = _renderer.Render(Reply.Private("Today").WithButtons(buttons));

        var rows = rendered.Messages[^1].Components;
        Assert.Equal(5, rows.Count);
        Assert.All(rows, row => Assert.Equal(5, row.Components!.Count));
        Assert.Equal("done:1:t1", rows[0].Components![0].CustomId);
        Assert.Equal((int)CoachBot.Discord.Models.ButtonStyle.Success, rows[0].Components![0].Style);
    }

    [Fact]
    public void Render_DropsButtonsWhoseIdIsTooLongOrRepeated_AndShortensLongLabels()
    {
        var reply = Reply.Private("Buttons").WithButtons(
        [
            new ReplyButton(new string('L', 120), "ok:1"),
            new ReplyButton("Again", "ok:1"),
            new ReplyButton("Too long", "x:" + new string('9', 100)),
        ]);

        var rendered = _renderer.Render(reply);

        var button = Assert.Single(Assert.Single(rendered.Messages[^1].Components).Components!);
        Assert.Equal("ok:1", button.CustomId);
        Assert.Equal(80, button.Label!.Length);
    }

    [Fact]
    public void Render_APromptButton_MarksTheIdAndRemembersThePrompt()
    {
        var reply = Reply.Private("Check-in").WithButtons([new ReplyButton("Add a note", "checkin-note:7:3", TextPrompt: "How was the week?")]);

        var rendered = _renderer.Render(reply);

        var button = rendered.Messages[^1].Components[0].Components![0];
        Assert.Equal("?checkin-note:7:3", button.CustomId);
        Assert.Equal("How was the week?", _renderer.PromptFor("checkin-note:9:4"));
    }

    [Fact]
    public void RenderMessage_AnAttachmentThatFits_ShowsTheJsonInACodeBlock()
    {
        var reply = Reply.Private("Your data") with { Attachment = new ReplyAttachment("my-data.json", "application/json", "{\"a\":1}") };

        var message = _renderer.RenderMessage(reply, "n1", []);

        Assert.Contains("`my-data.json`:\n```json\n{\"a\":1}\n```", message.Content);
    }

    [Fact]
    public void Render_AnAttachment_WhenItCanBeUploaded_BecomesAFileFollowUp()
    {
        var reply = Reply.Private("Your data") with { Attachment = new ReplyAttachment("my-data.json", "application/json", "{\"a\":1}") };

        var rendered = _renderer.Render(reply);

        Assert.DoesNotContain("```", rendered.Messages[0].Content);
        var file = Assert.Single(rendered.FileMessage!.Files!);
        Assert.Equal("my-data.json", file.FileName);
        Assert.Equal("{\"a\":1}", System.Text.Encoding.UTF8.GetString(file.Content.Span));
        Assert.True(rendered.FileMessage.Ephemeral);
    }

    [Fact]
    public void RenderMessage_WhenTooLong_ShortensTheLongestBlockIntoOneMessage()
    {
        var reply = Reply.Public("Reminder", "Tasks:\n1. Read\n2. Write", "Resources:\n" + new string('r', 2500), "Progress 40%")
            .WithButtons([new ReplyButton("Done", "done:1:a")]);

        var message = _renderer.RenderMessage(reply, "rem-1-2", []);

        Assert.InRange(message.Content!.Length, 1900, 2000);
        Assert.StartsWith("**Reminder**\n\nTasks:\n1. Read\n2. Write\n\nResources:\nrrr", message.Content);
        Assert.EndsWith("…\n\nProgress 40%", message.Content);
        Assert.Single(message.Components!);
        Assert.Equal("rem-1-2", message.Nonce);
    }

    [Fact]
    public void RenderMessage_WithMentions_PutsThemFirstAndAllowsOnlyThem()
    {
        var message = _renderer.RenderMessage(Reply.Public("Reminder", "Week 2"), "a-nonce-that-is-longer-than-25", [Snowflake.Parse("42"), Snowflake.Parse("7")]);

        Assert.StartsWith("<@42> <@7> **Reminder**", message.Content);
        Assert.Empty(message.AllowedMentions!.Parse);
        Assert.Equal([Snowflake.Parse("42"), Snowflake.Parse("7")], message.AllowedMentions.Users!);
        Assert.Equal(25, message.Nonce!.Length);
    }

    [Fact]
    public void RenderMessage_WithoutMentions_PingsNobody()
    {
        var message = _renderer.RenderMessage(Reply.Public("Digest", "<@42> did 3 tasks"), "dg-1", []);

        Assert.Empty(message.AllowedMentions!.Parse);
        Assert.Null(message.AllowedMentions.Users);
    }
}
