using CoachBot.Core.Pathways;
using CoachBot.TestSupport;

namespace CoachBot.Core.Tests.Pathways;

public sealed class ShippedPathwaysTests
{
    public static TheoryData<string> ShippedFiles()
    {
        var files = new TheoryData<string>();
        foreach (var path in Directory.GetFiles(RepositoryRoot.PathwaysDirectory, "*.yaml").Order(StringComparer.Ordinal))
        {
            files.Add(Path.GetFileName(path));
        }

        return files;
    }

    [Fact]
    public void PathwaysFolder_ShipsAtLeastThreePathways()
    {
        var files = Directory.GetFiles(RepositoryRoot.PathwaysDirectory, "*.yaml");

        Assert.True(files.Length >= 3, $"Expected at least 3 pathways, found {files.Length}.");
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void Parse_WhenGivenAShippedPathway_LoadsItWithoutErrors(string fileName)
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.PathwaysDirectory, fileName));

        var result = PathwayParser.Parse(fileName, yaml);

        Assert.Empty(result.Errors.Select(error => error.ToString()));
        Assert.NotNull(result.Pathway);
        Assert.Equal(Path.GetFileNameWithoutExtension(fileName), result.Pathway.Id);
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void ShippedPathway_IsCompleteInEverySection(string fileName)
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.PathwaysDirectory, fileName));

        var pathway = PathwayParser.Parse(fileName, yaml).Pathway;

        Assert.NotNull(pathway);
        Assert.NotEmpty(pathway.TransferableSkills);
        Assert.NotEmpty(pathway.SkillsToLearn);
        Assert.All(pathway.Phases, phase => Assert.NotEmpty(phase.Resources));
        Assert.NotEmpty(pathway.ActionPlan.ThisWeek);
        Assert.NotEmpty(pathway.ActionPlan.ThisMonth);
        Assert.NotEmpty(pathway.ActionPlan.Next90Days);
        Assert.NotEmpty(pathway.RealityCheck.WhatYoullLove);
        Assert.NotEmpty(pathway.RealityCheck.WhatYouMightMiss);
        Assert.NotEmpty(pathway.RealityCheck.BiggestChallenges);
        Assert.NotEmpty(pathway.Faq);
        Assert.NotEmpty(pathway.CheckInQuestions);
    }

    [Theory]
    [MemberData(nameof(ShippedFiles))]
    public void ShippedPathway_StartsWithTheSchemaCommentForEditors(string fileName)
    {
        var firstLine = File.ReadLines(Path.Combine(RepositoryRoot.PathwaysDirectory, fileName)).First();

        Assert.Equal("# yaml-language-server: $schema=./pathway.schema.json", firstLine);
    }

    [Fact]
    public void AiSafety_HasTheSeedsPhaseLengthsAndHeadlineFacts()
    {
        var yaml = File.ReadAllText(Path.Combine(RepositoryRoot.PathwaysDirectory, "ai-safety.yaml"));

        var pathway = PathwayParser.Parse("ai-safety.yaml", yaml).Pathway;

        Assert.NotNull(pathway);
        Assert.Equal([8, 12, 12, 8, 8], pathway.Phases.Select(phase => phase.Weeks));
        Assert.Equal(48, pathway.TotalWeeks);
        Assert.Equal(Difficulty.Challenging, pathway.Difficulty);
        Assert.Equal(new MonthRange(12, 18), pathway.TimelineMonths);
        Assert.Equal("+30%", pathway.SalaryChange);
    }
}
