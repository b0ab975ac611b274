using System.Text.Json.Nodes;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Pathways;
using CoachBot.Platforms.Slack;
using CoachBot.Slack.Testing;
using CoachBot.Tests.Storage;
using CoachBot.TestSupport;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Platforms.Slack;

/// <summary>
/// What Slack sends (payloads shaped as Slack documents them), read into the router's requests and answered by the real
/// router on SQLite: a slash command's line read as the console reads it, a button rendered as Block Kit and pressed
/// back, a prompt button's modal submitted with its note. A workspace is the scope; a payload without its ids is refused.
/// </summary>
public sealed class SlackInboundTests
{
    private static readonly PathwayCatalog _shipped = PathwayDirectory.Load(RepositoryRoot.PathwaysDirectory).Catalog;

    [Fact]
    public void A_slash_commands_line_is_read_by_name_and_by_position_in_its_workspace()
    {
        var request = SlackInbound.SlashCommand(SlashPayload("/remind", "Friday time:18:00 timezone:\"Europe/Berlin\""), isOrganiser: false);

        Assert.Equal(("slack", "T0WORKSPACE", "U0MEMBER"), (request.Member.Platform, request.Member.Scope, request.Member.UserId));
        Assert.Equal("remind", request.Name);
        Assert.Equal("ada", request.DisplayName);
        Assert.Equal(new Dictionary<string, string> { ["day"] = "Friday", ["time"] = "18:00", ["timezone"] = "Europe/Berlin" }, request.Options);
    }

