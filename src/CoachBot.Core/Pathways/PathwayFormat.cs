using System.Text.RegularExpressions;

namespace CoachBot.Core.Pathways;

/// <summary>The keys and limits of pathway format v1, shared by the loader and its tests (the JSON Schema in
/// <c>pathways/pathway.schema.json</c> must agree with them).</summary>
internal static partial class PathwayFormat
{
    public const int MaxIdLength = 64;
    public const int MaxPhaseWeeks = 104;
    public const int MaxSkillWeeks = 104;
    public const int MaxTimelineMonths = 120;

    public static readonly IReadOnlyList<string> PathwayKeys =
    [
        "title", "from_role", "to_role", "summary", "difficulty", "timeline_months", "salary_change", "demand",
        "transferable_skills", "skills_to_learn", "phases", "action_plan", "reality_check", "faq", "checkin_questions",
    ];

    public static readonly IReadOnlyList<string> TimelineKeys = ["min", "max"];
    public static readonly IReadOnlyList<string> TransferableSkillKeys = ["name", "why"];
    public static readonly IReadOnlyList<string> SkillToLearnKeys = ["name", "priority", "weeks", "how_to_learn"];
    public static readonly IReadOnlyList<string> PhaseKeys = ["title", "weeks", "tasks", "resources"];
    public static readonly IReadOnlyList<string> TaskKeys = ["id", "title", "week", "details"];
    public static readonly IReadOnlyList<string> ResourceKeys = ["title", "url"];
    public static readonly IReadOnlyList<string> ActionPlanKeys = ["this_week", "this_month", "next_90_days"];
    public static readonly IReadOnlyList<string> RealityCheckKeys = ["love", "miss", "challenges"];
    public static readonly IReadOnlyList<string> FaqKeys = ["question", "answer"];

    public static readonly IReadOnlyList<string> DifficultyValues = ["beginner", "intermediate", "challenging", "advanced"];
    public static readonly IReadOnlyList<string> PriorityValues = ["critical", "important", "nice-to-have"];

    /// <summary>Pathway and task ids: lower-case letters and digits in words joined by single hyphens.</summary>
    public static bool IsValidId(string id) => id.Length <= MaxIdLength && IdPattern().IsMatch(id);

    [GeneratedRegex("^[a-z0-9]+(-[a-z0-9]+)*$", RegexOptions.CultureInvariant)]
    private static partial Regex IdPattern();
}
