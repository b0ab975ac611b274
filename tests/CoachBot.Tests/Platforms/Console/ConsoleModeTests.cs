using System.Text.RegularExpressions;
using CoachBot.Platforms.Console;

namespace CoachBot.Tests.Platforms.Console;

public sealed class ConsoleModeTests : IDisposable
{
    private readonly ConsoleSessionRunner _runner = new();

    public void Dispose() => _runner.Dispose();

    [Fact]
    public async Task ScriptedSession_AsANewUserTriesIt_EnrolsTicksOffAndKeepsProgressAcrossRuns()
    {
        var first = await _runner.RunAsync("/pathways\n/enroll ai-safety\n/today\n/done 1\n/progress\n");
        var second = await _runner.RunAsync("/progress\n");

        Assert.Contains("ai-safety — ", ConsoleSessionRunner.AnswerTo(first, "/pathways"));
        Assert.Contains("Phase 1 · week 1 of", ConsoleSessionRunner.AnswerTo(first, "/today"));
        Assert.Contains("This week:\n  1. ☐ ", ConsoleSessionRunner.AnswerTo(first, "/today"));
        Assert.Contains("✓ Done: ", ConsoleSessionRunner.AnswerTo(first, "/done 1"));
        Assert.DoesNotContain("] 0% · ", ConsoleSessionRunner.AnswerTo(first, "/progress"));
        Assert.Contains("Overall [", ConsoleSessionRunner.AnswerTo(second, "/progress"));
        Assert.DoesNotContain("Overall [░░░░░░░░░░] 0%", ConsoleSessionRunner.AnswerTo(second, "/progress"));
    }

    [Fact]
    public async Task ClockPlusSevenDays_ThenToday_ShowsWeekTwo()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/clock +7d\n/today\n");

