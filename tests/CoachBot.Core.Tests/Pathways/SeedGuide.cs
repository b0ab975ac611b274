using System.Text;

namespace CoachBot.Core.Tests.Pathways;

/// <summary>
/// Reads the seed guide (Seed/ai-safety-seed.txt, a copy of the page the ai-safety pathway was written from) into
/// its items, so that tests can look each one up in the pathway. The page's sections and their order are fixed;
/// its sign-posting sentences ("Great news! …", "Don't wait. …") are page furniture, not content, and are skipped.
/// </summary>
internal static class SeedGuide
{
    private static readonly string[] Headings =
    [
        "Difficulty", "Timeline", "Salary Change", "Demand", "Overview", "Your Transferable Skills",
        "Skills You'll Need to Learn", "Your Learning Roadmap", "Reality Check", "What You'll Love",
        "What You Might Miss", "Biggest Challenges", "Start Your Journey Now", "This Week", "This Month",
        "Next 90 Days", "Frequently Asked Questions", "Ready to Start Your Transition?",
    ];

    /// <summary>Every item of the seed as (kind, key, text): key is a skill's name or a phase's number where the
    /// item belongs to one, otherwise empty.</summary>
    public static IReadOnlyList<(string Kind, string Key, string Text)> Items { get; } = Read();

    /// <summary>Lower-case letters and digits only, so that typography (quotes, dashes, line breaks) does not count.</summary>
    public static string Normalise(string text)
    {
        var normalised = new StringBuilder(text.Length);
        foreach (var character in text.ToLowerInvariant())
        {
            if (char.IsLetterOrDigit(character))
            {
                normalised.Append(character);
            }
        }

        return normalised.ToString();
    }

    private static List<(string Kind, string Key, string Text)> Read()
    {
        var lines = File.ReadAllLines(Path.Combine(AppContext.BaseDirectory, "Pathways", "Seed", "ai-safety-seed.txt"))
            .Select(line => line.Trim())
            .Where(line => line.Length > 0)
            .ToList();
        var items = new List<(string, string, string)>
        {
            ("title", "", lines.Single(line => line.StartsWith("From ", StringComparison.Ordinal))),
            ("from role", "", lines[1]),
            ("to role", "", lines[2]),
            ("difficulty", "", After(lines, "Difficulty")),
            ("timeline", "", After(lines, "Timeline")),
            ("salary change", "", After(lines, "Salary Change")),
            ("demand", "", After(lines, "Demand")),
            ("overview", "", After(lines, "Overview")),
        };

        var transferable = Section(lines, "Your Transferable Skills").Skip(1).ToList();
        for (var index = 0; index + 1 < transferable.Count; index += 2)
        {
            items.Add(("transferable skill", transferable[index], transferable[index + 1]));
        }

        var toLearn = Section(lines, "Skills You'll Need to Learn").Skip(1).ToList();
        for (var index = 0; index + 2 < toLearn.Count; index += 3)
        {
            items.Add(("skill to learn", toLearn[index], toLearn[index + 1] + " | " + toLearn[index + 2]));
        }

        ReadRoadmap(Section(lines, "Your Learning Roadmap").Skip(1).ToList(), items);

        foreach (var (heading, kind) in new[]
        {
            ("What You'll Love", "love"), ("What You Might Miss", "miss"), ("Biggest Challenges", "challenge"),
            ("This Week", "this week"), ("This Month", "this month"), ("Next 90 Days", "next 90 days"),
        })
        {
            items.AddRange(Section(lines, heading).Select(line => (kind, "", Unbullet(line))));
        }

        items.AddRange(Section(lines, "Frequently Asked Questions").Select(line => ("faq answer", "", line)));
        return items;
    }

    /// <summary>A phase is: its number, title, "N weeks", "Tasks", bullets, "Resources", then one line holding the
    /// resource titles run together (the page lost the separators).</summary>
    private static void ReadRoadmap(List<string> roadmap, List<(string, string, string)> items)
    {
        var index = 0;
        while (index < roadmap.Count)
        {
            var number = roadmap[index];
            items.Add(("phase", number, roadmap[index + 1] + " | " + roadmap[index + 2]));
            index += 4;
            while (roadmap[index].StartsWith('•'))
            {
                items.Add(("phase task", number, Unbullet(roadmap[index])));
                index++;
            }

            items.Add(("phase resources", number, roadmap[index + 1]));
            index += 2;
        }
    }

    private static string After(List<string> lines, string heading) => lines[lines.IndexOf(heading) + 1];

    private static IEnumerable<string> Section(List<string> lines, string heading) =>
        lines.Skip(lines.IndexOf(heading) + 1).TakeWhile(line => !Headings.Contains(line, StringComparer.Ordinal));

    private static string Unbullet(string line) => line.TrimStart('•').Trim();
}
