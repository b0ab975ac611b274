using CoachBot.Core.Messaging;
using CoachBot.Core.Texts;

namespace CoachBot.Core.Commands;

internal sealed class TodayCommand : ICommandHandler
{
    public string Name => "today";

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var snapshot = await context.ResolveSnapshotAsync(options.Get("pathway"), cancellationToken);
        return CoachViews.Week(snapshot);
    }
}
