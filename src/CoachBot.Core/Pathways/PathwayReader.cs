using System.Globalization;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Core.Pathways;

/// <summary>
/// Turns a well-formed YAML document into a <see cref="Pathway"/>, checking format v1 as it goes. It never stops at
/// the first problem: a missing or bad value is recorded and replaced by a placeholder so that reading continues,
/// and the pathway is returned only when nothing was recorded.
/// </summary>
internal sealed class PathwayReader(PathwayErrorList errors)
{
    private readonly Dictionary<string, TaskEntry> _tasksById = new(StringComparer.Ordinal);

    public Pathway? Read(string id, YamlNode root)
    {
        var top = OpenMapping(root, "the pathway", PathwayFormat.PathwayKeys);
        if (top is null)
        {
            return null;
        }

        var title = Text(top, "title", "From Backend Developer to ML Engineer");
        var fromRole = Text(top, "from_role", "Backend Developer");
        var toRole = Text(top, "to_role", "ML Engineer");
        var summary = Text(top, "summary", "<a paragraph>");
        var difficulty = Choice(top, "difficulty", PathwayFormat.DifficultyValues) switch
        {
            "intermediate" => Difficulty.Intermediate,
            "challenging" => Difficulty.Challenging,
            "advanced" => Difficulty.Advanced,
            _ => Difficulty.Beginner,
        };
        var timeline = ReadTimeline(top);
        var salaryChange = Text(top, "salary_change", "\"+30%\"");
        var demand = Text(top, "demand", "<a sentence>");
        var transferableSkills = Items(top, "transferable_skills", required: false, ReadTransferableSkill);
        var skillsToLearn = Items(top, "skills_to_learn", required: false, ReadSkillToLearn);
        var phases = ReadPhases(top);
        var actionPlan = ReadActionPlan(top);
        var realityCheck = ReadRealityCheck(top);
        var faq = Items(top, "faq", required: false, ReadFaqEntry);
        var checkInQuestions = Items(top, "checkin_questions", required: true,
            (node, number) => TextValue(node, $"check-in question {number}"));
        RequireItems(top, "checkin_questions", "add at least one question the weekly check-in asks");

        if (errors.Count > 0)
        {
            return null;
        }

        return new Pathway(id, title, fromRole, toRole, summary, difficulty, timeline, salaryChange, demand,
            transferableSkills, skillsToLearn, phases, actionPlan, realityCheck, faq, checkInQuestions);
    }

    private MonthRange ReadTimeline(Fields top)
    {
        if (top.Get("timeline_months") is not { } node)
        {
            Missing(top, "timeline_months", "{ min: 6, max: 9 }");
            return default;
        }

        var fields = OpenMapping(node, "'timeline_months'", PathwayFormat.TimelineKeys);
        if (fields is null)
        {
            return default;
        }

        var min = Number(fields, "min", "6", 1, PathwayFormat.MaxTimelineMonths);
        var max = Number(fields, "max", "9", 1, PathwayFormat.MaxTimelineMonths);
        if (min is { } low && max is { } high && low > high && fields.Get("max") is { } maxNode)
        {
            errors.Add(maxNode,
                $"timeline_months: 'max' ({high}) is smaller than 'min' ({low}): swap them, or raise 'max'.");
        }

        return new MonthRange(min ?? 0, max ?? 0);
    }

    private TransferableSkill? ReadTransferableSkill(YamlNode node, int number)
    {
        var fields = OpenMapping(node, $"transferable skill {number}", PathwayFormat.TransferableSkillKeys);
        return fields is null
            ? null
            : new TransferableSkill(Text(fields, "name", "Python"), Text(fields, "why", "<why it transfers>"));
    }

    private SkillToLearn? ReadSkillToLearn(YamlNode node, int number)
    {
        var fields = OpenMapping(node, $"skill to learn {number}", PathwayFormat.SkillToLearnKeys);
        if (fields is null)
        {
            return null;
        }

        var name = Text(fields, "name", "Machine Learning Fundamentals");
        var priority = Choice(fields, "priority", PathwayFormat.PriorityValues) switch
        {
            "critical" => SkillPriority.Critical,
            "important" => SkillPriority.Important,
            _ => SkillPriority.NiceToHave,
        };
        var weeks = Number(fields, "weeks", "12", 1, PathwayFormat.MaxSkillWeeks) ?? 0;
        var howToLearn = Text(fields, "how_to_learn", "<courses, books, practice>");
        return new SkillToLearn(name, priority, weeks, howToLearn);
    }

