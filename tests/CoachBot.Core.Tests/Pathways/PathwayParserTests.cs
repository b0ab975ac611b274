using CoachBot.Core.Pathways;

namespace CoachBot.Core.Tests.Pathways;

public sealed class PathwayParserTests
{
    // A small valid pathway. The line numbers in the error table below refer to it (after each row's edit).
    internal const string Minimal = """
        title: Test pathway
        from_role: Backend Developer
        to_role: ML Engineer
        summary: A short pathway for tests.
        difficulty: beginner
        timeline_months: { min: 1, max: 2 }
        salary_change: "+10%"
        demand: Steady.
        phases:
          - title: Basics
            weeks: 4
            tasks:
              - id: first-task
                title: Do the first thing.
                week: 1
              - id: second-task
                title: Do the second thing.
            resources:
              - title: A site
                url: https://example.org/
          - title: Practice
            weeks: 10
            tasks:
              - id: third-task
                title: Do the third thing.
              - id: fourth-task
                title: Do the fourth thing.
                week: 10
        action_plan:
          this_week: [first-task]
          next_90_days: [third-task]
        checkin_questions:
          - How did it go?
        """;

    [Fact]
    public void Parse_WhenTheFileIsValid_ReturnsThePathwayWithResolvedWeeks()
    {
        var result = PathwayParser.Parse("test.yaml", Minimal);

        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        var pathway = result.Pathway!;
        Assert.Equal("test", pathway.Id);
        Assert.Equal(14, pathway.TotalWeeks);
        Assert.Equal([("first-task", 1, 1), ("second-task", 1, 1), ("third-task", 2, 1), ("fourth-task", 2, 10)],
            pathway.AllTasks.Select(task => (task.Id, task.PhaseNumber, task.Week)));
        Assert.Equal(5, pathway.OverallWeek(pathway.FindTask("third-task")!));
        Assert.Equal(new Uri("https://example.org/"), pathway.Phases[0].Resources[0].Url);
        Assert.Equal(["first-task"], pathway.ActionPlan.ThisWeek);
        Assert.Empty(pathway.ActionPlan.ThisMonth);
    }

    [Fact]
    public void Parse_WhenTasksHaveNoWeek_SpreadsThemEvenlyOverThePhase()
    {
        var yaml = Minimal.Replace("""
                    week: 10

            """, "\n", StringComparison.Ordinal)
            .Replace("    weeks: 10", "    weeks: 12", StringComparison.Ordinal)
            .Replace("action_plan:", """
                  - id: fifth-task
                    title: Do the fifth thing.
            action_plan:
            """, StringComparison.Ordinal);

        var pathway = PathwayParser.Parse("test.yaml", yaml).Pathway;

        Assert.NotNull(pathway);
        Assert.Equal([1, 5, 9], pathway.Phases[1].Tasks.Select(task => task.Week));
    }

