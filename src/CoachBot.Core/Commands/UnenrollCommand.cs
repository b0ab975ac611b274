using CoachBot.Core.Messaging;

namespace CoachBot.Core.Commands;

/// <summary><c>/unenroll</c> asks first; the confirm button deletes the enrolment and its progress.</summary>
internal sealed class UnenrollCommand : ICommandHandler, IActionHandler
{
    public CommandDefinition Definition { get; } = new("unenroll", "Leave a pathway", [SharedOptions.Pathway])
    {
        Examples = ["/unenroll ai-safety"],
    };

    public string Prefix => "unenroll";

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var enrolment = await context.ResolveEnrolmentAsync(options.Get("pathway"), cancellationToken);
        var done = (await context.Store.GetCompletionEventsAsync(enrolment.Id, cancellationToken)).Count;
        var loss = done > 0 ? " Your progress in it (every task you ticked off) is deleted too." : string.Empty;
        return Reply.Private("Leave a pathway?", $"Leave {enrolment.PathwayId}?{loss}").WithButtons(
        [
            new ReplyButton($"Leave {enrolment.PathwayId}", $"unenroll:{enrolment.Id}", ButtonStyle.Danger),
            new ReplyButton("Keep it", CancelAction.ActionId),
        ]);
    }

    public async Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken)
    {
        if (arguments.Count != 1)
        {
            throw new CommandException("That button is out of date; `/unenroll` asks again.");
        }

        var enrolment = await context.RequireOwnEnrolmentAsync(arguments[0], cancellationToken);
        await context.Store.DeleteEnrolmentAsync(enrolment.Id, cancellationToken);
        return Reply.Private("Left", $"You left {enrolment.PathwayId}. `/pathways` shows what else there is.") with { ReplacesPrompt = true };
    }
}

/// <summary>The "Keep it" / "Cancel" buttons of confirmations.</summary>
internal sealed class CancelAction : IActionHandler
{
    public const string ActionId = "cancel";

    public string Prefix => ActionId;

    public Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken) =>
        Task.FromResult(Reply.Private(null, "Nothing changed.") with { ReplacesPrompt = true });
}