    private List<Phase> ReadPhases(Fields top)
    {
        var phases = new List<Phase>();
        var phaseNodes = Items(top, "phases", required: true, (node, number) => node);
        RequireItems(top, "phases", "add at least one phase with a title, weeks and tasks");
        int? weeksBefore = 0;
        for (var index = 0; index < phaseNodes.Count; index++)
        {
            var number = index + 1;
            var fields = OpenMapping(phaseNodes[index], $"phase {number}", PathwayFormat.PhaseKeys);
            if (fields is null)
            {
                weeksBefore = null;
                continue;
            }

            var title = Text(fields, "title", "Foundations");
            var weeks = Number(fields, "weeks", "8", 1, PathwayFormat.MaxPhaseWeeks);
            var tasks = ReadTasks(fields, number, title, weeks, weeksBefore);
            var resources = Items(fields, "resources", required: false,
                (node, resourceNumber) => ReadResource(node, $"resource {resourceNumber} of phase {number}"));
            phases.Add(new Phase(number, title, weeks ?? 1, tasks, resources));
            weeksBefore = weeks is null ? null : weeksBefore + weeks;
        }

        return phases;
    }

    /// <param name="weeks">The phase's length, or null when it is missing or invalid (weeks are then not checked).</param>
    /// <param name="weeksBefore">Weeks of the earlier phases, or null when one of them is invalid.</param>
    private List<PathwayTask> ReadTasks(Fields phase, int phaseNumber, string phaseTitle, int? weeks, int? weeksBefore)
    {
        var taskNodes = Items(phase, "tasks", required: true, (node, number) => node);
        if (phase.Get("tasks") is YamlSequenceNode { Children.Count: 0 } emptyTasks)
        {
            errors.Add(emptyTasks,
                $"Phase {phaseNumber} ('{phaseTitle}') has no tasks: add at least one under 'tasks', each with an 'id' and a 'title'.");
        }

        var drafts = new List<TaskDraft>();
        for (var index = 0; index < taskNodes.Count; index++)
        {
            var subject = $"task {index + 1} of phase {phaseNumber}";
            var fields = OpenMapping(taskNodes[index], subject, PathwayFormat.TaskKeys);
            if (fields is null)
            {
                continue;
            }

            var id = TaskId(fields);
            var title = Text(fields, "title", "<what to do>");
            var week = Number(fields, "week", "1", int.MinValue, int.MaxValue, required: false);
            if (week is { } explicitWeek && fields.Get("week") is { } weekNode)
            {
                if (weeks is { } phaseWeeks && (explicitWeek < 1 || explicitWeek > phaseWeeks))
                {
                    errors.Add(weekNode,
                        $"'week: {explicitWeek}' is outside phase {phaseNumber}, which lasts {phaseWeeks} weeks: use a week from 1 to {phaseWeeks}, or lengthen the phase.");
                }
                else if (explicitWeek < 1)
                {
                    errors.Add(weekNode, $"'week: {explicitWeek}' is not a week: weeks of a phase count from 1.");
                }
            }

            var details = fields.Get("details") is { } detailsNode ? TextValue(detailsNode, "'details'") : null;
            drafts.Add(new TaskDraft(id, title, week, details, fields.Get("id")));
        }

        var unweeked = drafts.Count(draft => draft.Week is null);
        var spreadIndex = 0;
        var tasks = new List<PathwayTask>(drafts.Count);
        foreach (var draft in drafts)
        {
            var week = draft.Week ?? PathwayWeeks.SpreadEvenly(spreadIndex++, unweeked, weeks ?? 1);
            var task = new PathwayTask(draft.Id, draft.Title, phaseNumber, week, draft.Details);
            tasks.Add(task);
            // A spread week is only known when the phase's length is; a guess would give false action-plan errors.
            var weekIsKnown = draft.Week is not null || weeks is not null;
            if (weeksBefore is { } before && weekIsKnown
                && _tasksById.TryGetValue(draft.Id, out var entry) && entry.IdNode == draft.IdNode)
            {
                entry.OverallWeek = PathwayWeeks.OverallWeek(before, week);
            }
        }

        return tasks;
    }