    [Fact]
    public void A_line_with_more_values_than_options_is_refused_with_the_sentence_for_the_member()
    {
        var problem = Assert.Throws<CommandException>(() => SlackInbound.SlashCommand(SlashPayload("/today", "ai-safety extra words"), isOrganiser: false));

        Assert.StartsWith("`/today` takes options pathway", problem.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("team_id")]
    [InlineData("user_id")]
    [InlineData("command")]
    public void A_slash_command_without_its_ids_is_refused_not_guessed(string missing)
    {
        var payload = SlashPayload("/today", "");
        payload.Remove(missing);

        Assert.Throws<FormatException>(() => SlackInbound.SlashCommand(payload, isOrganiser: false));
    }

    [Theory]
    [InlineData("channel <#C0123ABCD|study-group>", "C0123ABCD")]
    [InlineData("channel <#C0123ABCD>", "C0123ABCD")]
    [InlineData("channel:#G0PRIVATE1", "G0PRIVATE1")]
    public void A_channel_picked_from_Slacks_list_arrives_escaped_and_is_read_as_its_id(string text, string channelId)
    {
        var request = SlackInbound.SlashCommand(SlashPayload("/coach", text), isOrganiser: true);

        Assert.Equal(channelId, request.Options["channel"]);
    }

    [Theory]
    [InlineData("channel #study-group")]
    [InlineData("channel <@U0MEMBER|ada>")]
    [InlineData("channel <!channel>")]
    public void A_channel_that_is_not_an_id_is_refused_with_how_to_pick_one(string text)
    {
        var problem = Assert.Throws<CommandException>(() => SlackInbound.SlashCommand(SlashPayload("/coach", text), isOrganiser: true));

        Assert.Contains("type # and pick the channel from Slack's list", problem.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_member_picked_while_typing_is_read_as_their_id()
    {
        var request = SlackInbound.SlashCommand(SlashPayload("/progress", "member:<@U0ADMIN|grace>"), isOrganiser: false);

        Assert.Equal("U0ADMIN", request.Options["member"]);
    }

    [Fact]
    public void A_DM_with_the_bot_belongs_to_the_member_alone_and_a_modal_cannot_claim_someone_elses()
    {
        var inDm = SlashPayload("/enroll", "ai-safety");
        inDm["channel_id"] = "D0MEMBERDM";
        var pressedInDm = ActionPayload("done:1:x");
        pressedInDm["container"] = new JsonObject { ["type"] = "message", ["channel_id"] = "D0MEMBERDM" };
        var ownDmModal = SlackInbound.PromptModal("checkin-note:1:2", "What happened?", MemberRef.DirectMessageScope("U0MEMBER"));
        var forgedModal = SlackInbound.PromptModal("checkin-note:1:2", "What happened?", MemberRef.DirectMessageScope("U0ADMIN"));

        Assert.Equal("dm:U0MEMBER", SlackInbound.SlashCommand(inDm, isOrganiser: false).Member.Scope);
        Assert.Equal("dm:U0MEMBER", SlackInbound.BlockAction(pressedInDm, isOrganiser: false).Request.Member.Scope);
        Assert.Equal("T0WORKSPACE", SlackInbound.SlashCommand(SlashPayload("/enroll", "ai-safety"), isOrganiser: false).Member.Scope);
        Assert.Equal("dm:U0MEMBER", SlackInbound.ViewSubmission(SubmissionPayload(ownDmModal, "note"), false).Request.Member.Scope);
        Assert.Equal("T0WORKSPACE", SlackInbound.ViewSubmission(SubmissionPayload(forgedModal, "note"), false).Request.Member.Scope);
    }

    [Fact]
    public void Slacks_own_example_payloads_are_read_with_their_workspace_member_and_action()
    {
        var command = SlackInbound.SlashCommand(SlackFixtures.Load("socket-mode-slash-commands-envelope.json")["payload"]!.AsObject(), isOrganiser: false);
        var pressed = SlackInbound.BlockAction(SlackFixtures.Load("socket-mode-interactive-block-actions-envelope.json")["payload"]!.AsObject(), isOrganiser: false);
        var submitted = SlackInbound.ViewSubmission(SlackFixtures.Load("interactive-view-submission.json"), isOrganiser: false);

        Assert.Equal((new MemberRef("slack", "T111", "U111"), "hi-socket-mode", "test-test-test"), (command.Member, command.Name, command.DisplayName));
        Assert.Equal((new MemberRef("slack", "T111", "U111"), "a", false), (pressed.Request.Member, pressed.Request.ActionId, pressed.OpensPrompt));
        Assert.Equal(new Uri("https://hooks.slack.com/actions/T111/111/xxx"), pressed.ResponseUrl);
        Assert.Equal(new MemberRef("slack", "T123", "U123"), submitted.Request.Member);
    }

    [Fact]
    public void Fields_of_the_wrong_kind_are_refused_as_a_payload_not_thrown_as_something_else()
    {
        var numbers = SlashPayload("/today", "");
        numbers["team_id"] = 42;
        var press = ActionPayload("done:1:x");
        press["user"] = "U0MEMBER";

        Assert.Throws<FormatException>(() => SlackInbound.SlashCommand(numbers, isOrganiser: false));
        Assert.Throws<FormatException>(() => SlackInbound.BlockAction(press, isOrganiser: false));
    }

    [Fact]
    public async Task Enrol_press_a_done_button_and_save_a_check_in_note_through_its_modal_all_answered_by_the_router()
    {
        await using var database = await TempDatabase.CreateAsync();
        var router = new CommandRouter(new CoachServices(database.Store, _shipped, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero)), new CoachSettings(TimeZoneInfo.Utc)));

        var enrolled = await router.HandleAsync(SlackInbound.SlashCommand(SlashPayload("/enroll", "ai-safety"), false), CancellationToken.None);
        var rendered = BlockKitRenderer.Render(enrolled);
        var done = ActionIds(rendered).First(id => id.StartsWith("done:", StringComparison.Ordinal));
        var pressed = SlackInbound.BlockAction(ActionPayload(done), isOrganiser: false);
        var ticked = await router.HandleActionAsync(pressed.Request, CancellationToken.None);

        var checkIn = BlockKitRenderer.Render(await router.HandleAsync(SlackInbound.SlashCommand(SlashPayload("/checkin", ""), false), CancellationToken.None));
        var promptButton = ActionIds(checkIn).Single(id => id.StartsWith(BlockKitRenderer.PromptMarker, StringComparison.Ordinal));
        var note = SlackInbound.BlockAction(ActionPayload(promptButton, value: PromptOf(checkIn, promptButton[1..])), false);
        var modal = SlackInbound.PromptModal(note.Request.ActionId, note.Prompt!, note.Request.Member.Scope, note.ResponseUrl);
        var submitted = SlackInbound.ViewSubmission(SubmissionPayload(modal, "Reading group helped"), false);
        var saved = await router.HandleActionAsync(submitted.Request, CancellationToken.None);

        Assert.Contains("Welcome to ai-safety!", enrolled.ToPlainText(), StringComparison.Ordinal);
        Assert.False(pressed.OpensPrompt);
        Assert.Contains("✓ Done: ", ticked.ToPlainText(), StringComparison.Ordinal);
        Assert.True(note.OpensPrompt);
        Assert.Equal("trigger-1", note.TriggerId);
        Assert.Equal(PromptOf(checkIn, note.Request.ActionId), note.Prompt);
        Assert.Equal(new Uri("https://hooks.slack.com/actions/T0WORKSPACE/1/abc"), submitted.ResponseUrl);
        Assert.Contains("your note for week 1 is saved", saved.ToPlainText(), StringComparison.Ordinal);
        var member = await database.Store.FindMemberAsync(new Core.Storage.MemberKey("slack", "U0MEMBER"), CancellationToken.None);
        var checkIns = await database.Store.GetCheckInsAsync((await database.Store.GetEnrolmentsAsync(member!.Id, CancellationToken.None))[0].Id, CancellationToken.None);
        Assert.Equal("Reading group helped", Assert.Single(checkIns).Note);
    }

    [Fact]
    public async Task A_button_pressed_by_another_member_of_the_workspace_is_refused()
    {
        await using var database = await TempDatabase.CreateAsync();
        var router = new CommandRouter(new CoachServices(database.Store, _shipped, new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero)), new CoachSettings(TimeZoneInfo.Utc)));
        var enrolled = BlockKitRenderer.Render(await router.HandleAsync(SlackInbound.SlashCommand(SlashPayload("/enroll", "ai-safety"), false), CancellationToken.None));
        var done = ActionIds(enrolled).First(id => id.StartsWith("done:", StringComparison.Ordinal));

