using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

internal sealed class PathwaysCommand : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("pathways", "List the pathways, or show one", [new("id", "A pathway id, e.g. ai-safety", Suggest: Suggestions.Pathways)])
    {
        Examples = ["/pathways", "/pathways ai-safety"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        if (options.Get("id") is { } id)
        {
            return Overview(context, context.RequirePathway(id));
        }

        if (context.Pathways.All.Count == 0)
        {
            return Reply.Private("Pathways", "No pathways are loaded yet; an organiser can add pathway files to the pathways folder.");
        }

        var enrolled = (await context.Store.GetServerEnrolmentsAsync(context.MemberRef.Platform, context.MemberRef.Scope, cancellationToken))
            .GroupBy(entry => entry.Enrolment.PathwayId, StringComparer.Ordinal)
            .ToDictionary(group => group.Key, group => group.Count(), StringComparer.Ordinal);
        var lines = context.Pathways.All.Select(pathway => "• " + Text.PathwayLine(pathway, enrolled.GetValueOrDefault(pathway.Id)));
        return Reply.Private(
            "Pathways",
            string.Join('\n', lines),
            $"`/pathways id:{context.ExamplePathwayId}` shows one; `/enroll {context.ExamplePathwayId}` starts it.");
    }

    /// <summary>"1 month", "3 months", or "6–9 months" for a range.</summary>
    private static string Timeline(MonthRange months) =>
        months.Min == months.Max ? Text.Plural(months.Min, "month") : $"{months.Min}–{months.Max} months";

    private static Reply Overview(CommandContext context, Pathway pathway)
    {
        var phases = pathway.Phases.Select(phase =>
            $"  {phase.Number}. {phase.Title} — {Text.Plural(phase.Weeks, "week")}, {Text.Plural(phase.Tasks.Count, "task")}");
        var blocks = new List<string>
        {
            $"{pathway.FromRole} → {pathway.ToRole}",
            pathway.Summary,
            $"Difficulty: {pathway.Difficulty.ToString().ToLowerInvariant()} · timeline: {Timeline(pathway.TimelineMonths)}"
                + $" · {pathway.TotalWeeks} weeks at the planned pace · salary change: {pathway.SalaryChange}",
            $"Demand: {pathway.Demand}",
            "Phases:\n" + string.Join('\n', phases),
        };
        if (pathway.TransferableSkills.Count > 0)
        {
            blocks.Add("Skills you bring: " + string.Join(", ", pathway.TransferableSkills.Select(skill => skill.Name)));
        }

        blocks.Add($"Start with `/enroll {pathway.Id}` (optionally `start:YYYY-MM-DD timezone:{context.Zone.Id}`).");
        return Reply.Private(pathway.Title, blocks);
    }
}