    private string TaskId(Fields task)
    {
        var id = Text(task, "id", "read-the-course-notes");
        if (id.Length == 0 || task.Get("id") is not { } idNode)
        {
            return id;
        }

        if (!PathwayFormat.IsValidId(id))
        {
            errors.Add(idNode,
                $"Task id '{id}' is not valid: use lower-case letters and digits in words joined by hyphens (at most {PathwayFormat.MaxIdLength} characters), e.g. 'read-chapter-1'.");
        }
        else if (_tasksById.TryGetValue(id, out var first))
        {
            errors.Add(idNode,
                $"Task id '{id}' is already used by the task at line {first.IdNode.Start.Line}: give this task an id of its own (ids are unique within a pathway).");
        }
        else
        {
            _tasksById.Add(id, new TaskEntry(idNode));
        }

        return id;
    }

    private Resource? ReadResource(YamlNode node, string subject)
    {
        var fields = OpenMapping(node, subject, PathwayFormat.ResourceKeys);
        if (fields is null)
        {
            return null;
        }

        var title = Text(fields, "title", "Coursera - Machine Learning by Andrew Ng");
        Uri? url = null;
        if (fields.Get("url") is { } urlNode)
        {
            var text = TextValue(urlNode, "'url'");
            if (text.Length > 0)
            {
                url = WebAddress(text);
                if (url is null)
                {
                    errors.Add(urlNode,
                        $"'{text}' is not a web address: use an absolute http:// or https:// URL, or leave 'url' out.");
                }
            }
        }

        return new Resource(title, url);
    }

