using System.Text.Json;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

public sealed class CommandRouterTests
{
    private readonly RouterHarness _harness = new();

    [Fact]
    public async Task Pathways_WithoutId_ListsTheCatalogueWithEnrolmentCounts()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("bob", "pathways");

        Assert.Contains("ai-safety — Title of ai-safety · 6 weeks · challenging · 1 enrolled here", reply.ToPlainText());
        Assert.Contains("web-dev", reply.ToPlainText());
    }

    [Theory]
    [InlineData(1, 1, "timeline: 1 month · ")]
    [InlineData(3, 3, "timeline: 3 months · ")]
    [InlineData(6, 9, "timeline: 6–9 months · ")]
    public async Task Pathways_WithId_ShowsTheTimelineAsOneFigureWhenMinAndMaxAgree(int min, int max, string expected)
    {
        var pathway = TestPathways.WithPhases("short", 2) with { TimelineMonths = new(min, max) };
        var harness = new RouterHarness(catalog: new([pathway]));

        var reply = await harness.RunAsync("alice", "pathways", ("id", "short"));

        Assert.Contains(expected, reply.ToPlainText());
    }

    [Fact]
    public async Task Progress_WithTwoOfThreeTasksOfAPhaseDone_Shows67PercentForThePhase()
    {
        await _harness.RunAsync("bob", "enroll", ("pathway", "ai-safety"), ("start", "2026-11-23"));
        foreach (var task in new[] { "p2w1", "p2w2" })
        {
            await _harness.RunAsync("bob", "done", ("task", task));
        }

        var reply = await _harness.RunAsync("bob", "progress");

        Assert.Contains("2. Phase 2 title  [██████░░░░] 67%  2/3", reply.ToPlainText());
    }

    [Fact]
    public async Task Pathways_WithId_ShowsTheOverview()
    {
        var reply = await _harness.RunAsync("alice", "pathways", ("id", "ai-safety"));

        Assert.Contains("Backend Developer → AI Safety Researcher", reply.ToPlainText());
        Assert.Contains("2. Phase 2 title — 3 weeks, 3 tasks", reply.ToPlainText());
    }

    [Fact]
    public async Task Enroll_WhenHappy_WelcomesWithWeekOneAndReminders()
    {
        var reply = await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var text = reply.ToPlainText();
        Assert.True(reply.Ephemeral);
        Assert.Contains("Welcome to ai-safety!\n", text);
        Assert.Contains("Title of ai-safety\nYou are enrolled: 3 phases over 6 weeks, from Mon 7 Dec 2026 to Sun 17 Jan 2027.", text);
        Assert.Contains("Phase 1 · week 1 of 2 · week 1 of 6", text);
        Assert.Contains("1. ☐ Phase 1 task of week 1", text);
        Assert.Contains("Weekly reminder: Mondays at 09:00", text);
        Assert.Equal("done:", reply.Buttons[0].ActionId[..5]);
    }

    [Fact]
    public async Task Enroll_WithAFutureStartAndTimeZone_StoresBoth()
    {
        var reply = await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"), ("start", "2026-12-14"), ("timezone", "Europe/Berlin"));

        Assert.Contains("Starts on Mon 14 Dec 2026 (in 7 days)", reply.ToPlainText());
        var member = await _harness.Store.FindMemberAsync(new("test", "alice"), CancellationToken.None);
        Assert.Equal("Europe/Berlin", member!.TimeZoneId);
    }

    [Fact]
    public async Task Enroll_WithoutAZone_TakesThePlatformProfilesZone_OnlyForAMemberWhoNeverSetOne()
    {
        var request = new CommandRequest(RouterHarness.Member("alice"), "alice", IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" })
        {
            ProfileTimeZone = "America/New_York",
        };
        var fromProfile = await _harness.Router.HandleAsync(request, CancellationToken.None);
        await _harness.RunAsync("bob", "remind", ("timezone", "Europe/Berlin"));
        var keptOwn = await _harness.Router.HandleAsync(request with { Member = RouterHarness.Member("bob"), DisplayName = "bob" }, CancellationToken.None);
        var unknownZone = await _harness.Router.HandleAsync(request with { Member = RouterHarness.Member("carol"), DisplayName = "carol", ProfileTimeZone = "Mars/Base" }, CancellationToken.None);

        Assert.Contains("(America/New_York). Change it with `/remind`.", fromProfile.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal("America/New_York", (await _harness.Store.FindMemberAsync(new("test", "alice"), CancellationToken.None))!.TimeZoneId);
        Assert.Equal("Europe/Berlin", (await _harness.Store.FindMemberAsync(new("test", "bob"), CancellationToken.None))!.TimeZoneId);
        Assert.Contains("Welcome to ai-safety!", keptOwn.ToPlainText(), StringComparison.Ordinal);
        Assert.Contains("Welcome to ai-safety!", unknownZone.ToPlainText(), StringComparison.Ordinal);
        Assert.Null((await _harness.Store.FindMemberAsync(new("test", "carol"), CancellationToken.None))!.TimeZoneId);
    }

    [Fact]
    public async Task Enroll_WithANewTimeZone_MovesTheRemindersOfTheOtherPathwaysToo()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        await _harness.RunAsync("alice", "enroll", ("pathway", "web-dev"), ("timezone", "America/New_York"));

        var first = (await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];
        Assert.Equal(new DateTimeOffset(2026, 12, 7, 14, 0, 0, TimeSpan.Zero), first.NextReminderAt);
    }

    [Theory]
    [InlineData("pathway", "no-such-pathway", "There is no pathway 'no-such-pathway'; the pathways here are: ai-safety, web-dev")]
    [InlineData("timezone", "Mars/Base", "'Mars/Base' is not a time zone I know; use an IANA name, e.g. `Europe/Berlin`")]
    [InlineData("start", "2026-13-01", "'2026-13-01' is not a date I can read for `start`; use YYYY-MM-DD, e.g. `2026-12-01`.")]
    public async Task Enroll_WithBadInput_AnswersWithASentenceThatSaysWhatWorks(string option, string value, string expected)
    {
        var options = new List<(string, string)> { ("pathway", "ai-safety") };
        options.RemoveAll(entry => entry.Item1 == option);
        options.Add((option, value));

        var reply = await _harness.RunAsync("alice", "enroll", [.. options]);

        Assert.StartsWith(expected, reply.ToPlainText(), StringComparison.Ordinal);
        Assert.True(reply.Ephemeral);
    }

    [Fact]
    public async Task Enroll_Twice_SaysYouAreAlreadyEnrolled()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        Assert.Contains("already enrolled in ai-safety", reply.ToPlainText());
    }

    [Theory]
    [InlineData("today")]
    [InlineData("progress")]
    [InlineData("checkin")]
    [InlineData("pause")]
    [InlineData("unenroll")]
    public async Task CommandsBeforeEnrolling_SayHowToEnrol(string command)
    {
        var reply = await _harness.RunAsync("alice", command);

        Assert.Equal("You are not enrolled in a pathway yet; start with `/enroll ai-safety` (`/pathways` lists them all).", reply.ToPlainText());
    }

    [Fact]
    public async Task Today_AfterAWeek_ShowsWeekTwoWithWeekOneOverdue()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        _harness.Clock.Advance(TimeSpan.FromDays(7));

        var reply = await _harness.RunAsync("alice", "today");

        var text = reply.ToPlainText();
        Assert.Contains("Phase 1 · week 2 of 2 · week 2 of 6", text);
        Assert.Contains("1. ☐ Phase 1 task of week 2", text);
        Assert.Contains("Overdue:\n  2. ☐ Phase 1 task of week 1 (phase 1, week 1)", text);
        Assert.Contains("Resources for phase 1:\n  • Book 1 — https://example.org/1", text);
        Assert.Contains("behind by 1 task", text);
        Assert.Equal(2, reply.Buttons.Count);
    }

    [Theory]
    [InlineData("1")]
    [InlineData("p1w1")]
    [InlineData("phase 1 TASK of week 1")]
    public async Task Done_ByNumberIdOrTitle_MarksTheTaskAndShowsProgress(string task)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("alice", "done", ("task", task));

        Assert.Contains("✓ Done: Phase 1 task of week 1", reply.ToPlainText());
        Assert.Contains("[█░░░░░░░░░] 17%", reply.ToPlainText());
        Assert.Single(_harness.Store.Events);
    }

    [Fact]
    public async Task Done_WithANumberNotOnTheList_SaysWhichNumbersExist()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("alice", "done", ("task", "9"));

        Assert.Equal("There is no task 9 on your list; pick a number from 1 to 1 as `/today` shows them.", reply.ToPlainText());
        Assert.Empty(_harness.Store.Events);
    }

    [Fact]
    public async Task Done_TheLastTaskOfAPhase_CelebratesThePhase()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "done", ("task", "p1w1"));

        var reply = await _harness.RunAsync("alice", "done", ("task", "p1w2"));

        Assert.Contains("🎉 Phase 1 (Phase 1 title) is complete.", reply.ToPlainText());
    }

    [Fact]
    public async Task Done_TheLastTaskOfThePathway_CelebratesTheWholePathway()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "web-dev"));
        foreach (var task in new[] { "p1w1", "p1w2", "p1w3" })
        {
            await _harness.RunAsync("alice", "done", ("task", task));
        }

        var reply = await _harness.RunAsync("alice", "done", ("task", "p1w4"));

        Assert.Contains("🏆 That was the last task", reply.ToPlainText());
    }

    [Fact]
    public async Task Undo_AfterDone_OpensTheTaskAgain()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "done", ("task", "1"));

        var reply = await _harness.RunAsync("alice", "undo", ("task", "p1w1"));
        var again = await _harness.RunAsync("alice", "undo", ("task", "p1w1"));

        Assert.Contains("Not done any more: Phase 1 task of week 1", reply.ToPlainText());
        Assert.Contains("is not marked done", again.ToPlainText());
    }

    [Fact]
    public async Task Today_WithSeveralPathwaysAndNoneNamed_AsksWhichOne()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "enroll", ("pathway", "web-dev"));

        var reply = await _harness.RunAsync("alice", "today");
        var named = await _harness.RunAsync("alice", "today", ("pathway", "web-dev"));

        Assert.Equal("You follow several pathways (ai-safety, web-dev); add which one, e.g. `pathway:ai-safety`.", reply.ToPlainText());
        Assert.StartsWith("web-dev", named.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PauseAWeekAndResume_ShiftsTheScheduleByAWeek()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        _harness.Clock.Advance(TimeSpan.FromDays(7));
        var paused = await _harness.RunAsync("alice", "pause");
        _harness.Clock.Advance(TimeSpan.FromDays(7));

        var resumed = await _harness.RunAsync("alice", "resume");
        var today = await _harness.RunAsync("alice", "today");

        Assert.Contains("Paused ai-safety from today until you `/resume`.", paused.ToPlainText());
        Assert.Contains("ai-safety: Phase 1 · week 2 of 2 · week 2 of 6", resumed.ToPlainText());
        Assert.Contains("week 2 of 6", today.ToPlainText());
    }

    [Fact]
    public async Task Pause_Twice_AndResumeWhenNotPaused_AreExplained()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var notPaused = await _harness.RunAsync("alice", "resume");
        await _harness.RunAsync("alice", "pause");
        var twice = await _harness.RunAsync("alice", "pause");
        var pastDate = await _harness.RunAsync("alice", "pause", ("until", "2026-12-01"));

        Assert.Equal("You are not paused; `/pause` pauses your pathways.", notPaused.ToPlainText());
        Assert.Equal("You are already paused; `/resume` ends the pause.", twice.ToPlainText());
        Assert.StartsWith("`until` is the day you come back", pastDate.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pause_StopsReminders_AndResumeSchedulesThemAgain()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        await _harness.RunAsync("alice", "pause");
        var whilePaused = (await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];
        await _harness.RunAsync("alice", "resume");
        var afterResume = (await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];

        Assert.Null(whilePaused.NextReminderAt);
        Assert.NotNull(afterResume.NextReminderAt);
    }

    [Fact]
    public async Task Remind_DayAndTime_MovesTheNextReminder()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("alice", "remind", ("day", "friday"), ("time", "18:00"));

        Assert.Contains("Weekly reminder: Fridays at 18:00", reply.ToPlainText());
        Assert.Contains("Next reminder: Fri 11 Dec 2026 18:00 UTC.", reply.ToPlainText());
        var enrolment = (await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0];
        Assert.Equal(new DateTimeOffset(2026, 12, 11, 18, 0, 0, TimeSpan.Zero), enrolment.NextReminderAt);
    }

    [Fact]
    public async Task Remind_InAMembersZone_NamesTheZoneOfTheNextReminder()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"), ("timezone", "Europe/Berlin"));

        var reply = await _harness.RunAsync("alice", "remind", ("day", "friday"), ("time", "18:00"));

        // Issue 13: "Next reminder: Fri 11 Dec 2026 18:00" named no zone, so it read as the reader's own.
        Assert.Contains("Next reminder: Fri 11 Dec 2026 18:00 Europe/Berlin.", reply.ToPlainText());
    }

    [Theory]
    [InlineData("day", "Funday", "'Funday' is not a day of the week; use a day name, e.g. `Friday`.")]
    [InlineData("time", "25:00", "'25:00' is not a time I can read; use HH:MM on the 24-hour clock, e.g. `18:00`.")]
    [InlineData("off", "maybe", "'maybe' is not true or false for `off`; e.g. `off:true`.")]
    public async Task Remind_WithBadInput_SaysWhatWorks(string option, string value, string expected)
    {
        var reply = await _harness.RunAsync("alice", "remind", (option, value));

        Assert.Equal(expected, reply.ToPlainText());
    }

    [Fact]
    public async Task Remind_Off_ClearsTheNextReminder()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.RunAsync("alice", "remind", ("off", "true"));

        Assert.Contains("Weekly reminder: off", reply.ToPlainText());
        Assert.Null((await _harness.Store.GetEnrolmentsAsync(1, CancellationToken.None))[0].NextReminderAt);
    }

    [Fact]
    public async Task CheckIn_ButtonsStoreTheAnswerAndTheNote()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        var question = await _harness.RunAsync("alice", "checkin");

        await _harness.PressAsync("alice", question.Buttons[2].ActionId);
        await _harness.PressAsync("alice", question.Buttons[3].ActionId, "Stuck on linear algebra");

        Assert.Contains("How did week 1 go?", question.ToPlainText());
        var answer = Assert.Single(await _harness.Store.GetCheckInsAsync(1, CancellationToken.None));
        Assert.Equal((CoachBot.Core.Storage.CheckInStatus?)CoachBot.Core.Storage.CheckInStatus.Blocked, answer.Status);
        Assert.Equal("Stuck on linear algebra", answer.Note);
    }

    [Fact]
    public async Task DoneButton_PressedByAnotherMember_ChangesNothing()
    {
        var welcome = await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("bob", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.PressAsync("bob", welcome.Buttons[0].ActionId);

        Assert.Equal("That button belongs to someone else's pathway; use `/today` to see your own.", reply.ToPlainText());
        Assert.Empty(_harness.Store.Events);
    }

    [Theory]
    [InlineData("checkin:1:1:on-track")]
    [InlineData("unenroll:1")]
    [InlineData("checkin-note:1:1")]
    public async Task ActionsNamingAnotherMembersEnrolment_AreRefused(string actionId)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.PressAsync("mallory", actionId, "a note");

        Assert.Contains("someone else's", reply.ToPlainText());
        Assert.NotNull(await _harness.Store.GetEnrolmentAsync(1, CancellationToken.None));
        Assert.Empty(await _harness.Store.GetCheckInsAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task DoneButton_PressedByItsOwner_MarksTheTask()
    {
        var welcome = await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var reply = await _harness.PressAsync("alice", welcome.Buttons[0].ActionId);

        Assert.Contains("✓ Done: Phase 1 task of week 1", reply.ToPlainText());
    }

    [Fact]
    public async Task Unenroll_AsksFirst_AndTheConfirmButtonLeaves()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var question = await _harness.RunAsync("alice", "unenroll");
        var before = await _harness.Store.GetEnrolmentAsync(1, CancellationToken.None);
        var reply = await _harness.PressAsync("alice", question.Buttons[0].ActionId);

        Assert.NotNull(before);
        Assert.Equal(ButtonStyle.Danger, question.Buttons[0].Style);
        Assert.Contains("You left ai-safety.", reply.ToPlainText());
        Assert.Null(await _harness.Store.GetEnrolmentAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task MyData_ExportGivesJson_AndDeleteAfterConfirmLeavesNoRow()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "done", ("task", "1"));
        await _harness.RunAsync("alice", "pause");

        var export = await _harness.RunAsync("alice", "mydata", ("action", "export"));
        var confirm = await _harness.RunAsync("alice", "mydata", ("action", "delete"));
        await _harness.PressAsync("alice", confirm.Buttons[0].ActionId);

        using var json = JsonDocument.Parse(export.Attachment!.Content);
        Assert.Equal("ai-safety", json.RootElement.GetProperty("enrolments")[0].GetProperty("enrolment").GetProperty("pathway_id").GetString());
        Assert.Equal(0, _harness.Store.RowCount);
    }

    [Fact]
    public async Task Coach_ForAMemberWhoIsNotAnOrganiser_IsRefused()
    {
        var reply = await _harness.RunAsync("alice", "coach", ("action", "stats"));

        Assert.Equal("Only the server's organisers (Manage Server) can use `/coach`.", reply.ToPlainText());
    }

    [Fact]
    public async Task Coach_ChannelAndStats_ForAnOrganiser()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        await _harness.RunAsOrganiserAsync("owner", "coach", ("action", "channel"), ("channel", "123456"));
        var stats = await _harness.RunAsOrganiserAsync("owner", "coach", ("action", "stats"));

        Assert.Equal("123456", (await _harness.Store.GetServerSettingsAsync("test", "guild-1", CancellationToken.None))!.GroupChannelId);
        Assert.Contains("Members: 1 · enrolments: 1", stats.ToPlainText());
        Assert.Contains("Group channel: <#123456>", stats.ToPlainText());
    }

    [Fact]
    public async Task Group_ShowsEachMembersProgressAndCheckIn_Publicly()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("bob", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("bob", "done", ("task", "1"));
        await _harness.PressAsync("bob", "checkin:2:1:on-track");

        var reply = await _harness.RunAsync("alice", "group");

        var text = reply.ToPlainText();
        Assert.False(reply.Ephemeral);
        Assert.Contains("ai-safety · 2 members · 1 checked in this week", text);
        Assert.Contains("bob — phase 1, week 1 · [█░░░░░░░░░] 17% · streak 1 · check-in: on track", text);
        Assert.Contains("alice — phase 1, week 1 · [░░░░░░░░░░] 0% · streak 0 · no check-in yet", text);
    }

    [Fact]
    public async Task Progress_ShowsPhasesStreakAndFinish_AlsoForAnotherMember()
    {
        await _harness.RunAsync("bob", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("bob", "done", ("task", "1"));

        var own = await _harness.RunAsync("bob", "progress");
        var other = await _harness.RunAsync("alice", "progress", ("member", "bob"));

        Assert.Contains("1. Phase 1 title  [█████░░░░░] 50%  1/2", own.ToPlainText());
        Assert.Contains("Streak: 1 week in a row", own.ToPlainText());
        Assert.Contains("Planned finish: Sun 17 Jan 2027", own.ToPlainText());
        Assert.StartsWith("bob · ai-safety", other.Title, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Group_InADm_WithoutAnEnrolment_SaysGroupsLiveInServers_AndHowToStart()
    {
        await _harness.RunAsync("bob", "enroll", ("pathway", "ai-safety"));

        var reply = await InDmAsync("alice", "group");

        Assert.Equal(
            "Groups live in servers: `/group` in your study group's server shows your cohort; here it shows only you."
            + " You are not enrolled yet; `/enroll ai-safety` starts a pathway.",
            string.Join(' ', reply.Blocks));
    }

    [Fact]
    public async Task Group_InADm_ShowsTheMembersPathwaysFromEveryServer_AndNobodyElse()
    {
        await _harness.RunAsync("bob", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var text = (await InDmAsync("alice", "group")).ToPlainText();

        Assert.Contains("ai-safety · 1 member", text, StringComparison.Ordinal);
        Assert.Contains("alice — phase 1, week 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("bob", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Progress_OfAnotherMember_OnlyCountsTheirEnrolmentsFromThisServer()
    {
        await _harness.Router.HandleAsync(
            new CommandRequest(new MemberRef("test", "guild-2", "bob"), "bob", false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" }),
            CancellationToken.None);

        var reply = await _harness.RunAsync("alice", "progress", ("member", "bob"));

        Assert.Equal("bob is not enrolled in a pathway here.", reply.ToPlainText().Trim());
    }

    private Task<Reply> InDmAsync(string user, string command) =>
        _harness.Router.HandleAsync(
            new CommandRequest(new MemberRef("test", MemberRef.DirectMessageScope(user), user), user, false, command, new Dictionary<string, string>()),
            CancellationToken.None);

    [Fact]
    public async Task UnknownCommand_ListsTheCommands()
    {
        var reply = await _harness.RunAsync("alice", "dance");

        Assert.StartsWith("There is no command `/dance`; the commands are: /pathways, /enroll", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task NextCommand_AfterDmsWereClosed_TellsTheMemberOnceAndClearsIt()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.Store.SetDmClosedAsync(1, _harness.Clock.GetUtcNow(), CancellationToken.None);

        var first = await _harness.RunAsync("alice", "today");
        var second = await _harness.RunAsync("alice", "today");

        Assert.Contains("your DMs are closed", first.ToPlainText());
        Assert.DoesNotContain("your DMs are closed", second.ToPlainText());
    }

    [Theory]
    [InlineData("enroll", "pathway", "web", "web-dev")]
    [InlineData("enroll", "timezone", "Berlin", "Europe/Berlin")]
    [InlineData("done", "task", "", "p1w1")]
    public async Task Autocomplete_SuggestsMatchingValues(string command, string option, string partial, string expected)
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));

        var choices = await _harness.Router.AutocompleteAsync(new AutocompleteRequest(RouterHarness.Member("alice"), command, option, partial), CancellationToken.None);

        Assert.Equal(expected, choices[0].Value);
    }

    [Fact]
    public async Task Autocomplete_ForUndo_OffersOnlyDoneTasks()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "done", ("task", "1"));

        var choices = await _harness.Router.AutocompleteAsync(new AutocompleteRequest(RouterHarness.Member("alice"), "undo", "task", ""), CancellationToken.None);

        Assert.Equal(["p1w1"], choices.Select(choice => choice.Value));
    }
}
