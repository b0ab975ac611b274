using CoachBot.Discord.Gateway;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using Microsoft.Extensions.Logging;

namespace CoachBot.Discord.Interactions;

public enum InteractionResponseState
{
    /// <summary>Nothing sent yet; the initial response is still possible (within 3 s).</summary>
    NotAcknowledged,

    /// <summary>Deferred with type 5 ("thinking…"); finish by editing the original.</summary>
    Deferred,

    /// <summary>A component deferred with type 6; the message it is on can be edited later.</summary>
    DeferredUpdate,

    /// <summary>The initial response (or the edit finishing a deferral) was sent.</summary>
    Responded,
}

/// <summary>
/// Responding to one interaction: tracks whether it was acknowledged so the initial response is sent exactly once
/// (a second one would be 40060), and turns later replies into edits of the original or follow-ups.
/// Create with <see cref="InteractionResponder.CreateContext(InteractionCreated, bool)"/>. Safe to call from several tasks.
/// </summary>
[System.Diagnostics.CodeAnalysis.SuppressMessage("Design", "CA1001:Types that own disposable fields should be disposable", Justification = "The SemaphoreSlim never allocates a wait handle (AvailableWaitHandle is not used), so there is nothing to dispose.")]
public sealed class InteractionContext
{
    private readonly DiscordRestClient _rest;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    internal InteractionContext(Interaction interaction, long receivedTimestamp, bool ephemeralDefer, DiscordRestClient rest, TimeProvider timeProvider, ILogger logger)
    {
        Interaction = interaction;
        ReceivedTimestamp = receivedTimestamp;
        EphemeralDefer = ephemeralDefer;
        _rest = rest;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    public Interaction Interaction { get; }

    /// <summary>When the interaction was received (<see cref="TimeProvider.GetTimestamp"/>).</summary>
    public long ReceivedTimestamp { get; }

    /// <summary>Whether an automatic type-5 deferral is ephemeral (visibility cannot change after the deferral).</summary>
    public bool EphemeralDefer { get; }

    public InteractionResponseState State { get; private set; }

    /// <summary>Time from receipt until Discord accepted the initial response (a reply or a deferral); null before that.</summary>
    public TimeSpan? FirstResponseAfter { get; private set; }

    /// <summary>True when the initial response was a deferral (type 5 or 6) rather than the reply itself.</summary>
    public bool WasDeferred { get; private set; }

    /// <summary>Time since receipt, on the monotonic clock.</summary>
    public TimeSpan Elapsed => _timeProvider.GetElapsedTime(ReceivedTimestamp);

    /// <summary>
    /// Acknowledges without a reply yet: type 5 ("thinking…") for commands and modal submits, type 6 for components.
    /// Does nothing once acknowledged.
    /// </summary>
    public async Task DeferAsync(CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (State != InteractionResponseState.NotAcknowledged || Interaction.Type == InteractionType.ApplicationCommandAutocomplete)
            {
                return;
            }

            var component = Interaction.Type == InteractionType.MessageComponent;
            var response = component
                ? new InteractionResponse(InteractionCallbackType.DeferredUpdateMessage)
                : new InteractionResponse(InteractionCallbackType.DeferredChannelMessageWithSource, EphemeralDefer ? new InteractionCallbackData { Flags = MessageFlags.Ephemeral } : null);
            await SendInitialAsync(response, cancellationToken);
            State = component ? InteractionResponseState.DeferredUpdate : InteractionResponseState.Deferred;
            InteractionLog.Deferred(_logger, Interaction.Id, (int)response.Type, Elapsed.TotalMilliseconds);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// Replies: the initial response (type 4) if nothing was sent yet, else the edit of the deferred "thinking…"
    /// message (or, for a private reply after a public deferral, its deletion and a private follow-up), or after a
    /// component's type-6 deferral a follow-up. Content is made to fit Discord's limits.
    /// </summary>
    public async Task RespondAsync(InteractionMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        var fitted = MessageLimits.Fit(message);
        var files = message.Files ?? [];
        MessageLimits.ValidateFiles(files);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            switch (State)
            {
                case InteractionResponseState.NotAcknowledged:
                    try
                    {
                        await SendInitialAsync(new InteractionResponse(InteractionCallbackType.ChannelMessageWithSource, fitted.ToCallbackData()), files, cancellationToken);
                    }
                    catch (DiscordApiException exception) when (exception.Code == DiscordErrorCodes.InteractionAlreadyAcknowledged)
                    {
                        // A retried callback that had in fact arrived: make sure the original says what we meant.
                        InteractionLog.AlreadyAcknowledged(_logger, Interaction.Id);
                        await _rest.EditOriginalResponseAsync(Interaction.ApplicationId, Interaction.Token, fitted.ToEdit(), files, cancellationToken);
                    }

                    break;
                case InteractionResponseState.Deferred when fitted.Ephemeral && !EphemeralDefer:
                    // A public "thinking…" cannot become private: remove it, then answer with a private follow-up.
                    await _rest.DeleteOriginalResponseAsync(Interaction.ApplicationId, Interaction.Token, cancellationToken);
                    await _rest.CreateFollowupMessageAsync(Interaction.ApplicationId, Interaction.Token, fitted.ToFollowup(), files, cancellationToken);
                    break;
                case InteractionResponseState.Deferred:
                    await _rest.EditOriginalResponseAsync(Interaction.ApplicationId, Interaction.Token, fitted.ToEdit(), files, cancellationToken);
                    break;
                case InteractionResponseState.DeferredUpdate:
                    await _rest.CreateFollowupMessageAsync(Interaction.ApplicationId, Interaction.Token, fitted.ToFollowup(), files, cancellationToken);
                    break;
                default:
                    throw new InvalidOperationException("This interaction already has its response; use FollowupAsync or EditOriginalAsync.");
            }

            State = InteractionResponseState.Responded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Components only: replaces the message the component is on (type 7, or an edit after a deferral).</summary>
    public async Task UpdateMessageAsync(InteractionMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        if (Interaction.Type != InteractionType.MessageComponent)
        {
            throw new InvalidOperationException("Only a component interaction can update its message.");
        }

        var fitted = MessageLimits.Fit(message);
        var files = message.Files ?? [];
        MessageLimits.ValidateFiles(files);
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (State == InteractionResponseState.NotAcknowledged)
            {
                await SendInitialAsync(new InteractionResponse(InteractionCallbackType.UpdateMessage, fitted.ToCallbackData() with { Flags = null }), files, cancellationToken);
            }
            else
            {
                await _rest.EditOriginalResponseAsync(Interaction.ApplicationId, Interaction.Token, fitted.ToEdit(), files, cancellationToken);
            }

            State = InteractionResponseState.Responded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Opens a modal. Only possible as the initial response to a command or component.</summary>
    public async Task ShowModalAsync(Modal modal, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(modal);
        if (Interaction.Type is not (InteractionType.ApplicationCommand or InteractionType.MessageComponent))
        {
            throw new InvalidOperationException("A modal can only answer a command or a component interaction.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (State != InteractionResponseState.NotAcknowledged)
            {
                throw new InvalidOperationException("A modal must be the first response to an interaction; this one was already acknowledged.");
            }

            var data = new InteractionCallbackData { CustomId = modal.CustomId, Title = MessageLimits.Truncate(modal.Title, MessageLimits.ModalTitle), Components = modal.Components };
            await SendInitialAsync(new InteractionResponse(InteractionCallbackType.Modal, data), cancellationToken);
            State = InteractionResponseState.Responded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Answers an autocomplete interaction with up to 25 suggestions (cannot be deferred).</summary>
    public async Task AutocompleteAsync(IEnumerable<ApplicationCommandOptionChoice> choices, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(choices);
        if (Interaction.Type != InteractionType.ApplicationCommandAutocomplete)
        {
            throw new InvalidOperationException("Only an autocomplete interaction takes suggestions.");
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (State != InteractionResponseState.NotAcknowledged)
            {
                throw new InvalidOperationException("This autocomplete interaction was already answered.");
            }

            var data = new InteractionCallbackData { Choices = MessageLimits.FitChoices(choices) };
            await SendInitialAsync(new InteractionResponse(InteractionCallbackType.ApplicationCommandAutocompleteResult, data), cancellationToken);
            State = InteractionResponseState.Responded;
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Edits the original response (after a response or deferral).</summary>
    public async Task EditOriginalAsync(InteractionMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        RequireAcknowledged();
        await _rest.EditOriginalResponseAsync(Interaction.ApplicationId, Interaction.Token, MessageLimits.Fit(message).ToEdit(), message.Files ?? [], cancellationToken);
    }

    /// <summary>Sends another message for this interaction (valid 15 minutes after the first response).</summary>
    public Task<DiscordMessage> FollowupAsync(InteractionMessage message, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(message);
        RequireAcknowledged();
        return _rest.CreateFollowupMessageAsync(Interaction.ApplicationId, Interaction.Token, MessageLimits.Fit(message).ToFollowup(), message.Files ?? [], cancellationToken);
    }

    private void RequireAcknowledged()
    {
        if (State == InteractionResponseState.NotAcknowledged)
        {
            throw new InvalidOperationException("Respond to or defer the interaction first.");
        }
    }

    private Task SendInitialAsync(InteractionResponse response, CancellationToken cancellationToken) => SendInitialAsync(response, [], cancellationToken);

    private async Task SendInitialAsync(InteractionResponse response, IReadOnlyList<MessageFile> files, CancellationToken cancellationToken)
    {
        if (Elapsed > TimeSpan.FromSeconds(3))
        {
            InteractionLog.LateInitialResponse(_logger, Interaction.Id, Elapsed.TotalMilliseconds);
        }

        await _rest.CreateInteractionResponseAsync(Interaction.Id, Interaction.Token, response, files, cancellationToken);
        FirstResponseAfter = Elapsed;
        WasDeferred = response.Type is InteractionCallbackType.DeferredChannelMessageWithSource or InteractionCallbackType.DeferredUpdateMessage;
    }
}