    public static TheoryData<string, string, string, int, int, string> ErrorCases() => new()
    {
        // name, text to replace, replacement, expected line, expected column, fragment of the message
        { "unknown top-level key", "demand: Steady.", "demand: Steady.\ndemnad: x", 9, 1, "Unknown key 'demnad' in the pathway: did you mean 'demand'?" },
        { "unknown key in a task", "    title: Do the second thing.", "    title: Do the second thing.\n        wek: 2", 18, 9, "did you mean 'week'?" },
        { "unknown key, nothing close", "demand: Steady.", "demand: Steady.\nmascot: a cat", 9, 1, "remove it; the keys allowed here are title, from_role" },
        { "duplicate task id", "id: fourth-task", "id: first-task", 26, 13, "Task id 'first-task' is already used by the task at line 13" },
        { "duplicate task id in one phase", "id: second-task", "id: first-task", 16, 13, "already used" },
        { "missing top-level field", "summary: A short pathway for tests.\n", "", 1, 1, "The pathway has no 'summary': add it" },
        { "missing task title", "\n        title: Do the second thing.", "", 16, 9, "Task 2 of phase 1 has no 'title'" },
        { "missing phase weeks", "    weeks: 4\n", "", 10, 5, "Phase 1 has no 'weeks'" },
        { "task week after the end of its phase", "week: 10", "week: 11", 28, 15, "'week: 11' is outside phase 2, which lasts 10 weeks" },
        { "task week zero", "week: 1\n", "week: 0\n", 15, 15, "'week: 0' is outside phase 1" },
        { "phase without tasks", "tasks:\n      - id: third-task\n        title: Do the third thing.\n      - id: fourth-task\n        title: Do the fourth thing.\n        week: 10\naction_plan:\n  this_week: [first-task]\n  next_90_days: [third-task]", "tasks: []\naction_plan:\n  this_week: [first-task]", 23, 12, "Phase 2 ('Practice') has no tasks" },
        { "url without a scheme", "url: https://example.org/", "url: example.org/page", 20, 14, "'example.org/page' is not a web address: use an absolute http:// or https:// URL" },
        { "url with another scheme", "url: https://example.org/", "url: ftp://example.org/", 20, 14, "is not a web address" },
        { "text where a number is due", "weeks: 4", "weeks: four", 11, 12, "'weeks' must be a whole number, e.g. `weeks: 8`; found the text 'four'" },
        { "quoted number", "weeks: 4", "weeks: \"4\"", 11, 12, "remove the quotes" },
        { "number where text is due", "title: Basics", "title: 2024", 10, 12, "must be text, but YAML reads 2024 as a number: put it in quotes" },
        { "list where text is due", "summary: A short pathway for tests.", "summary: [a, b]", 4, 10, "'summary' must be text, not a list" },
        { "scalar where a list is due", "checkin_questions:\n  - How did it go?", "checkin_questions: How did it go?", 32, 20, "'checkin_questions' must be a list" },
        { "number out of range", "weeks: 4", "weeks: 0", 11, 12, "'weeks' must be from 1 to 104; found 0" },
        { "bad difficulty", "difficulty: beginner", "difficulty: hard", 5, 13, "'difficulty' must be one of beginner, intermediate, challenging, advanced; found 'hard'" },
        { "difficulty in the wrong case", "difficulty: beginner", "difficulty: Beginner", 5, 13, "Did you mean 'beginner'?" },
        { "timeline the wrong way round", "{ min: 1, max: 2 }", "{ min: 3, max: 2 }", 6, 33, "'max' (2) is smaller than 'min' (3)" },
        { "action plan id that does not exist", "this_week: [first-task]", "this_week: [frist-task]", 30, 15, "'this_week' names task 'frist-task', which no phase has: did you mean 'first-task'?" },
        { "action plan id outside its window", "this_week: [first-task]", "this_week: [third-task]", 30, 15, "falls in week 5 of the pathway, but this_week covers week 1 only" },
        { "next 90 days beyond week 13", "next_90_days: [third-task]", "next_90_days: [fourth-task]", 31, 18, "falls in week 14 of the pathway, but next_90_days covers weeks 1 to 13" },
        { "invalid task id", "id: second-task", "id: Second Task", 16, 13, "Task id 'Second Task' is not valid" },
        { "YAML syntax error", "demand: Steady.", "demand: \"Steady.", 8, 9, "YAML syntax error" },
        { "duplicate YAML key", "demand: Steady.", "demand: Steady.\ntitle: Again", 9, 1, "The key 'title' appears twice in the same place (first at line 1)" },
        { "alias", "demand: Steady.", "demand: *steady", 8, 9, "Aliases ('*steady') are not supported" },
        { "two documents", "demand: Steady.", "demand: Steady.\n---\ntitle: Second", 9, 1, "more than one YAML document" },
        { "root is not a mapping", Minimal, "- just\n- a list", 1, 1, "The pathway must be a mapping with the keys title, from_role" },
        { "empty file", Minimal, "# only a comment\n", 1, 1, "The file is empty" },
        { "empty section", "checkin_questions:", "reality_check:\ncheckin_questions:", 32, 15, "'reality_check' is empty: give it its keys (love, miss, challenges), or remove it." },
    };

    [Theory]
    [MemberData(nameof(ErrorCases))]
    public void Parse_WhenTheFileHasOneProblem_ReportsItWhereItIs(
        string name, string original, string replacement, int line, int column, string fragment)
    {
        Assert.Contains(original, Minimal, StringComparison.Ordinal);
        var yaml = Minimal.Replace(original, replacement, StringComparison.Ordinal);

        var result = PathwayParser.Parse("test.yaml", yaml);

        Assert.Null(result.Pathway);
        var error = Assert.Single(result.Errors);
        Assert.True(error.Message.Contains(fragment, StringComparison.Ordinal), $"{name}: {error}");
        Assert.Equal(("test.yaml", line, column), (error.File, error.Line, error.Column));
    }