    private static Uri? WebAddress(string text) =>
        !text.Any(char.IsWhiteSpace)
        && Uri.TryCreate(text, UriKind.Absolute, out var uri)
        && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps)
        && uri.Host.Length > 0
            ? uri
            : null;

    private ActionPlan ReadActionPlan(Fields top)
    {
        if (top.Get("action_plan") is not { } node || OpenMapping(node, "'action_plan'", PathwayFormat.ActionPlanKeys) is not { } plan)
        {
            return new ActionPlan([], [], []);
        }

        return new ActionPlan(
            ActionItems(plan, "this_week", PathwayWeeks.ThisWeekLastWeek),
            ActionItems(plan, "this_month", PathwayWeeks.ThisMonthLastWeek),
            ActionItems(plan, "next_90_days", PathwayWeeks.Next90DaysLastWeek));
    }

    /// <summary>Reads one horizon of the action plan: ids of existing tasks that fall due within its weeks.</summary>
    private List<string> ActionItems(Fields plan, string key, int lastWeek)
    {
        var ids = new List<string>();
        foreach (var item in Items(plan, key, required: false, (node, number) => node))
        {
            var id = TextValue(item, $"item of '{key}'");
            if (id.Length == 0)
            {
                continue;
            }

            var window = lastWeek == 1 ? "week 1 only" : $"weeks 1 to {lastWeek}";
            if (ids.Contains(id, StringComparer.Ordinal))
            {
                errors.Add(item, $"'{key}' lists task '{id}' twice: remove one of them.");
            }
            else if (!_tasksById.TryGetValue(id, out var task))
            {
                var suggestion = ClosestMatch.Find(id, _tasksById.Keys);
                var hint = suggestion is null ? "use the id of a task from 'phases'." : $"did you mean '{suggestion}'?";
                errors.Add(item, $"'{key}' names task '{id}', which no phase has: {hint}");
            }
            else if (task.OverallWeek is { } overallWeek && overallWeek > lastWeek)
            {
                errors.Add(item,
                    $"'{key}' names task '{id}', which falls in week {overallWeek} of the pathway, but {key} covers {window}: give the task an earlier 'week:', or list it under a later horizon.");
            }

            ids.Add(id);
        }

        return ids;
    }

    private RealityCheck ReadRealityCheck(Fields top)
    {
        if (top.Get("reality_check") is not { } node
            || OpenMapping(node, "'reality_check'", PathwayFormat.RealityCheckKeys) is not { } check)
        {
            return new RealityCheck([], [], []);
        }

        return new RealityCheck(Lines(check, "love"), Lines(check, "miss"), Lines(check, "challenges"));
    }

    private List<string> Lines(Fields fields, string key) =>
        Items(fields, key, required: false, (node, number) => TextValue(node, $"item {number} of '{key}'"));

    private FaqEntry? ReadFaqEntry(YamlNode node, int number)
    {
        var fields = OpenMapping(node, $"FAQ entry {number}", PathwayFormat.FaqKeys);
        return fields is null
            ? null
            : new FaqEntry(Text(fields, "question", "<a question?>"), Text(fields, "answer", "<the answer>"));
    }

    // ---- Generic readers: each records what is wrong and returns a placeholder, so reading goes on. ----

    /// <summary>Opens a mapping and reports every key it does not know, with the likeliest intended key.</summary>
    private Fields? OpenMapping(YamlNode node, string subject, IReadOnlyList<string> knownKeys)
    {
        if (node is not YamlMappingNode mapping)
        {
            var keys = string.Join(", ", knownKeys);
            errors.Add(node, IsEmpty(node)
                ? $"{Capitalise(subject)} is empty: give it its keys ({keys}), or remove it."
                : $"{Capitalise(subject)} must be a mapping with the keys {keys}; found {Describe(node)}: write each key on its own line as `key: value`.");
            return null;
        }

        var fields = new Fields(mapping, subject);
        foreach (var (keyNode, value) in mapping.Children)
        {
            if (keyNode is not YamlScalarNode { Value: { } key })
            {
                continue;
            }

            if (knownKeys.Contains(key, StringComparer.Ordinal))
            {
                fields.Values[key] = value;
                continue;
            }

            var suggestion = ClosestMatch.Find(key, knownKeys);
            errors.Add(keyNode, suggestion is null
                ? $"Unknown key '{key}' in {subject}: remove it; the keys allowed here are {string.Join(", ", knownKeys)}."
                : $"Unknown key '{key}' in {subject}: did you mean '{suggestion}'? Rename it, or remove it.");
        }

        return fields;
    }

    private string Text(Fields fields, string key, string example)
    {
        if (fields.Get(key) is { } node)
        {
            return TextValue(node, $"'{key}'");
        }

        Missing(fields, key, example);
        return string.Empty;
    }

    /// <summary>A non-empty piece of text; YAML values that editors read as numbers, booleans or null are refused,
    /// so that the loader and the JSON Schema agree.</summary>
    private string TextValue(YamlNode node, string label)
    {
        if (node is not YamlScalarNode scalar)
        {
            errors.Add(node, $"{Capitalise(label)} must be text, not {Describe(node)}: write it after the colon, or as a block with '>'.");
            return string.Empty;
        }

        var value = scalar.Value ?? string.Empty;
        switch (YamlScalars.Classify(scalar))
        {
            case YamlScalarKind.Null:
                errors.Add(node, $"{Capitalise(label)} is empty: write the text after the colon.");
                return string.Empty;
            case YamlScalarKind.Boolean or YamlScalarKind.Integer or YamlScalarKind.Float:
                errors.Add(node, $"{Capitalise(label)} must be text, but YAML reads {value} as {Describe(node)}: put it in quotes, \"{value}\".");
                return string.Empty;
        }

        if (string.IsNullOrWhiteSpace(value))
        {
            errors.Add(node, $"{Capitalise(label)} is empty: write the text between the quotes.");
            return string.Empty;
        }

        return value.Trim();
    }

    /// <returns>The whole number at <paramref name="key"/>, or null when it is missing or not a number in range.</returns>
    private int? Number(Fields fields, string key, string example, int min, int max, bool required = true)
    {
        if (fields.Get(key) is not { } node)
        {
            if (required)
            {
                Missing(fields, key, example);
            }

            return null;
        }

        if (node is YamlScalarNode scalar && scalar.Value is { } value)
        {
            var kind = YamlScalars.Classify(scalar);
            var parsed = int.TryParse(value, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var number);
            if (kind == YamlScalarKind.Integer && parsed)
            {
                if (number >= min && number <= max)
                {
                    return number;
                }

                errors.Add(node, $"'{key}' must be from {min} to {max}; found {number}.");
                return null;
            }

            if (kind == YamlScalarKind.Text && parsed)
            {
                errors.Add(node, $"'{key}' must be a number, not text: remove the quotes around {value}.");
                return null;
            }
        }

        errors.Add(node, $"'{key}' must be a whole number, e.g. `{key}: {example}`; found {Describe(node)}.");
        return null;
    }

    /// <returns>The value at <paramref name="key"/>, which must be one of <paramref name="allowed"/> spelled exactly so.</returns>
    private string? Choice(Fields fields, string key, IReadOnlyList<string> allowed)
    {
        if (fields.Get(key) is not { } node)
        {
            Missing(fields, key, allowed[0]);
            return null;
        }

        var value = TextValue(node, $"'{key}'");
        if (value.Length == 0 || allowed.Contains(value, StringComparer.Ordinal))
        {
            return value.Length == 0 ? null : value;
        }

        var suggestion = ClosestMatch.Find(value, allowed);
        var hint = suggestion is null ? string.Empty : $" Did you mean '{suggestion}'?";
        errors.Add(node, $"'{key}' must be one of {string.Join(", ", allowed)}; found '{value}'.{hint}");
        return null;
    }

    /// <summary>Reads a list; items that fail to read are left out (their errors are recorded).</summary>
    private List<T> Items<T>(Fields fields, string key, bool required, Func<YamlNode, int, T?> read)
    {
        var items = new List<T>();
        if (fields.Get(key) is not { } node)
        {
            if (required)
            {
                errors.Add(fields.Node,
                    $"{Capitalise(fields.Subject)} has no '{key}': add `{key}:` followed by a list, each item on its own line starting with '- '.");
            }

            return items;
        }

        if (node is not YamlSequenceNode sequence)
        {
            errors.Add(node, IsEmpty(node)
                ? $"'{key}' is empty: add at least one item, each on its own line starting with '- '."
                : $"'{key}' must be a list, each item on its own line starting with '- '; found {Describe(node)}.");
            return items;
        }

        for (var index = 0; index < sequence.Children.Count; index++)
        {
            if (read(sequence.Children[index], index + 1) is { } item)
            {
                items.Add(item);
            }
        }

        return items;
    }

    /// <summary>Reports a list that is present but has no items (a missing list is reported where it is read).</summary>
    private void RequireItems(Fields fields, string key, string whatToAdd)
    {
        if (fields.Get(key) is YamlSequenceNode { Children.Count: 0 } empty)
        {
            errors.Add(empty, $"'{key}' is empty: {whatToAdd}.");
        }
    }

    private void Missing(Fields fields, string key, string example) =>
        errors.Add(fields.Node, $"{Capitalise(fields.Subject)} has no '{key}': add it, e.g. `{key}: {example}`.");

    private static bool IsEmpty(YamlNode node) =>
        node is YamlScalarNode scalar && YamlScalars.Classify(scalar) == YamlScalarKind.Null;

    private static string Describe(YamlNode node) => node switch
    {
        YamlMappingNode => "a mapping of keys",
        YamlSequenceNode => "a list",
        YamlScalarNode scalar => YamlScalars.Classify(scalar) switch
        {
            YamlScalarKind.Null => "nothing",
            YamlScalarKind.Boolean => "a true/false value",
            YamlScalarKind.Integer or YamlScalarKind.Float => "a number",
            _ => $"the text '{Shorten(scalar.Value ?? string.Empty)}'",
        },
        _ => "something else",
    };

    private static string Shorten(string text) => text.Length <= 40 ? text : string.Concat(text.AsSpan(0, 37), "...");

    private static string Capitalise(string text) =>
        text.Length == 0 || text[0] == '\'' ? text : char.ToUpperInvariant(text[0]) + text[1..];

    /// <summary>A mapping's values by key (unknown keys already reported) and how to name it in messages.</summary>
    private sealed class Fields(YamlMappingNode node, string subject)
    {
        public YamlMappingNode Node { get; } = node;

        public string Subject { get; } = subject;

        public Dictionary<string, YamlNode> Values { get; } = new(StringComparer.Ordinal);

        public YamlNode? Get(string key) => Values.GetValueOrDefault(key);
    }

    private sealed record TaskDraft(string Id, string Title, int? Week, string? Details, YamlNode? IdNode);

    /// <summary>Where a task id is first defined and, once its phase is read, the pathway week it falls in.</summary>
    private sealed class TaskEntry(YamlNode idNode)
    {
        public YamlNode IdNode { get; } = idNode;

        /// <summary>Null when the task's week cannot be known because an earlier phase's length is invalid.</summary>
        public int? OverallWeek { get; set; }
    }
}
