using System.Text.Json.Nodes;
using CoachBot.Core.Messaging;
using CoachBot.Platforms.Slack;

namespace CoachBot.Tests.Platforms.Slack;

/// <summary>
/// Replies as Block Kit: within Slack's limits whatever their size, with members' text escaped so it can form no mention
/// or link, and Core's own links kept as links.
/// </summary>
public sealed class BlockKitRendererTests
{
    [Fact]
    public void A_reply_becomes_a_header_sections_and_buttons_with_their_action_ids_and_styles()
    {
        var reply = Reply.Private("Check-in · `ai-safety`", "How did week 2 go?", "Use `/checkin` any time.")
            .WithButtons([new ReplyButton("On track", "checkin:1:2:on-track", ButtonStyle.Success), new ReplyButton("Add a note", "checkin-note:1:2", TextPrompt: "What happened?")]);

        var rendered = BlockKitRenderer.Render(reply);

        Assert.Equal(["header", "section", "section", "actions"], rendered.Blocks.Select(block => block!["type"]!.GetValue<string>()));
        Assert.Equal("Check-in · ai-safety", rendered.Blocks[0]!["text"]!["text"]!.GetValue<string>());
        Assert.Equal("Use `/checkin` any time.", rendered.Blocks[2]!["text"]!["text"]!.GetValue<string>());
        var buttons = rendered.Blocks[3]!["elements"]!.AsArray();
        Assert.Equal(["checkin:1:2:on-track", "?checkin-note:1:2"], buttons.Select(button => button!["action_id"]!.GetValue<string>()));
        Assert.Equal("primary", buttons[0]!["style"]!.GetValue<string>());
        Assert.Null(buttons[1]!["style"]);
        Assert.Equal("What happened?", buttons[1]!["value"]!.GetValue<string>());
        Assert.StartsWith("Check-in · `ai-safety`", rendered.Text, StringComparison.Ordinal);
        AssertWithinSlacksLimits(rendered);
    }