    [Fact]
    public void Parse_WhenTheFileHasManyProblems_ReportsThemAllInFileOrder()
    {
        var yaml = Minimal
            .Replace("difficulty: beginner", "difficulty: hard", StringComparison.Ordinal)
            .Replace("weeks: 4", "weeks: four", StringComparison.Ordinal)
            .Replace("id: second-task", "id: first-task", StringComparison.Ordinal)
            .Replace("url: https://example.org/", "url: nowhere", StringComparison.Ordinal)
            .Replace("week: 10", "week: 12", StringComparison.Ordinal)
            .Replace("this_week: [first-task]", "this_week: [missing-task]", StringComparison.Ordinal)
            + "\nextra: key\n";

        var result = PathwayParser.Parse("test.yaml", yaml);

        Assert.Null(result.Pathway);
        Assert.Equal([5, 11, 16, 20, 28, 30, 34], result.Errors.Select(error => error.Line));
    }

    [Fact]
    public void Parse_WhenTheFileNameIsNotAnId_ReportsItAtTheStartOfTheFile()
    {
        var result = PathwayParser.Parse("AI Safety.yaml", Minimal);

        var error = Assert.Single(result.Errors);
        Assert.Equal((1, 1), (error.Line, error.Column));
        Assert.Contains("rename the file", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void PathwayError_ToString_IsFileLineColumnMessage()
    {
        var error = new PathwayError("ai-safety.yaml", 12, 5, "Fix it.");

        Assert.Equal("ai-safety.yaml:12:5: Fix it.", error.ToString());
    }

    public static TheoryData<string> Garbage() => new()
    {
        "",
        "\0\0\0",
        "[",
        "{{{{",
        "a: [1\nb: 2\n",
        "- - - -",
        ":",
        "? [a]\n: b",
        "&a [*a]",
        "\t title: x",
        "title: 'unterminated",
        new string('[', 100_000),
        new string('{', 5_000) + new string('}', 5_000),
        string.Concat(Enumerable.Repeat("- ", 2_000)),
        "phases: 5",
        "phases: [5]",
        "phases: [{tasks: 5}]",
        "phases: [{tasks: [{week: -99999999999999}]}]",
        "phases: [{weeks: 2147483647, tasks: [{id: a, title: b}]}, {weeks: 2147483647, tasks: [{id: c, title: d}]}]",
        "action_plan: {this_week: [{a: b}]}",
        "timeline_months: [1, 2]",
        "%YAML 9.9\n---\na: b",
        "!!binary notbase64",
        "title: !custom x",
        "\uFEFF\uFFFE\uD800",
    };

    [Theory]
    [MemberData(nameof(Garbage))]
    public void Parse_WhenGivenGarbage_ReportsErrorsInsteadOfThrowing(string yaml)
    {
        var result = PathwayParser.Parse("garbage.yaml", yaml);

        Assert.False(result.IsValid);
        Assert.NotEmpty(result.Errors);
        Assert.All(result.Errors, error => Assert.True(error.Line >= 1 && error.Column >= 1, error.ToString()));
        Assert.DoesNotContain(result.Errors, error => error.Message.StartsWith("The file could not be read", StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_WhenAValidFileIsCutOrScrambled_NeverThrows()
    {
        var random = new Random(20261127);
        for (var attempt = 0; attempt < 1000; attempt++)
        {
            var chars = Minimal.ToCharArray();
            for (var edit = 0; edit < 1 + (attempt % 5); edit++)
            {
                chars[random.Next(chars.Length)] = " :-[]{}'\"#&*!|>\t\nx1"[random.Next(19)];
            }

            var yaml = new string(chars, 0, random.Next(chars.Length + 1));

            var result = PathwayParser.Parse("scrambled.yaml", yaml);

            Assert.True(result.IsValid || result.Errors.Count > 0);
            Assert.DoesNotContain(result.Errors, error => error.Message.StartsWith("The file could not be read", StringComparison.Ordinal));
        }
    }
}
