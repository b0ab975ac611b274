using System.Text.Json.Nodes;
using CoachBot.Slack.Testing;
using CoachBot.Tests.Platforms.Discord;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Platforms.Slack;

/// <summary>
/// The real host with Slack's tokens only, against the fake Slack: Socket Mode in, Web API and response_url out. What a
/// member and an organiser of a workspace see: enrol, /today, done by command and by button, a check-in note in a modal,
/// the reminder DM at the chosen minute, the digest in the channel, /coach refused to a member; and what an operator
/// sees: a reconnect after Slack's disconnect warning, a refused token stopping the bot with one sentence.
/// </summary>
public sealed class SlackBotEndToEndTests
{
    [Fact]
    public async Task A_member_enrols_sees_the_week_and_ticks_tasks_by_command_and_by_button_only_they_see_the_answers()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        await bot.StartAndWaitForConnectionAsync();

        var enrolled = await bot.CommandAsync("enroll", "ai-safety");
        var today = await bot.CommandAsync("today");
        var byCommand = await bot.CommandAsync("done", "1");
        var doneButton = SlackBotHarness.Buttons(await bot.CommandAsync("today")).First(button => button["action_id"]!.GetValue<string>().StartsWith("done:", StringComparison.Ordinal));
        var pressedByOther = await bot.ResponseAsync(await bot.PressAsync(doneButton, user: SlackBotHarness.Admin));
        var pressed = await bot.ResponseAsync(await bot.PressAsync(doneButton));

        Assert.Contains("Welcome to ai-safety!", SlackBotHarness.TextOf(enrolled), StringComparison.Ordinal);
        Assert.Equal("ephemeral", enrolled["response_type"]!.GetValue<string>());
        Assert.Contains("Phase 1 · week 1", SlackBotHarness.TextOf(today), StringComparison.Ordinal);
        Assert.NotEmpty(SlackBotHarness.Buttons(today));
        Assert.Contains("✓ Done: ", SlackBotHarness.TextOf(byCommand), StringComparison.Ordinal);
        Assert.Contains("That button belongs to someone else's pathway", SlackBotHarness.TextOf(pressedByOther), StringComparison.Ordinal);
        Assert.Contains("✓ Done: ", SlackBotHarness.TextOf(pressed), StringComparison.Ordinal);
        Assert.Equal("ephemeral", pressed["response_type"]!.GetValue<string>());
        Assert.False(pressed["replace_original"]!.GetValue<bool>());

        // The app-level token only opens sockets; every other call carries the bot token.
        Assert.All(bot.Fake.Requests.Where(request => request.Method == "apps.connections.open"), request => Assert.Equal(bot.Fake.Options.AppToken, request.Token));
        Assert.All(bot.Fake.Requests.Where(request => request.Method is not ("apps.connections.open" or "response_url")), request => Assert.Equal(bot.Fake.Options.BotToken, request.Token));
        Assert.DoesNotContain(bot.LogLines(), line => line.Contains(bot.Fake.Options.BotToken, StringComparison.Ordinal) || line.Contains(bot.Fake.Options.AppToken, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_check_in_note_is_typed_into_a_modal_and_saved()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        await bot.StartAndWaitForConnectionAsync();
        await bot.CommandAsync("enroll", "ai-safety");

        var checkIn = await bot.CommandAsync("checkin");
        var noteButton = SlackBotHarness.Buttons(checkIn).Single(button => button["action_id"]!.GetValue<string>().StartsWith('?'));
        var press = await bot.PressAsync(noteButton);
        await bot.WaitForAsync(() => bot.Fake.Requests.Any(request => request.Method == "views.open"), "the note's modal");
        var modal = bot.Fake.Requests.Last(request => request.Method == "views.open").Arguments;
        await bot.SubmitLastModalAsync("The reading group helped a lot");
        var saved = await bot.ResponseAsync(press);

        Assert.Equal("trigger-" + press, modal["trigger_id"]!.GetValue<string>());
        Assert.Equal(noteButton["value"]!.GetValue<string>(), modal["view"]!["blocks"]![0]!["label"]!["text"]!.GetValue<string>());
        Assert.Contains("your note for week 1 is saved", SlackBotHarness.TextOf(saved), StringComparison.Ordinal);
        Assert.Equal(["The reading group helped a lot"], await bot.StoredNotesAsync());
    }

    [Fact]
    public async Task The_reminder_DM_comes_at_the_minute_the_member_chose_in_their_Slack_zone_and_the_digest_goes_to_the_channel()
    {
        // Monday 7 December 2026, 07:58 UTC = 08:58 in Berlin, the fake member's profile zone. The digest's default is
        // Monday 09:00 in Coach:DefaultTimeZone (UTC here): an hour after the member's 09:00.
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 7, 58, 0, TimeSpan.Zero));
        await using var bot = await SlackBotHarness.CreateAsync(clock);
        await bot.StartAndWaitForConnectionAsync();
        var enrolled = await bot.CommandAsync("enroll", "ai-safety");
        var channelSet = await bot.CommandAsync("coach", "channel <#C0GROUP|study-group>", user: SlackBotHarness.Admin);
        var remind = await bot.CommandAsync("remind", "day:Monday time:09:00");
        Assert.Contains("(Europe/Berlin)", SlackBotHarness.TextOf(enrolled), StringComparison.Ordinal);
        Assert.Contains("The weekly group digest", SlackBotHarness.TextOf(channelSet), StringComparison.Ordinal);
        Assert.Contains("Mondays at 09:00", SlackBotHarness.TextOf(remind), StringComparison.Ordinal);