    [Theory]
    [InlineData("<!channel> look", "&lt;!channel&gt; look")]
    [InlineData("<@U0ADMIN> hi", "&lt;@U0ADMIN&gt; hi")]
    [InlineData("<https://evil.example|your bank>", "&lt;https://evil.example|your bank&gt;")]
    [InlineData("Tom & Jerry <3", "Tom &amp; Jerry &lt;3")]
    [InlineData("notes: <https://example.org/a?x=1&y=2>", "notes: <https://example.org/a?x=1&amp;y=2>")]
    [InlineData("<javascript:alert(1)>", "&lt;javascript:alert(1)&gt;")]
    [InlineData("digest in <#C0123ABCD>", "digest in <#C0123ABCD>")]
    [InlineData("<#C0123ABCD|evil link text>", "&lt;#C0123ABCD|evil link text&gt;")]
    public void Members_text_is_escaped_and_only_a_whole_web_link_stays_a_link(string text, string shown)
    {
        var rendered = BlockKitRenderer.Render(Reply.Public(null, text));

        Assert.Equal(shown, rendered.Blocks[0]!["text"]!["text"]!.GetValue<string>());
        Assert.DoesNotContain("<!", rendered.Text, StringComparison.Ordinal);
        Assert.DoesNotContain("<@", rendered.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void A_file_comes_inline_as_code_blocks_and_one_too_large_for_a_message_is_named_with_its_size()
    {
        var small = Reply.Private("Your data", "Here it is.") with { Attachment = new ReplyAttachment("coachbot-my-data.json", "application/json", "{\"note\": \"<!channel> & co\"}") };
        var large = Reply.Private("Your data", "Here it is.") with { Attachment = new ReplyAttachment("coachbot-my-data.json", "application/json", new string('x', 200_000)) };

        var inline = BlockKitRenderer.Render(small);
        var named = BlockKitRenderer.Render(large);

        var texts = inline.Blocks.Select(block => block!["text"]?["text"]?.GetValue<string>() ?? "").ToList();
        Assert.Contains("`coachbot-my-data.json`:", texts);
        Assert.Contains("```\n{\"note\": \"&lt;!channel&gt; &amp; co\"}\n```", texts);
        Assert.Contains(named.Blocks, block => (block!["text"]?["text"]?.GetValue<string>() ?? "").Contains("has 200000 characters, more than one Slack message holds", StringComparison.Ordinal));
        AssertWithinSlacksLimits(inline);
        AssertWithinSlacksLimits(named);
    }

    [Fact]
    public void Long_text_many_blocks_and_many_buttons_still_fit_in_one_message()
    {
        var longBlock = string.Join('\n', Enumerable.Range(1, 400).Select(line => $"  {line}. ☐ A task with a fairly long title number {line}"));
        var manyBlocks = Enumerable.Range(1, 80).Select(i => $"Block {i}");
        var buttons = Enumerable.Range(1, 30).Select(i => new ReplyButton($"Mark \"{new string('x', 90)}\" done {i}", $"done:1:task-{i}"))
            .Append(new ReplyButton("Twice", "done:1:task-1"))
            .Append(new ReplyButton("Too long an id", "done:1:" + new string('t', 300)));
        var reply = Reply.Private("Weekly reminder", [longBlock, .. manyBlocks]).WithButtons(buttons);

        var rendered = BlockKitRenderer.Render(reply);

        AssertWithinSlacksLimits(rendered);
        var actionIds = rendered.Blocks.Where(block => block!["type"]!.GetValue<string>() == "actions")
            .SelectMany(block => block!["elements"]!.AsArray()).Select(button => button!["action_id"]!.GetValue<string>()).ToList();
        Assert.Equal(30, actionIds.Count);
        Assert.Equal(actionIds.Count, actionIds.Distinct().Count());
        Assert.Contains(rendered.Blocks, block => block!["text"]?["text"]?.GetValue<string>() == "… (cut: the rest did not fit in one Slack message)");
        Assert.StartsWith("  1. ☐ A task", rendered.Blocks[1]!["text"]!["text"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_line_longer_than_a_section_is_cut_between_characters_never_inside_one()
    {
        var emoji = string.Concat(Enumerable.Repeat("🎉", 2000));

        var rendered = BlockKitRenderer.Render(Reply.Public(null, emoji));

        AssertWithinSlacksLimits(rendered);
        Assert.All(rendered.Blocks, block => Assert.False(char.IsHighSurrogate(block!["text"]!["text"]!.GetValue<string>()[^1])));
        Assert.Equal(emoji, string.Concat(rendered.Blocks.Select(block => block!["text"]!["text"]!.GetValue<string>())));
    }

    /// <summary>Slack's documented limits for a message's blocks.</summary>
    private static void AssertWithinSlacksLimits(SlackRendered rendered)
    {
        Assert.InRange(rendered.Blocks.Count, 1, BlockKitRenderer.MaxBlocks);
        Assert.InRange(rendered.Text.Length, 1, BlockKitRenderer.MaxFallbackText);
        foreach (var block in rendered.Blocks.OfType<JsonObject>())
        {
            switch (block["type"]!.GetValue<string>())
            {
                case "header":
                    Assert.InRange(block["text"]!["text"]!.GetValue<string>().Length, 1, BlockKitRenderer.MaxHeaderText);
                    break;
                case "section":
                    Assert.InRange(block["text"]!["text"]!.GetValue<string>().Length, 1, BlockKitRenderer.MaxSectionText);
                    break;
                case "actions":
                    var elements = block["elements"]!.AsArray();
                    Assert.InRange(elements.Count, 1, BlockKitRenderer.MaxElementsPerActions);
                    Assert.All(elements, element =>
                    {
                        Assert.InRange(element!["text"]!["text"]!.GetValue<string>().Length, 1, BlockKitRenderer.MaxButtonText);
                        Assert.InRange(element["action_id"]!.GetValue<string>().Length, 1, BlockKitRenderer.MaxActionId);
                    });
                    break;
                default:
                    Assert.Fail("Unexpected block " + block.ToJsonString());
                    break;
            }
        }
    }
}
