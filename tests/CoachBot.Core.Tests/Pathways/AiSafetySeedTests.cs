using CoachBot.Core.Pathways;
using CoachBot.TestSupport;

namespace CoachBot.Core.Tests.Pathways;

/// <summary>Proves that pathways/ai-safety.yaml holds everything in the seed guide it was written from.</summary>
public sealed class AiSafetySeedTests
{
    private static readonly Pathway AiSafety = PathwayParser.Parse(
        "ai-safety.yaml", File.ReadAllText(Path.Combine(RepositoryRoot.PathwaysDirectory, "ai-safety.yaml"))).Pathway
        ?? throw new InvalidOperationException("pathways/ai-safety.yaml does not load; run the ShippedPathwaysTests.");

    public static TheoryData<string, string, string> SeedItems()
    {
        var data = new TheoryData<string, string, string>();
        foreach (var (kind, key, text) in SeedGuide.Items)
        {
            data.Add(kind, key, text);
        }

        return data;
    }

    [Fact]
    public void SeedGuide_FindsEveryItemOfTheSeed()
    {
        var counts = SeedGuide.Items.GroupBy(item => item.Kind).ToDictionary(group => group.Key, group => group.Count());

        Assert.Equal(5, counts["transferable skill"]);
        Assert.Equal(6, counts["skill to learn"]);
        Assert.Equal(5, counts["phase"]);
        Assert.Equal(20, counts["phase task"]);
        Assert.Equal(5, counts["phase resources"]);
        Assert.Equal((4, 4, 4), (counts["love"], counts["miss"], counts["challenge"]));
        Assert.Equal((4, 4, 4), (counts["this week"], counts["this month"], counts["next 90 days"]));
        Assert.Equal(1, counts["faq answer"]);
    }

    [Theory]
    [MemberData(nameof(SeedItems))]
    public void AiSafetyPathway_HoldsTheSeedItem(string kind, string key, string text)
    {
        switch (kind)
        {
            case "title":
                Assert.Equal(Normalise(text), Normalise(AiSafety.Title));
                break;
            case "from role":
                Assert.Equal(Normalise(text), Normalise(AiSafety.FromRole));
                break;
            case "to role":
                Assert.Equal(Normalise(text), Normalise(AiSafety.ToRole));
                break;
            case "difficulty":
                Assert.Equal(text, AiSafety.Difficulty.ToString());
                break;
            case "timeline":
                Assert.Equal(text, $"{AiSafety.TimelineMonths.Min}-{AiSafety.TimelineMonths.Max} months");
                break;
            case "salary change":
                Assert.Equal(text, AiSafety.SalaryChange);
                break;
            case "demand":
                Assert.Equal(Normalise(text), Normalise(AiSafety.Demand));
                break;
            case "overview":
                Assert.Equal(Normalise(text), Normalise(AiSafety.Summary));
                break;
            case "transferable skill":
                var transferable = Assert.Single(AiSafety.TransferableSkills, skill => skill.Name == key);
                Assert.Equal(Normalise(text), Normalise(transferable.WhyItTransfers));
                break;
            case "skill to learn":
                var skill = Assert.Single(AiSafety.SkillsToLearn, skill => skill.Name == key);
                var (priorityAndWeeks, howToLearn) = Split(text);
                Assert.Equal(Normalise(priorityAndWeeks), Normalise($"{Priority(skill.Priority)}{skill.Weeks} weeks"));
                Assert.Equal(Normalise(howToLearn), Normalise(skill.HowToLearn));
                break;
            case "phase":
                var phase = Phase(key);
                var (title, weeks) = Split(text);
                Assert.Equal(Normalise(title), Normalise(phase.Title));
                Assert.Equal(weeks, $"{phase.Weeks} weeks");
                break;
            case "phase task":
                Assert.Contains(Normalise(text), Phase(key).Tasks.Select(task => Normalise(task.Title)));
                break;
            case "phase resources":
                Assert.Equal(Normalise(text), Normalise(string.Concat(Phase(key).Resources.Select(resource => resource.Title))));
                break;
            case "love":
                Assert.Contains(Normalise(text), AiSafety.RealityCheck.WhatYoullLove.Select(Normalise));
                break;
            case "miss":
                Assert.Contains(Normalise(text), AiSafety.RealityCheck.WhatYouMightMiss.Select(Normalise));
                break;
            case "challenge":
                Assert.Contains(Normalise(text), AiSafety.RealityCheck.BiggestChallenges.Select(Normalise));
                break;
            case "this week":
                AssertPlannedTask(text, AiSafety.ActionPlan.ThisWeek);
                break;
            case "this month":
                AssertPlannedTask(text, AiSafety.ActionPlan.ThisMonth);
                break;
            case "next 90 days":
                AssertPlannedTask(text, AiSafety.ActionPlan.Next90Days);
                break;
            case "faq answer":
                Assert.Contains(Normalise(text), AiSafety.Faq.Select(entry => Normalise(entry.Answer)));
                break;
            default:
                Assert.Fail($"No check for seed items of kind '{kind}'.");
                break;
        }
    }

    [Fact]
    public void AiSafetyPathway_AsksAFittingFaqQuestion()
    {
        var entry = Assert.Single(AiSafety.Faq);

        Assert.Equal("Do I need a PhD to become an AI safety researcher?", entry.Question);
    }

    /// <summary>An action-plan item is a task of the pathway, listed under its horizon.</summary>
    private static void AssertPlannedTask(string text, IReadOnlyList<string> horizon)
    {
        var task = Assert.Single(AiSafety.AllTasks, task => Normalise(task.Title) == Normalise(text));
        Assert.Contains(task.Id, horizon);
    }

    private static Phase Phase(string number) => AiSafety.Phases[int.Parse(number, System.Globalization.CultureInfo.InvariantCulture) - 1];

    private static string Priority(SkillPriority priority) => priority switch
    {
        SkillPriority.NiceToHave => "Nice to have",
        _ => priority.ToString(),
    };

    private static (string First, string Second) Split(string text)
    {
        var parts = text.Split(" | ");
        return (parts[0], parts[1]);
    }

    private static string Normalise(string text) => SeedGuide.Normalise(text);
}