        // The scheduler runs on the bot's clock (one TimeProvider everywhere): a minute before the reminder, ticks find nothing.
        await bot.WaitForAsync(() => clock.GetUtcNow() >= new DateTimeOffset(2026, 12, 7, 7, 59, 0, TimeSpan.Zero), "a minute of ticks", ticking: clock);
        Assert.Empty(bot.Fake.Messages);

        clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 8, 0, 5, TimeSpan.Zero));
        // Slowly (0.1 s a step), so the DM's minute can still be told: it must come well before 08:01.
        await bot.WaitForAsync(() => bot.Fake.Messages.Count >= 1, "the reminder DM", ticking: clock, step: TimeSpan.FromMilliseconds(100));
        var dm = Assert.Single(bot.Fake.Messages);
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 7, 9, 0, 5, TimeSpan.Zero));
        await bot.WaitForAsync(() => bot.Fake.Messages.Count >= 2, "the digest", ticking: clock);
        var digest = bot.Fake.Messages[1];
        var doneInDm = SlackBotHarness.Buttons(dm.Arguments).First(button => button["action_id"]!.GetValue<string>().StartsWith("done:", StringComparison.Ordinal));
        var pressedInDm = await bot.ResponseAsync(await bot.PressAsync(doneInDm, channel: "D" + SlackBotHarness.Member));

        Assert.Equal("D" + SlackBotHarness.Member, dm.Arguments["channel"]!.GetValue<string>());
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 8, 0, 0, TimeSpan.Zero), new DateTimeOffset(dm.At.Year, dm.At.Month, dm.At.Day, dm.At.Hour, dm.At.Minute, 0, TimeSpan.Zero));
        Assert.Contains("Weekly reminder", SlackBotHarness.TextOf(dm.Arguments), StringComparison.Ordinal);
        Assert.Contains("✓ Done: ", SlackBotHarness.TextOf(pressedInDm), StringComparison.Ordinal);
        Assert.Contains(bot.Fake.Requests, request => request.Method == "conversations.open" && request.Arguments["users"]!.GetValue<string>() == SlackBotHarness.Member);
        Assert.Equal("C0GROUP", digest.Arguments["channel"]!.GetValue<string>());
        Assert.Contains("Weekly digest", SlackBotHarness.TextOf(digest.Arguments), StringComparison.Ordinal);
        Assert.Contains("ada", SlackBotHarness.TextOf(digest.Arguments), StringComparison.Ordinal);
        // The digest pings nobody: no user mention, no @channel.
        Assert.DoesNotContain("<@", SlackBotHarness.TextOf(digest.Arguments), StringComparison.Ordinal);
        Assert.DoesNotContain("<!", SlackBotHarness.TextOf(digest.Arguments), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Garbage_on_the_socket_costs_only_itself_and_the_next_member_is_answered()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        await bot.StartAndWaitForConnectionAsync();

        await bot.Fake.SendRawAsync("this is not JSON");
        await bot.Fake.SendRawAsync("""{"envelope_id": 42, "type": "slash_commands", "payload": "none"}""");
        await bot.Fake.SendRawAsync("[1, 2, 3]");
        var numericIds = await bot.Fake.SendEnvelopeAsync("slash_commands", new JsonObject { ["team_id"] = 42, ["user_id"] = true, ["command"] = "/today" });
        var userAsText = await bot.Fake.SendEnvelopeAsync("interactive", new JsonObject { ["type"] = "block_actions", ["user"] = "U0MEMBER", ["team"] = "T0WORKSPACE", ["actions"] = "done" }, acceptsResponsePayload: false);
        var submissionWithoutView = await bot.Fake.SendEnvelopeAsync("interactive", new JsonObject { ["type"] = "view_submission", ["view"] = new JsonArray() }, acceptsResponsePayload: false);
        var anEvent = await bot.Fake.SendEnvelopeAsync("events_api", new JsonObject { ["type"] = "event_callback", ["event"] = new JsonObject { ["type"] = "app_mention" } }, acceptsResponsePayload: false);
        var enrolled = await bot.CommandAsync("enroll", "ai-safety");

        Assert.Contains("Something went wrong on my side", SlackBotHarness.TextOf(numericIds.Ack["payload"]!.AsObject()), StringComparison.Ordinal);
        Assert.All([userAsText, submissionWithoutView, anEvent], answer => Assert.Null(answer.Ack["payload"]));
        Assert.Contains("Welcome to ai-safety!", SlackBotHarness.TextOf(enrolled), StringComparison.Ordinal);
        Assert.False(bot.Run!.IsCompleted);
        Assert.Equal(SlackBotHarness.Connections, bot.Fake.ConnectionsOpened);
        Assert.DoesNotContain(bot.LogLines(), line => line.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_press_whose_response_url_expired_is_still_recorded_and_the_bot_keeps_answering()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        await bot.StartAndWaitForConnectionAsync();
        await bot.CommandAsync("enroll", "ai-safety");
        var doneButton = SlackBotHarness.Buttons(await bot.CommandAsync("today")).First(button => button["action_id"]!.GetValue<string>().StartsWith("done:", StringComparison.Ordinal));

        // The member pressed long after the message came: Slack refuses every answer to that press.
        bot.Fake.Options.ResponseUrlLifetime = TimeSpan.Zero;
        await bot.PressAsync(doneButton);
        await bot.WaitForAsync(() => bot.LogLines().Any(line => line.Contains("expired_url", StringComparison.Ordinal)), "the refused answer logged");
        var doneAgain = await bot.CommandAsync("done", "1");
        var otherMember = await bot.CommandAsync("enroll", "ai-safety", user: SlackBotHarness.Admin);

        Assert.Contains("already", SlackBotHarness.TextOf(doneAgain), StringComparison.OrdinalIgnoreCase);
        Assert.Contains("Welcome to ai-safety!", SlackBotHarness.TextOf(otherMember), StringComparison.Ordinal);
        Assert.False(bot.Run!.IsCompleted);
        Assert.Equal(SlackBotHarness.Connections, bot.Fake.ConnectionsOpened);
        Assert.DoesNotContain(bot.LogLines(), line => line.StartsWith("Critical", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_workspace_is_a_boundary_an_organiser_of_another_sees_nobody_of_this_one()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        await bot.StartAndWaitForConnectionAsync();
        await bot.CommandAsync("enroll", "ai-safety");

        var groupElsewhere = await bot.CommandAsync("group", workspace: "T0ELSEWHERE", user: SlackBotHarness.Admin);
        var progressElsewhere = await bot.CommandAsync("progress", "member:<@U0MEMBER|ada>", workspace: "T0ELSEWHERE", user: SlackBotHarness.Admin);
        var groupHere = await bot.CommandAsync("group", user: SlackBotHarness.Admin);

        Assert.DoesNotContain("ada", SlackBotHarness.TextOf(groupElsewhere), StringComparison.Ordinal);
        Assert.DoesNotContain("Phase 1", SlackBotHarness.TextOf(progressElsewhere), StringComparison.Ordinal);
        Assert.Contains("ada", SlackBotHarness.TextOf(groupHere), StringComparison.Ordinal);
        Assert.Equal("in_channel", groupHere["response_type"]!.GetValue<string>());
    }

    [Fact]
    public async Task With_both_platforms_tokens_one_process_answers_on_Discord_and_on_Slack_from_one_database()
    {
        await using var slack = await FakeSlackServer.StartAsync();
        await using var bot = await BotHarness.CreateAsync();
        bot.Settings["Slack:BotToken"] = slack.Options.BotToken;
        bot.Settings["Slack:AppToken"] = slack.Options.AppToken;
        bot.Settings["Slack:ApiBaseUrl"] = slack.ApiBaseUrl.ToString();
        await bot.StartAndWaitForReadyAsync();
        await slack.WaitForConnectionsAsync(SlackBotHarness.Connections);

        var onDiscord = await bot.ReplyAsync(await bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var command = SlackFixtures.Load("socket-mode-slash-commands-envelope.json")["payload"]!.AsObject();
        command["command"] = "/enroll";
        command["text"] = "ml-fundamentals";
        var (onSlack, _) = await slack.SendEnvelopeAsync("slash_commands", command);

        Assert.Contains("Welcome to ai-safety!", BotHarness.Content(onDiscord), StringComparison.Ordinal);
        Assert.Contains("Welcome to ml-fundamentals!", SlackBotHarness.TextOf(onSlack["payload"]!.AsObject()), StringComparison.Ordinal);
        await using var database = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={bot.DatabasePath};Mode=ReadOnly;Pooling=False");
        await database.OpenAsync();
        await using var query = database.CreateCommand();
        query.CommandText = "SELECT group_concat(platform || ':' || user_id, ' ') FROM (SELECT platform, user_id FROM members ORDER BY platform)";
        Assert.Equal($"discord:{BotHarness.MemberUserId} slack:U111", (string?)await query.ExecuteScalarAsync());
    }

    [Fact]
    public async Task Coach_is_refused_to_a_member_and_answered_for_a_workspace_admin()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        await bot.StartAndWaitForConnectionAsync();

        var refused = await bot.CommandAsync("coach", "stats");
        var answered = await bot.CommandAsync("coach", "stats", user: SlackBotHarness.Admin);

        Assert.Contains("Only the workspace's admins and owners, and the organisers CoachBot was set up with, can use `/coach`.", SlackBotHarness.TextOf(refused), StringComparison.Ordinal);
        Assert.DoesNotContain("Only the workspace's admins", SlackBotHarness.TextOf(answered), StringComparison.Ordinal);
        Assert.Contains(bot.Fake.Requests, request => request.Method == "users.info" && request.Arguments["user"]!.GetValue<string>() == SlackBotHarness.Admin);
    }

    [Fact]
    public async Task A_member_named_in_Slack_Organisers_may_use_coach_without_being_an_admin()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        bot.Settings["Slack:Organisers:0"] = SlackBotHarness.Member;
        await bot.StartAndWaitForConnectionAsync();

        var answered = await bot.CommandAsync("coach", "channel <#C0GROUP|study-group>");

        Assert.Contains("The weekly group digest", SlackBotHarness.TextOf(answered), StringComparison.Ordinal);
    }

    [Fact]
    public async Task After_Slacks_disconnect_warning_the_bot_opens_the_next_connection_and_keeps_answering()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        await bot.StartAndWaitForConnectionAsync();
        await bot.CommandAsync("enroll", "ai-safety");

        await bot.Fake.DisconnectAsync("warning", TimeSpan.FromSeconds(1));
        await bot.Fake.WaitForConnectionsAsync(SlackBotHarness.Connections + 1);
        await Task.Delay(TimeSpan.FromSeconds(1.5), TimeProvider.System);
        var today = await bot.CommandAsync("today");

        Assert.Contains("Phase 1 · week 1", SlackBotHarness.TextOf(today), StringComparison.Ordinal);
        Assert.False(bot.Run!.IsCompleted);
    }

    [Theory]
    [InlineData("Slack:BotToken", "xoxb-revoked", "Slack does not accept the bot token (Slack:BotToken, xoxb-…): invalid_auth.")]
    [InlineData("Slack:AppToken", "xapp-revoked", "Slack does not accept the app-level token (Slack:AppToken, xapp-…): invalid_auth.")]
    public async Task A_token_Slack_refuses_stops_the_bot_with_one_sentence_and_exit_code_2(string key, string value, string sentence)
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        bot.Settings[key] = value;
        bot.Start();

        var exitCode = await bot.Run!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        var fatal = Assert.Single(bot.LogLines(), line => line.StartsWith("Critical", StringComparison.Ordinal));
        Assert.Contains(sentence, fatal, StringComparison.Ordinal);
        Assert.DoesNotContain(value, string.Join('\n', bot.LogLines()), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_bot_token_revoked_while_running_stops_the_bot_at_the_first_refused_call()
    {
        await using var bot = await SlackBotHarness.CreateAsync();
        await bot.StartAndWaitForConnectionAsync();
        bot.Fake.Script("users.info", 200, """{"ok":false,"error":"token_revoked"}""");

        try
        {
            await bot.CommandAsync("coach", "stats");
        }
        catch (TimeoutException)
        {
            // The bot may stop before it acks: Slack then sends the command again to the next connection, or tells the member.
        }

        var exitCode = await bot.Run!.WaitAsync(TimeSpan.FromSeconds(30));

        Assert.Equal(2, exitCode);
        Assert.Contains(bot.LogLines(), line => line.StartsWith("Critical", StringComparison.Ordinal) && line.Contains("token_revoked", StringComparison.Ordinal));
    }
}
