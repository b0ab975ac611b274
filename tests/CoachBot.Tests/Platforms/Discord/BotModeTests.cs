using System.Text.Json.Nodes;
using CoachBot.Discord.Testing;
using CoachBot.Platforms;
using CoachBot.Platforms.Discord;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>End to end: the real bot host against the fake Discord, driven with gateway interactions.</summary>
public sealed class BotModeTests : IAsyncLifetime
{
    private BotHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHarness.CreateAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Bot_AMemberEnrolsReadsTodayAndMarksTasksDone_ByCommandAndByButton()
    {
        await _bot.StartAndWaitForReadyAsync();

        var enrolled = await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var today = await _bot.ReplyAsync(await _bot.CommandAsync("today"));
        var doneByCommand = await _bot.ReplyAsync(await _bot.CommandAsync("done", new JsonObject { ["task"] = "1" }));
        var button = BotHarness.CustomIds(today).First(id => id.StartsWith("done:", StringComparison.Ordinal) && !id.EndsWith(":" + FirstTaskId(today), StringComparison.Ordinal));
        var doneByButton = await _bot.ReplyAsync(await _bot.ButtonAsync(button));

        Assert.Contains("Welcome to", BotHarness.Content(enrolled));
        Assert.Contains("This week:", BotHarness.Content(today));
        Assert.True(BotHarness.IsEphemeral(today));
        Assert.Contains("✓ Done: ", BotHarness.Content(doneByCommand));
        Assert.Contains("✓ Done: ", BotHarness.Content(doneByButton));
        Assert.True(BotHarness.IsEphemeral(doneByButton));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Theory]
    [InlineData("unenroll:", "You left ai-safety.")]
    [InlineData("cancel", "Nothing changed.")]
    public async Task Unenroll_AnsweredByAButton_ReplacesTheConfirmationSoItsButtonsAreGone(string buttonPrefix, string expected)
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var confirmation = await _bot.ReplyAsync(await _bot.CommandAsync("unenroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var button = BotHarness.CustomIds(confirmation).First(id => id.StartsWith(buttonPrefix, StringComparison.Ordinal));

        var pressed = await _bot.ButtonAsync(button);
        var answer = await _bot.ReplyAsync(pressed);

        Assert.Equal(7, pressed.AcknowledgedWithType);
        Assert.Contains(expected, BotHarness.Content(answer), StringComparison.Ordinal);
        Assert.Empty(answer["components"]!.AsArray());
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Command_WhileCommandRegistrationIsHeldUp_IsAnsweredWithoutWaitingForIt()
    {
        // Discord asks the registration's first call to wait 20 seconds.
        _bot.Fake.Script(new ScriptedResponse("GET", $"/applications/{_bot.Fake.Options.ApplicationId}/commands", 429,
            """{"message":"You are being rate limited.","retry_after":20,"global":false}""")
        {
            Headers = new Dictionary<string, string> { ["Retry-After"] = "20", ["X-RateLimit-Scope"] = "user" },
        });
        await _bot.StartAndWaitForReadyAsync();
        await _bot.Fake.WaitForAsync(() => _bot.Fake.Requests.Any(request => request.Status == 429), "the held-up registration");

        var pathways = await _bot.ReplyAsync(await _bot.CommandAsync("pathways"));

        Assert.Contains("ai-safety", BotHarness.Content(pathways), StringComparison.Ordinal);
        Assert.DoesNotContain(_bot.Fake.Requests, request => request.Method == "PUT" && request.Path.Contains("/commands", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CoachStats_AfterCommandsWereAnswered_CountsThemSinceTheBotStarted()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        await _bot.ReplyAsync(await _bot.CommandAsync("today"));

        // The fake has the answer as soon as it arrives; the bot counts it when Discord's reply to that call is back.
        await _bot.Fake.WaitForAsync(() => _bot.Metrics?.Snapshot().Interactions >= 2, "both commands counted");
        var stats = await _bot.ReplyAsync(await _bot.CommandAsync("coach", rawOptions: [new JsonObject { ["type"] = 1, ["name"] = "stats" }]));

        Assert.Contains("(bot start): 2 commands answered", BotHarness.Content(stats));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Bot_WhileConnected_KeepsItsHealthFileFresh_AndCountsAResumeAfterDiscordAsksToReconnect()
    {
        var healthFile = Path.Combine(Path.GetTempPath(), "coachbot-tests", Guid.NewGuid().ToString("N"), "healthy");
        _bot.Settings["Health:File"] = healthFile;
        await _bot.StartAndWaitForReadyAsync();
        await _bot.Fake.WaitForAsync(() => File.Exists(healthFile), "the health file");

        await _bot.Fake.SendReconnectAsync();
        await _bot.Fake.WaitForAsync(() => _bot.Fake.ResumeCount == 1, "the RESUME after op 7");
        await _bot.Fake.WaitForAsync(() => _bot.Metrics?.Snapshot().Reconnects >= 1, "the resume counted");
        using var output = new StringWriter();
        using var error = new StringWriter();
        var healthExit = CoachBot.Operations.HealthCheckCommand.Run(["--file", healthFile], output, error, TimeProvider.System);

        Assert.Equal(0, healthExit);
        Assert.Equal(1, _bot.Metrics!.Snapshot().Reconnects);
    }

    [Fact]
    public async Task DoneButton_PressedInADm_CountsForTheSameMember()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var today = await _bot.ReplyAsync(await _bot.CommandAsync("today"));
        var button = BotHarness.CustomIds(today).First(id => id.StartsWith("done:", StringComparison.Ordinal));

        var reply = await _bot.ReplyAsync(await _bot.Fake.InjectInteractionAsync("interaction-button.json", json =>
        {
            json["user"]!["id"] = BotHarness.MemberUserId;
            json["data"]!["custom_id"] = button;
        }));

        Assert.Contains("✓ Done: ", BotHarness.Content(reply));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Enroll_InAnUnknownPathway_GivesAPrivateSentenceNamingTheRealOnes()
    {
        await _bot.StartAndWaitForReadyAsync();

        var reply = await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "no-such-pathway" }));

        Assert.Contains("There is no pathway 'no-such-pathway'; the pathways here are: ", BotHarness.Content(reply));
        Assert.True(BotHarness.IsEphemeral(reply));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Commands_AreRegisteredGloballyOnce_AndNotAgainOnARestartWithTheSameDefinitions()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.Fake.WaitForAsync(() => _bot.Fake.CommandOverwriteCount == 1, "the bulk overwrite");
        var firstExit = await _bot.StopAsync();
        await _bot.StartAndWaitForReadyAsync(identifies: 2);
        await _bot.Fake.WaitForAsync(() => CommandReads() == 2, "the second comparison with the registered commands");
        var secondExit = await _bot.StopAsync();

        var registered = _bot.Fake.CommandsFor("global")!;
        Assert.Equal(CommandDefinitions.All.Count, registered.Count);
        var coach = registered.Single(command => command!["name"]!.GetValue<string>() == "coach")!;
        Assert.Equal("32", coach["default_member_permissions"]!.GetValue<string>());
        var put = Assert.Single(_bot.Fake.Requests, request => request.Method == "PUT");
        Assert.Contains("\"contexts\":[0,1]", put.Body);
        Assert.Equal(1, _bot.Fake.CommandOverwriteCount);
        Assert.Equal((0, 0), (firstExit, secondExit));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Commands_WithGuildIds_AreRegisteredInThatGuildOnly()
    {
        _bot.Settings["Discord:GuildIds:0"] = _bot.Fake.Options.GuildId;
        await _bot.StartAndWaitForReadyAsync();

        await _bot.Fake.WaitForAsync(() => _bot.Fake.CommandOverwriteCount == 1, "the guild bulk overwrite");

        Assert.Equal(CommandDefinitions.All.Count, _bot.Fake.CommandsFor(_bot.Fake.Options.GuildId)!.Count);
        Assert.Null(_bot.Fake.CommandsFor("global"));
    }

    [Fact]
    public async Task Coach_ForAMemberWithoutManageServer_IsRefused_AndAForgedButtonReachesNothing()
    {
        await _bot.StartAndWaitForReadyAsync();

        var refused = await _bot.ReplyAsync(await _bot.CommandAsync("coach", permissions: "1024", rawOptions: Subcommand("stats")));
        var forged = await _bot.ReplyAsync(await _bot.ButtonAsync("coach:stats", permissions: "1024"));
        var organiser = await _bot.ReplyAsync(await _bot.CommandAsync("coach", permissions: "32", rawOptions: Subcommand("stats")));

        Assert.Contains("Only the server's organisers (Manage Server) can use `/coach`.", BotHarness.Content(refused));
        Assert.True(BotHarness.IsEphemeral(refused));
        Assert.DoesNotContain("Members:", BotHarness.Content(forged));
        Assert.Contains("out of date", BotHarness.Content(forged));
        Assert.Contains("**CoachBot stats**", BotHarness.Content(organiser));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task CoachChannel_ForAnOrganiser_StoresTheChannelOptionAsTheGroupChannel()
    {
        await _bot.StartAndWaitForReadyAsync();
        var channel = new JsonArray(new JsonObject
        {
            ["type"] = 1,
            ["name"] = "channel",
            ["options"] = new JsonArray(new JsonObject { ["type"] = 7, ["name"] = "channel", ["value"] = "645027906669510667" }),
        });

        var reply = await _bot.ReplyAsync(await _bot.CommandAsync("coach", permissions: "32", rawOptions: channel));

        Assert.Contains("will go to <#645027906669510667>", BotHarness.Content(reply));
        Assert.Empty(JsonNode.Parse(_bot.Fake.Interactions.Single().Callbacks[0])!["data"]!["allowed_mentions"]!["parse"]!.AsArray());
    }

    [Fact]
    public async Task Coach_InADm_IsRefused_EvenThoughDmsCarryNoPermissions()
    {
        await _bot.StartAndWaitForReadyAsync();

        var reply = await _bot.ReplyAsync(await _bot.Fake.InjectInteractionAsync("interaction-slash-command-dm.json", json =>
            json["data"] = new JsonObject { ["id"] = "771825006014889984", ["name"] = "coach", ["type"] = 1, ["options"] = Subcommand("stats") }));

        Assert.Contains("Only the server's organisers", BotHarness.Content(reply));
    }

    [Fact]
    public async Task Command_WhenSlowerThanTheDeferralThreshold_IsDeferredEphemerallyAndFinishedByEditingTheOriginal()
    {
        _bot.Settings["Discord:InteractionDeferAfter"] = "00:00:00.100";
        await _bot.StartAndWaitForReadyAsync();
        await using var databaseLock = await _bot.LockDatabaseAsync();
        var interaction = await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" });
        await _bot.Fake.WaitForAsync(() => interaction.AcknowledgedWithType is not null, "the deferral");
        await databaseLock.DisposeAsync();

        var reply = await _bot.ReplyAsync(interaction);

        Assert.Equal(5, interaction.AcknowledgedWithType);
        Assert.True(BotHarness.IsEphemeral(reply));
        Assert.Contains("Welcome to", BotHarness.Content(reply));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Autocomplete_ForPathway_AnswersWithType8Choices()
    {
        await _bot.StartAndWaitForReadyAsync();
        var interaction = await _bot.AutocompleteAsync("enroll", "pathway", "safe");

        var reply = await _bot.ReplyAsync(interaction);

        Assert.Equal(8, interaction.AcknowledgedWithType);
        var values = (reply["choices"] as JsonArray)!.Select(choice => choice!["value"]!.GetValue<string>());
        Assert.Contains("ai-safety", values);
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task CheckIn_TwoWeeksFarBehind_OffersAReplan_WhoseShiftButtonMovesTheWeekBack_AndBuddyJoinAnswers()
    {
        await _bot.StartAndWaitForReadyAsync();
        var fourWeeksAgo = DateOnly.FromDateTime(TimeProvider.System.GetUtcNow().UtcDateTime).AddDays(-28);
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety", ["start"] = fourWeeksAgo.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture) }));

        var checkIn = await _bot.ReplyAsync(await _bot.CommandAsync("checkin"));
        var shift = BotHarness.CustomIds(checkIn).Single(id => id.StartsWith("replan:", StringComparison.Ordinal) && id.EndsWith(":shift", StringComparison.Ordinal));
        var replanned = await _bot.ReplyAsync(await _bot.ButtonAsync(shift));
        var today = await _bot.ReplyAsync(await _bot.CommandAsync("today"));
        var buddy = await _bot.ReplyAsync(await _bot.CommandAsync("buddy", new JsonObject { ["action"] = "join" }));

        Assert.Contains("Want to re-plan?", BotHarness.Content(checkIn), StringComparison.Ordinal);
        Assert.Contains("Re-planned: your schedule moved back 4 weeks.", BotHarness.Content(replanned), StringComparison.Ordinal);
        Assert.Contains("week 1 of 48", BotHarness.Content(today), StringComparison.Ordinal);
        Assert.Contains("You are waiting for a buddy in ai-safety", BotHarness.Content(buddy), StringComparison.Ordinal);
        Assert.True(BotHarness.IsEphemeral(buddy));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task CheckInNoteButton_OpensAModal_WhoseSubmitSavesTheNote()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var question = await _bot.ReplyAsync(await _bot.CommandAsync("checkin"));
        var noteButton = BotHarness.CustomIds(question).Single(id => id.StartsWith(ReplyRenderer.PromptMarker, StringComparison.Ordinal));

        var pressed = await _bot.ButtonAsync(noteButton);
        var modal = await _bot.ReplyAsync(pressed);
        var saved = await _bot.ReplyAsync(await _bot.ModalSubmitAsync(modal["custom_id"]!.GetValue<string>(), "Reading group helped a lot"));

        Assert.Equal(9, pressed.AcknowledgedWithType);
        Assert.Equal(noteButton[ReplyRenderer.PromptMarker.Length..], modal["custom_id"]!.GetValue<string>());
        Assert.Contains("your note for week 1 is saved", BotHarness.Content(saved));
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task MyDataExport_SendsTheJsonAsAFileInAPrivateFollowUp()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var interaction = await _bot.CommandAsync("mydata", new JsonObject { ["action"] = "export" });

        var reply = await _bot.ReplyAsync(interaction);
        await _bot.Fake.WaitForAsync(() => _bot.Fake.Requests.Any(request => request.Files.Count > 0), "the file upload");

        Assert.Contains("attached file", BotHarness.Content(reply));
        var upload = _bot.Fake.Requests.Single(request => request.Files.Count > 0);
        Assert.Equal("POST /webhooks/{application_id}/{interaction_token}", upload.Template);
        var file = Assert.Single(upload.Files);
        Assert.Equal("coachbot-my-data.json", file.FileName);
        Assert.Contains("ai-safety", file.Content);
        Assert.Equal(64, JsonNode.Parse(upload.Body)!["flags"]!.GetValue<int>());
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Stop_LikeSigterm_ClosesTheGatewayWith1000AndExitsZero()
    {
        await _bot.StartAndWaitForReadyAsync();
        var connection = _bot.Fake.CurrentConnection!;

        var exitCode = await _bot.StopAsync();

        Assert.Equal(0, exitCode);
        await _bot.Fake.WaitForAsync(() => connection.ClientCloseCode is not null, "the close frame");
        Assert.Equal(1000, connection.ClientCloseCode);
    }

    [Fact]
    public async Task Stop_WhileACommandIsRunning_FinishesItBeforeExiting()
    {
        _bot.Settings["Discord:InteractionDeferAfter"] = "00:00:00.100";
        await _bot.StartAndWaitForReadyAsync();
        var databaseLock = await _bot.LockDatabaseAsync();
        var interaction = await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" });
        await _bot.Fake.WaitForAsync(() => interaction.AcknowledgedWithType is not null, "the deferral");

        var connection = _bot.Fake.CurrentConnection!;
        var stopping = _bot.StopAsync();
        await _bot.Fake.WaitForAsync(() => connection.ClientCloseCode is not null, "the gateway closing while the command still waits");
        await databaseLock.DisposeAsync();
        var exitCode = await stopping;

        Assert.Equal((0, 1000), (exitCode, connection.ClientCloseCode));
        Assert.Contains("Welcome to", BotHarness.Content(await _bot.ReplyAsync(interaction)));
    }

    [Fact]
    public async Task Bot_NeverPutsTheTokenInARequestBodyPathLogLineOrReply()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        await _bot.ReplyAsync(await _bot.CommandAsync("today"));
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "nope" }));
        await _bot.StopAsync();
        var token = _bot.Fake.Options.Token;

        Assert.NotEmpty(_bot.LogLines());
        Assert.DoesNotContain(_bot.LogLines(), line => line.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(_bot.Fake.Requests, request => request.Body.Contains(token, StringComparison.Ordinal) || request.Path.Contains(token, StringComparison.Ordinal));
        Assert.DoesNotContain(token, _bot.Error.ToString());
    }

    [Fact]
    public async Task Start_WithoutAToken_SaysToSetDiscordTokenOrUseTheConsole_AndExitsNonZero()
    {
        _bot.Settings["Discord:Token"] = "";
        _bot.Start();

        var exitCode = await _bot.Run!.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.NotEqual(0, exitCode);
        var sentence = _bot.Error.ToString().Trim();
        Assert.Equal(BotMode.NoTokenSentence, sentence);
        Assert.Contains("Discord__Token", sentence);
        Assert.Contains("-- console", sentence);
        Assert.Empty(_bot.Fake.Requests);
    }

    [Fact]
    public async Task Start_WithARejectedToken_LogsOneSentenceAboutTheToken_AndExitsNonZeroWithoutReconnecting()
    {
        _bot.Settings["Discord:Token"] = "not-the-right-token";
        _bot.Start();

        var exitCode = await _bot.Run!.WaitAsync(TimeSpan.FromSeconds(15));

        Assert.Equal(2, exitCode);
        Assert.Contains(_bot.LogLines(), line => line.StartsWith("Critical |", StringComparison.Ordinal) && line.Contains("Discord__Token", StringComparison.Ordinal));
        Assert.Empty(_bot.Fake.Connections);
        Assert.DoesNotContain(_bot.LogLines(), line => line.Contains("not-the-right-token", StringComparison.Ordinal));
    }

    private int CommandReads() => _bot.Fake.Requests.Count(request => request.Method == "GET" && request.Template.EndsWith("/commands", StringComparison.Ordinal));

    private static JsonArray Subcommand(string name) => new(new JsonObject { ["type"] = 1, ["name"] = name, ["options"] = new JsonArray() });

    private static string FirstTaskId(JsonObject today) =>
        BotHarness.CustomIds(today).First(id => id.StartsWith("done:", StringComparison.Ordinal)).Split(':')[2];
}