        Assert.Contains("· week 2 of 48", ConsoleSessionRunner.AnswerTo(transcript, "/today"));
    }

    [Fact]
    public async Task ClockPlusSevenDays_AfterEnrolling_PrintsTheReminderOnMondayAndTheCheckInOnFriday_EachOnce()
    {
        // The console runs on the real date, so the member's weeks start on today's weekday: the first Friday check-in is
        // skipped when it falls in the first three days of week 1 (enrolled Wednesday to Friday), never later.
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/clock +7d\n/clock +7d\n");

        var first = ConsoleSessionRunner.AnswerTo(transcript, "/clock +7d", 0);
        var second = ConsoleSessionRunner.AnswerTo(transcript, "/clock +7d", 1);
        foreach (var week in new[] { first, second })
        {
            Assert.Matches(@"📬 DM to you · Mon \d+ \w+ \d{4} 09:00 UTC\nWeekly reminder · ai-safety", week);
            Assert.Single(Regex.Matches(week, "Weekly reminder ·"));
            Assert.Contains("[b1] Mark \"", week, StringComparison.Ordinal);
        }

        Assert.InRange(Regex.Count(first, "How did week \\d+ go\\?"), 0, 1);
        Assert.Matches(@"📬 DM to you · Fri \d+ \w+ \d{4} 17:00 UTC\nWeekly check-in · ai-safety", second);
        Assert.Single(Regex.Matches(second, "How did week \\d+ go\\?"));
    }

    [Fact]
    public async Task ClockPlusSevenDays_WithAGroupChannel_PostsTheDigestOnMondayMorning()
    {
        var transcript = await _runner.RunAsync("/coach channel study-group\n/enroll ai-safety\n/clock +7d\n");

        var week = ConsoleSessionRunner.AnswerTo(transcript, "/clock +7d");
        Assert.Matches(@"📢 #study-group · Mon \d+ \w+ \d{4} 09:00 UTC\nWeekly digest · ", week);
        Assert.Contains("ai-safety · 1 member · 0 checked in", week, StringComparison.Ordinal);
    }

    [Fact]
    public async Task PausingAWeekAndResuming_ShiftsTheScheduleByAWeek()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/clock +7d\n/pause\n/clock +7d\n/resume\n/today\n/clock +7d\n/today\n");

        Assert.Contains("· week 2 of 48", ConsoleSessionRunner.AnswerTo(transcript, "/today", 0));
        Assert.Contains("· week 3 of 48", ConsoleSessionRunner.AnswerTo(transcript, "/today", 1));
    }

    [Fact]
    public async Task EnrollInAnUnknownPathway_ListsTheRealOnes_AndTheSessionGoesOn()
    {
        var transcript = await _runner.RunAsync("/enroll no-such-pathway\n/enroll ai-safety\n");

        Assert.Contains("There is no pathway 'no-such-pathway'; the pathways here are: ai-safety", ConsoleSessionRunner.AnswerTo(transcript, "/enroll no-such-pathway"));
        Assert.Contains("Welcome to", ConsoleSessionRunner.AnswerTo(transcript, "/enroll ai-safety"));
    }

    [Fact]
    public async Task ButtonsPrintAsB1_AndTypingB1PressesIt()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/today\nb1\n");

        Assert.Contains("[b1] Mark \"", ConsoleSessionRunner.AnswerTo(transcript, "/today"));
        Assert.Contains("✓ Done: ", ConsoleSessionRunner.AnswerTo(transcript, "b1"));
    }

    [Fact]
    public async Task AfterAReminder_ABareNumberPressesNothing_AndB1TicksTheReminderButton()
    {
        // Issue 13: after /clock +7d, typing 1 pressed the reminder's button 1 while /done 1 ticks /today's item 1.
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/clock +7d\n1\n/progress\nb1\n/progress\n");

        Assert.Equal(
            "Type b1 to press a button of the last message; to tick off task 1 of /today, type /done 1.\n",
            ConsoleSessionRunner.AnswerTo(transcript, "1"));
        Assert.Contains("(0 of 32 done", ConsoleSessionRunner.AnswerTo(transcript, "/progress", 0), StringComparison.Ordinal);
        Assert.Contains("✓ Done: ", ConsoleSessionRunner.AnswerTo(transcript, "b1"));
        Assert.Contains("(1 of 32 done", ConsoleSessionRunner.AnswerTo(transcript, "/progress", 1), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AMemberInBerlin_ReadsEveryTimeInBerlinTime_WithTheZoneNamed()
    {
        var transcript = await _runner.RunAsync(
            "/coach channel study-group\n/enroll ai-safety timezone:Europe/Berlin\n/remind Friday 18:00\n/clock +7d\n/clock\n");

        // Issue 13: the DM's header read "… 17:00 UTC" for a reminder set to Friday 18:00 in Berlin; "Next reminder" named no zone.
        Assert.Matches(@"Next reminder: Fri \d+ \w+ \d{4} 18:00 Europe/Berlin\.", ConsoleSessionRunner.AnswerTo(transcript, "/remind Friday 18:00"));
        var week = ConsoleSessionRunner.AnswerTo(transcript, "/clock +7d");
        Assert.Matches(@"📬 DM to you · Fri \d+ \w+ \d{4} 18:00 Europe/Berlin\nWeekly reminder · ai-safety", week);
        // The channel's digest is read by everyone: it goes by the server's zone (UTC here), Monday 09:00.
        Assert.Matches(@"📢 #study-group · Mon \d+ \w+ \d{4} 09:00 UTC\nWeekly digest · ", week);
        Assert.Matches(@"Clock: \w{3} \d+ \w+ \d{4} \d\d:\d\d Europe/Berlin \(moved \+7d 00h 00m\)\.", week);
        Assert.Matches(@"^Clock: \w{3} \d+ \w+ \d{4} \d\d:\d\d Europe/Berlin \(moved \+7d 00h 00m\)\.", ConsoleSessionRunner.AnswerTo(transcript, "/clock"));
    }

    [Fact]
    public async Task ClockMovedBackCenturies_IsRefused_AndTheClockStaysWhereItWas()
    {
        // Before: the clock went to 1835 and /today said the pathway starts "in 69993 days".
        const string step = "-9999w";
        var transcript = await _runner.RunAsync($"/enroll ai-safety\n/clock {step}\n/clock\n");

        Assert.Equal(
            "The clock stays between the years 2000 and 2999; move it by less, e.g. /clock +7d.\n",
            ConsoleSessionRunner.AnswerTo(transcript, $"/clock {step}"));
        Assert.Contains("(not moved).", ConsoleSessionRunner.AnswerTo(transcript, "/clock"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ClockBack_PostsNothingForMomentsAlreadyLived_UntilTheClockPassesTheFurthestPointAgain()
    {
        // The channel is set only after two weeks, so those weeks' digests were never posted. Stepping back a day at a
        // time over the second week lands once in the day after its Monday 09:00 digest slot, whatever today's weekday:
        // issue 13's back-dated digest (counting check-ins made "later") was posted there.
        var transcript = await _runner.RunAsync(
            "/enroll ai-safety\n/clock +14d\n/coach channel study-group\n" + string.Concat(Enumerable.Repeat("/clock -1d\n", 7)) + "/clock +14d\n");

        for (var day = 0; day < 7; day++)
        {
            var back = ConsoleSessionRunner.AnswerTo(transcript, "/clock -1d", day);
            Assert.DoesNotContain("📢", back, StringComparison.Ordinal);
            Assert.DoesNotContain("📬", back, StringComparison.Ordinal);
            Assert.Contains($"(moved +{13 - day}d 00h 00m).\nScheduled messages wait until the clock passes ", back, StringComparison.Ordinal);
        }

        // Past the furthest point again, the one Monday ahead brings its digest and reminder as usual, once each.
        var pastIt = ConsoleSessionRunner.AnswerTo(transcript, "/clock +14d", 1);
        Assert.Single(Regex.Matches(pastIt, "📢 #study-group"));
        Assert.Single(Regex.Matches(pastIt, "Weekly reminder ·"));
        Assert.DoesNotContain("Scheduled messages wait", pastIt, StringComparison.Ordinal);
    }

    [Fact]
    public async Task AShortSession_FitsInAHundredColumns_WithContinuationsIndentedUnderTheirText()
    {
        // A long name makes /group's and the digest's member lines wrap.
        var transcript = await _runner.RunAsync(
            "/coach channel study-group\n/pathways ai-safety\n/enroll ai-safety\n/today\n/clock +7d\n/progress\n/group\n/help\n",
            "--as", "alexandra-katharina-von-berlin-x");

        // Issue 13: the pathway summary was one 576-character line, and 14 lines of this session were over 100 columns.
        var lines = transcript.Split('\n');
        Assert.All(lines, line => Assert.True(line.Length <= 100, $"{line.Length} columns: {line}"));
        var summary = ConsoleSessionRunner.AnswerTo(transcript, "/pathways ai-safety");
        Assert.Contains("\nYou have a strong foundation in building reliable, scalable systems", summary, StringComparison.Ordinal);
        Assert.Contains("the kind of thinking\nthat AI safety research demands.", summary, StringComparison.Ordinal);
        var group = ConsoleSessionRunner.AnswerTo(transcript, "/group").Split('\n');
        var member = Array.FindIndex(group, line => line.StartsWith("  • alexandra-katharina-von-berlin-x — phase 1, week 2 · ", StringComparison.Ordinal));
        Assert.True(member >= 0, string.Join('\n', group));
        Assert.Matches("^    [^ ]", group[member + 1]);
    }

    [Fact]
    public async Task DiscordMarkdown_IsRenderedAsText_AndANameOrNoteReadsExactlyAsTheMemberTypedIt()
    {
        const string name = @"a_b*c*\d~~e~~";
        const string note = @"**not bold** [x](https://e.x) a\_b `c` ~~s~~ > q";
        var transcript = await _runner.RunAsync($"/enroll ai-safety\n/checkin\nb4 {note}\n/group\n", "--as", name);

        // Issue 13: Discord's backticks printed literally, and PublicText's escapes showed as "a\_b\*c\*\\d".
        Assert.Contains("\n/today shows your week any time; /done 1 ticks off task 1;", ConsoleSessionRunner.AnswerTo(transcript, "/enroll ai-safety"), StringComparison.Ordinal);
        var group = ConsoleSessionRunner.AnswerTo(transcript, "/group");
        Assert.Contains($"  • {name} — phase 1, week 1 · ", group, StringComparison.Ordinal);
        Assert.Contains($"\"{note}\"", group.Replace("\n    ", " ", StringComparison.Ordinal), StringComparison.Ordinal);
    }

    [Fact]
    public async Task AsAnotherMember_TheGroupShowsBoth()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/as bob\n/enroll ai-safety\n/done 1\n/group\n", "--as", "alice");

        var group = ConsoleSessionRunner.AnswerTo(transcript, "/group");
        Assert.Contains("ai-safety · 2 members", group);
        Assert.Contains("• alice — phase 1, week 1", group);
        Assert.Contains("• bob — phase 1, week 1", group);
    }

    [Theory]
    [InlineData("/remind day:Friday time:18:00", "Weekly reminder: Fridays at 18:00")]
    [InlineData("/remind Friday 18:00", "Weekly reminder: Fridays at 18:00")]
    [InlineData("/clock +2w", "(moved +14d 00h 00m).")]
    [InlineData("/clock", "UTC (not moved).")]
    [InlineData("/clock soon", "'soon' is not a clock step; use e.g. /clock +7d")]
    [InlineData("/dance", "There is no command /dance; /help lists them.")]
    [InlineData("today", "Commands start with a slash")]
    [InlineData("/coach stats", "Members: 1 · enrolments: 1")]
    [InlineData("/help", "/enroll <pathway> [start] [timezone] — Start a pathway")]
    public async Task TypedLines_GetTheirAnswers(string line, string expected)
    {
        var transcript = await _runner.RunAsync($"/enroll ai-safety\n{line}\n");

        Assert.Contains(expected, ConsoleSessionRunner.AnswerTo(transcript, line));
    }

    [Theory]
    [InlineData("/help clock", "/clock — Show the simulated clock", "Examples:\n  /clock\n  /clock +7d\n")]
    [InlineData("/help as", "/as — Become another member", "  name  The member's name, one word (required)\nExample:\n  /as alice\n")]
    [InlineData("/help help", "/help — List the commands", "  /help remind\n")]
    [InlineData("/help /mydata", "/mydata — Export or delete all your data", "  action  export or delete; one of export, delete (required)\n")]
    [InlineData("/help REMIND", "/remind — ", "  /remind day:Friday time:18:00\n")]
    public async Task HelpForOneCommand_ShowsItsOptionsAndExamples_NotTheWholeList(string line, string start, string expected)
    {
        var transcript = await _runner.RunAsync($"{line}\n");

        // Issue 13: /help clock printed the whole list although the docs promise one command's options.
        var answer = ConsoleSessionRunner.AnswerTo(transcript, line);
        Assert.StartsWith(start, answer, StringComparison.Ordinal);
        Assert.Contains(expected, answer, StringComparison.Ordinal);
        Assert.DoesNotContain("Commands:", answer, StringComparison.Ordinal);
    }

    [Fact]
    public async Task HelpForACommandThatDoesNotExist_SaysSoInOneSentence()
    {
        var transcript = await _runner.RunAsync("/help nonsense\n");

        Assert.Equal("There is no command /nonsense; type /help to list them.", ConsoleSessionRunner.AnswerTo(transcript, "/help nonsense").TrimEnd());
    }

    [Fact]
    public async Task MyDataDelete_AfterConfirming_LeavesNothingToExport()
    {
        var transcript = await _runner.RunAsync("/enroll ai-safety\n/mydata delete\nb1\n/mydata export\n");

        Assert.Contains("All your data is deleted.", ConsoleSessionRunner.AnswerTo(transcript, "b1"));
        Assert.Contains("\"enrolments\": []", ConsoleSessionRunner.AnswerTo(transcript, "/mydata export"));
    }

    [Fact]
    public async Task UnreadableDatabasePath_StopsWithOneSentenceNamingTheSetting()
    {
        var configuration = _runner.Configuration;
        configuration["ConnectionStrings:CoachBot"] = "Data Source=/proc/coachbot-cannot-write-here/coachbot.db";

        var failure = await Assert.ThrowsAsync<StartupException>(() =>
            ConsoleMode.RunAsync([], new StringReader("/today\n"), TextWriter.Null, TextWriter.Null, configuration, CancellationToken.None));

        Assert.StartsWith("The database '/proc/coachbot-cannot-write-here/coachbot.db' cannot be opened", failure.Message, StringComparison.Ordinal);
        Assert.Contains("set ConnectionStrings__CoachBot to a writable file", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownDefaultTimeZone_StopsWithOneSentenceNamingTheSetting()
    {
        var configuration = _runner.Configuration;
        configuration["Coach:DefaultTimeZone"] = "Mars/Base";

        var failure = await Assert.ThrowsAsync<StartupException>(() =>
            ConsoleMode.RunAsync([], new StringReader("/today\n"), TextWriter.Null, TextWriter.Null, configuration, CancellationToken.None));

        Assert.Equal(
            "Coach:DefaultTimeZone 'Mars/Base' is not a time zone; set Coach__DefaultTimeZone to an IANA name such as 'Europe/Berlin' or 'UTC'.",
            failure.Message);
    }

    [Fact]
    public async Task UnknownArgument_ExitsWithUsage()
    {
        using var error = new StringWriter();

        var exitCode = await ConsoleMode.RunAsync(["--bogus"], new StringReader(string.Empty), TextWriter.Null, error, _runner.Configuration, CancellationToken.None);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Contains("--as NAME", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("banana")]
    [InlineData("2026-11-30")]
    [InlineData("1835-04-15T09:00")]
    public async Task ClockArgument_ThatIsNoInstantInRange_ExitsWithOneSentence(string start)
    {
        using var error = new StringWriter();

        var exitCode = await ConsoleMode.RunAsync(["--clock", start], new StringReader(string.Empty), TextWriter.Null, error, _runner.Configuration, CancellationToken.None);

        Assert.Equal(CoachBotApp.ExitInvalidInput, exitCode);
        Assert.Equal(
            $"--clock takes the instant the simulated clock starts at, in UTC, like 2026-11-27T08:00 (not '{start}').\n",
            error.ToString().ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task ClockArgument_StartsTheSimulatedClockThere_AndTheScheduleRunsFromIt()
    {
        var transcript = await _runner.RunAsync("/clock\n/enroll ai-safety\n/clock +7d\n", "--clock", "2026-11-30T09:30");

        Assert.Equal("Clock: Mon 30 Nov 2026 09:30 UTC (not moved).\n", ConsoleSessionRunner.AnswerTo(transcript, "/clock"));
        Assert.Contains("from Mon 30 Nov 2026 to Sun 31 Oct 2027", ConsoleSessionRunner.AnswerTo(transcript, "/enroll ai-safety"), StringComparison.Ordinal);
        Assert.Contains("📬 DM to you · Mon 7 Dec 2026 09:00 UTC", ConsoleSessionRunner.AnswerTo(transcript, "/clock +7d"), StringComparison.Ordinal);
    }
}
