using CoachBot.Discord.Gateway;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Discord.Interactions;

/// <summary>
/// Keeps Discord's 3-second rule: runs a handler and, if it has not responded within
/// <see cref="DiscordClientOptions.InteractionDeferAfter"/> (≈1.5 s) of receipt, defers for it (type 5, or 6 for
/// components). The handler's later <see cref="InteractionContext.RespondAsync"/> then edits the original.
/// </summary>
public sealed class InteractionResponder(DiscordRestClient rest, IOptions<DiscordClientOptions> options, TimeProvider timeProvider, ILogger<InteractionResponder> logger)
{
    public InteractionContext CreateContext(InteractionCreated created, bool ephemeralDefer = false)
    {
        ArgumentNullException.ThrowIfNull(created);
        return CreateContext(created.Interaction, created.ReceivedTimestamp, ephemeralDefer);
    }

    public InteractionContext CreateContext(Interaction interaction, long receivedTimestamp, bool ephemeralDefer = false) =>
        new(interaction, receivedTimestamp, ephemeralDefer, rest, timeProvider, logger);

    /// <summary>
    /// Runs <paramref name="handler"/>, deferring automatically when it is slow. Exceptions from the handler propagate
    /// after the deferral decision, so the caller can still answer through <paramref name="context"/>.
    /// </summary>
    public async Task RunAsync(InteractionContext context, Func<InteractionContext, CancellationToken, Task> handler, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        ArgumentNullException.ThrowIfNull(handler);
        var work = Task.Run(() => handler(context, cancellationToken), CancellationToken.None);
        var canDefer = context.Interaction.Type is InteractionType.ApplicationCommand or InteractionType.MessageComponent or InteractionType.ModalSubmit;
        if (canDefer)
        {
            var remaining = options.Value.InteractionDeferAfter - context.Elapsed;
            if (remaining > TimeSpan.Zero)
            {
                using var stopTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
                var timer = Task.Delay(remaining, timeProvider, stopTimer.Token);
                await Task.WhenAny(work, timer);
                await stopTimer.CancelAsync();
            }

            if (!work.IsCompleted && context.State == InteractionResponseState.NotAcknowledged)
            {
                try
                {
                    await context.DeferAsync(cancellationToken);
                }
                catch (DiscordApiException exception)
                {
                    InteractionLog.DeferFailed(logger, context.Interaction.Id, exception.Code);
                }
            }
        }

        await work;
        if (context.State == InteractionResponseState.NotAcknowledged)
        {
            InteractionLog.NoResponse(logger, context.Interaction.Id, context.Interaction.Type);
        }
    }
}

internal static partial class InteractionLog
{
    [LoggerMessage(EventId = 1300, Level = LogLevel.Debug, Message = "Deferred interaction {InteractionId} with type {CallbackType} after {ElapsedMs} ms")]
    public static partial void Deferred(ILogger logger, Snowflake interactionId, int callbackType, double elapsedMs);

    [LoggerMessage(EventId = 1301, Level = LogLevel.Warning, Message = "Interaction {InteractionId} gets its first response after {ElapsedMs} ms; Discord allows 3000 ms")]
    public static partial void LateInitialResponse(ILogger logger, Snowflake interactionId, double elapsedMs);

    [LoggerMessage(EventId = 1302, Level = LogLevel.Warning, Message = "Interaction {InteractionId} was already acknowledged; editing the original instead")]
    public static partial void AlreadyAcknowledged(ILogger logger, Snowflake interactionId);

    [LoggerMessage(EventId = 1303, Level = LogLevel.Warning, Message = "Could not defer interaction {InteractionId} (code {Code})")]
    public static partial void DeferFailed(ILogger logger, Snowflake interactionId, int? code);

    [LoggerMessage(EventId = 1304, Level = LogLevel.Warning, Message = "The handler for interaction {InteractionId} ({Type}) finished without responding")]
    public static partial void NoResponse(ILogger logger, Snowflake interactionId, InteractionType type);

    [LoggerMessage(EventId = 1310, Level = LogLevel.Information, Message = "Application commands for {Scope} are up to date ({Count} commands)")]
    public static partial void CommandsUpToDate(ILogger logger, string scope, int count);

    [LoggerMessage(EventId = 1311, Level = LogLevel.Information, Message = "Application commands for {Scope} changed: overwriting {Count} commands")]
    public static partial void CommandsOverwritten(ILogger logger, string scope, int count);
}
