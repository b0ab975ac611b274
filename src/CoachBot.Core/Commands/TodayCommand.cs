using CoachBot.Core.Messaging;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

internal sealed class TodayCommand : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("today", "This week's tasks and overdue ones", [SharedOptions.Pathway])
    {
        Examples = ["/today"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var snapshot = await context.ResolveSnapshotAsync(options.Get("pathway"), cancellationToken);
        return CoachViews.Week(snapshot);
    }
}