        var pressed = await router.HandleActionAsync(SlackInbound.BlockAction(ActionPayload(done, user: "U0OTHER"), false).Request, CancellationToken.None);

        Assert.Equal("That button belongs to someone else's pathway; use `/today` to see your own.", pressed.ToPlainText());
    }

    [Fact]
    public void An_Enterprise_Grid_payload_takes_its_workspace_from_the_user_and_one_without_a_user_is_refused()
    {
        var grid = ActionPayload("done:1:t");
        grid.Remove("team");
        grid["user"]!["team_id"] = "T0GRID";
        var noUser = ActionPayload("done:1:t");
        noUser.Remove("user");

        Assert.Equal("T0GRID", SlackInbound.BlockAction(grid, false).Request.Member.Scope);
        Assert.Throws<FormatException>(() => SlackInbound.BlockAction(noUser, false));
    }

    private static IEnumerable<string> ActionIds(SlackRendered rendered) =>
        rendered.Blocks.Where(block => block!["type"]!.GetValue<string>() == "actions")
            .SelectMany(block => block!["elements"]!.AsArray()).Select(element => element!["action_id"]!.GetValue<string>());

    /// <summary>A slash command as Slack's docs show one (the fields CoachBot reads, and some it does not).</summary>
    private static JsonObject SlashPayload(string command, string text) => new()
    {
        ["token"] = "gIkuvaNzQIHg97ATvDxqgjtO",
        ["team_id"] = "T0WORKSPACE",
        ["team_domain"] = "study-group",
        ["channel_id"] = "C0GROUP",
        ["channel_name"] = "study-group",
        ["user_id"] = "U0MEMBER",
        ["user_name"] = "ada",
        ["command"] = command,
        ["text"] = text,
        ["api_app_id"] = "A0FAKE",
        ["response_url"] = "https://hooks.slack.com/commands/1234/5678",
        ["trigger_id"] = "13345224609.738474920.8088930838d88f008e0",
    };

    /// <summary>The value Slack sends back with a press: what the rendered button carries.</summary>
    private static string? PromptOf(SlackRendered rendered, string actionId) =>
        rendered.Blocks.OfType<JsonObject>()
            .SelectMany(block => block["elements"] as JsonArray ?? [])
            .OfType<JsonObject>()
            .FirstOrDefault(button => button["action_id"]?.GetValue<string>() == BlockKitRenderer.PromptMarker + actionId)?["value"]?.GetValue<string>();

    private static JsonObject ActionPayload(string actionId, string user = "U0MEMBER", string? value = null) => new()
    {
        ["type"] = "block_actions",
        ["team"] = new JsonObject { ["id"] = "T0WORKSPACE", ["domain"] = "study-group" },
        ["user"] = new JsonObject { ["id"] = user, ["username"] = "ada", ["name"] = "ada" },
        ["api_app_id"] = "A0FAKE",
        ["trigger_id"] = "trigger-1",
        ["response_url"] = "https://hooks.slack.com/actions/T0WORKSPACE/1/abc",
        ["actions"] = new JsonArray(new JsonObject { ["type"] = "button", ["action_id"] = actionId, ["block_id"] = "b1", ["action_ts"] = "1700000000.000100", ["value"] = value }),
    };

    private static JsonObject SubmissionPayload(JsonObject modal, string typed) => new()
    {
        ["type"] = "view_submission",
        ["team"] = new JsonObject { ["id"] = "T0WORKSPACE" },
        ["user"] = new JsonObject { ["id"] = "U0MEMBER", ["username"] = "ada" },
        ["view"] = new JsonObject
        {
            ["id"] = "V0FAKE",
            ["callback_id"] = modal["callback_id"]!.GetValue<string>(),
            ["private_metadata"] = modal["private_metadata"]!.GetValue<string>(),
            ["state"] = new JsonObject
            {
                ["values"] = new JsonObject
                {
                    [SlackInbound.NoteBlockId] = new JsonObject { [SlackInbound.NoteActionId] = new JsonObject { ["type"] = "plain_text_input", ["value"] = typed } },
                },
            },
        },
    };
}
