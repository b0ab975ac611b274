using System.Diagnostics;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using CoachBot.Operations;
using Microsoft.Extensions.Logging;

namespace CoachBot.Platforms.Discord;

/// <summary>
/// INTERACTION_CREATE → Core: slash commands, button presses, modal submits and autocomplete become
/// <see cref="CommandRequest"/>, <see cref="ActionRequest"/> and <see cref="AutocompleteRequest"/>; the reply is rendered
/// and sent through <see cref="InteractionResponder"/>, which defers a slow handler so Discord's 3 seconds are kept.
/// Organiser rights come from the member's permissions as Discord computed them for this interaction (Manage Server),
/// never from DMs. Anything unexpected becomes a private sentence or a log line, never a crash or a stack trace.
/// </summary>
internal sealed partial class InteractionRouter(
    CommandRouter commands,
    InteractionResponder responder,
    ReplyRenderer renderer,
    CoachBotMetrics metrics,
    ILogger<InteractionRouter> logger) : IDisposable
{
    public const string Platform = "discord";

    /// <summary>The custom_id of the text input in a prompt modal.</summary>
    public const string ModalTextId = "text";

    internal const string FailureSentence = InteractionFailure.Sentence;

    // One picture drawn at a time, and after each a pause as long as the drawing took: drawing is CPU work (about 6 ms a
    // card), and in a burst of /progress the answers everyone is waiting for come first. Pictures so take at most half a
    // core; 200 cards arrive within about 2.5 s. Waiting here is asynchronous, so no thread is held.
    private readonly SemaphoreSlim _pictureGate = new(1, 1);

    private const int ModalTextMaxLength = 1000;
    private const int ModalLabelMax = 45;

    public async Task HandleAsync(InteractionCreated created, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(created);
        var interaction = created.Interaction;
        if (interaction.Invoker is not { } user || interaction.Data is not { } data)
        {
            LogDropped(logger, interaction.Id, interaction.Type, "no user or no data");
            return;
        }

        // A DM belongs to the member alone: its scope is theirs, so a DM enrolment joins no one else's cohort.
        var member = new MemberRef(Platform, interaction.GuildId?.ToString() ?? MemberRef.DirectMessageScope(user.Id.ToString()), user.Id.ToString());
        var displayName = string.IsNullOrWhiteSpace(interaction.Member?.Nick) ? user.DisplayName : interaction.Member.Nick;

        // Discord computes member.permissions for this guild and channel; only the server grants them, so they can be trusted.
        // In a DM there is no server to organise.
        var isOrganiser = interaction.GuildId is not null && interaction.Member is { } guildMember && guildMember.HasPermission(DiscordPermissions.ManageGuild);
        switch (interaction.Type)
        {
            case InteractionType.ApplicationCommandAutocomplete:
                await AutocompleteAsync(created, member, data, cancellationToken);
                break;
            case InteractionType.ApplicationCommand when data.Name is { Length: > 0 } name:
                var request = new CommandRequest(member, displayName, isOrganiser, name, Options(data));
                await RespondAsync(created, name, ephemeralDefer: IsPersonal(name), ct => commands.HandleAsync(request, ct), cancellationToken);
                break;
            case InteractionType.MessageComponent when data.CustomId is { Length: > 0 } customId:
                await ComponentAsync(created, member, displayName, isOrganiser, customId, cancellationToken);
                break;
            case InteractionType.ModalSubmit when data.CustomId is { Length: > 0 } actionId:
                data.GetSubmittedValues().TryGetValue(ModalTextId, out var text);
                var submitted = new ActionRequest(member, displayName, isOrganiser, actionId, text);
                await RespondAsync(created, "modal", ephemeralDefer: true, ct => commands.HandleActionAsync(submitted, ct), cancellationToken);
                break;
            default:
                LogDropped(logger, interaction.Id, interaction.Type, "not a command, component, modal submit or autocomplete");
                break;
        }
    }

    /// <summary>Option values as Core reads them: sub-commands become <c>action</c>; users and channels their ids.</summary>
    internal static Dictionary<string, string> Options(InteractionData data)
    {
        var (path, options) = data.FlattenSubcommands();
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (path.Count > 0)
        {
            values[CommandDefinitions.ActionOption] = string.Join(' ', path);
        }

        foreach (var option in options)
        {
            if (option.GetString() is { } value)
            {
                values[option.Name] = value;
            }
        }

        return values;
    }

    /// <summary>Only the group overview is meant for everyone in the channel; every other reply is about the member.</summary>
    private static bool IsPersonal(string commandName) => !string.Equals(commandName, "group", StringComparison.OrdinalIgnoreCase);

    private async Task ComponentAsync(
        InteractionCreated created,
        MemberRef member,
        string displayName,
        bool isOrganiser,
        string customId,
        CancellationToken cancellationToken)
    {
        if (customId.StartsWith(ReplyRenderer.PromptMarker, StringComparison.Ordinal))
        {
            await ShowPromptAsync(created, customId[ReplyRenderer.PromptMarker.Length..], cancellationToken);
            return;
        }

        var request = new ActionRequest(member, displayName, isOrganiser, customId);
        await RespondAsync(created, "button", ephemeralDefer: true, ct => commands.HandleActionAsync(request, ct), cancellationToken);
    }

    /// <summary>A modal asking the button's prompt; its submit carries the action id as custom_id and comes back as the action.</summary>
    private async Task ShowPromptAsync(InteractionCreated created, string actionId, CancellationToken cancellationToken)
    {
        var context = responder.CreateContext(created, ephemeralDefer: true);
        var buttonLabel = created.Interaction.Message?.Components?
            .SelectMany(row => row.Components ?? [])
            .FirstOrDefault(component => component.CustomId == ReplyRenderer.PromptMarker + actionId)?.Label;
        var prompt = renderer.PromptFor(actionId) ?? buttonLabel ?? "Your answer";
        var input = MessageComponent.TextInput(ModalTextId, TextInputStyle.Paragraph, required: true, maxLength: ModalTextMaxLength);
        var field = prompt.Length <= ModalLabelMax
            ? MessageComponent.LabelFor(prompt, input)
            : MessageComponent.LabelFor("Your answer", input, MessageLimits.Truncate(prompt, 100));
        try
        {
            await context.ShowModalAsync(new Modal(actionId, buttonLabel ?? "CoachBot", [field]), cancellationToken);
        }
        catch (DiscordApiException failure)
        {
            LogResponseFailed(logger, created.Interaction.Id, failure.Code, failure);
        }
    }

    private async Task AutocompleteAsync(InteractionCreated created, MemberRef member, InteractionData data, CancellationToken cancellationToken)
    {
        var context = responder.CreateContext(created);
        IReadOnlyList<AutocompleteChoice> choices = [];
        if (data.FocusedOption is { } focused && data.Name is { } command)
        {
            try
            {
                choices = await commands.AutocompleteAsync(new AutocompleteRequest(member, command, focused.Name, focused.GetString() ?? ""), cancellationToken);
            }
            catch (Exception failure) when (failure is not OperationCanceledException)
            {
                LogHandlerFailed(logger, created.Interaction.Id, failure);
            }
        }

        try
        {
            // Discord sends back the value, so one over 100 characters could never be used: leave it out rather than fail.
            await context.AutocompleteAsync(
                choices
                    .Where(choice => choice.Value.Length is > 0 and <= MessageLimits.ChoiceValue)
                    .Select(choice => ApplicationCommandOptionChoice.FromString(choice.Label.Length > 0 ? choice.Label : choice.Value, choice.Value)),
                cancellationToken);
        }
        catch (DiscordApiException failure)
        {
            LogResponseFailed(logger, created.Interaction.Id, failure.Code, failure);
        }

        RecordAnswered(context, "autocomplete");
    }

    /// <param name="metricName">How the interaction is counted in the metrics: the command's name, or "button" / "modal".</param>
    private async Task RespondAsync(
        InteractionCreated created,
        string metricName,
        bool ephemeralDefer,
        Func<CancellationToken, Task<Reply>> handle,
        CancellationToken cancellationToken)
    {
        var context = responder.CreateContext(created, ephemeralDefer);
        RenderedReply? sent = null;
        try
        {
            await responder.RunAsync(context, async (c, ct) => await SendAsync(c, sent = renderer.Render(await handle(ct)), ct), cancellationToken);
        }
        catch (DiscordApiException failure)
        {
            // Discord refused the reply (expired interaction, missing access…): nothing more can reach the member.
            LogResponseFailed(logger, created.Interaction.Id, failure.Code, failure);
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            LogHandlerFailed(logger, created.Interaction.Id, failure);
            await TrySendFailureAsync(context, cancellationToken);
        }

        RecordAnswered(context, metricName);
        if (sent?.Image is { } picture && context.State == InteractionResponseState.Responded)
        {
            await AddPictureAsync(context, picture, cancellationToken);
        }
    }

    /// <summary>
    /// Draws the reply's picture once the text is out and adds it to the answer by an edit, so the member reads the text
    /// at once and the picture follows. Refused or undrawable: logged, and the text answer stands.
    /// </summary>
    private async Task AddPictureAsync(InteractionContext context, PendingImage picture, CancellationToken cancellationToken)
    {
        MessageFile? file;
        await _pictureGate.WaitAsync(cancellationToken);
        try
        {
            var started = Stopwatch.GetTimestamp();
            file = ReplyRenderer.ImageFile(picture);
            // The pause paces CPU work on this machine, not coaching time: the system clock, also when the coaching
            // clock is simulated.
            await Task.Delay(Stopwatch.GetElapsedTime(started), TimeProvider.System, cancellationToken);
        }
        finally
        {
            _pictureGate.Release();
        }

        if (file is null)
        {
            return;
        }

        try
        {
            await context.EditOriginalAsync(RenderedReply.PictureEdit(file), cancellationToken);
        }
        catch (DiscordApiException failure)
        {
            LogPictureRefused(logger, context.Interaction.Id, failure.Code, failure);
        }
    }

    public void Dispose() => _pictureGate.Dispose();

    private static async Task SendAsync(InteractionContext context, RenderedReply reply, CancellationToken cancellationToken)
    {
        var first = true;
        foreach (var message in reply.ToInteractionMessages())
        {
            if (first && reply.ReplacesPrompt && context.Interaction.Type == InteractionType.MessageComponent)
            {
                // A confirmation's answer takes the confirmation's place, so its buttons cannot be pressed twice.
                await context.UpdateMessageAsync(message with { Components = message.Components ?? [] }, cancellationToken);
                first = false;
            }
            else if (first)
            {
                await context.RespondAsync(message, cancellationToken);
                first = false;
            }
            else
            {
                await context.FollowupAsync(message, cancellationToken);
            }
        }

        if (reply.FileMessage is { } file)
        {
            await context.FollowupAsync(file, cancellationToken);
        }
    }

    private void RecordAnswered(InteractionContext context, string metricName)
    {
        if (context.FirstResponseAfter is { } firstResponse)
        {
            metrics.RecordInteraction(metricName, firstResponse, context.WasDeferred, Platform, context.Interaction.GuildId?.ToString());
        }
    }

    private async Task TrySendFailureAsync(InteractionContext context, CancellationToken cancellationToken)
    {
        var message = new InteractionMessage { Content = FailureSentence, Ephemeral = true };
        try
        {
            if (context.State == InteractionResponseState.Responded)
            {
                await context.FollowupAsync(message, cancellationToken);
            }
            else
            {
                await context.RespondAsync(message, cancellationToken);
            }
        }
        catch (Exception failure) when (failure is DiscordApiException or InvalidOperationException)
        {
            LogResponseFailed(logger, context.Interaction.Id, (failure as DiscordApiException)?.Code, failure);
        }
    }

    [LoggerMessage(EventId = 400, Level = LogLevel.Warning, Message = "Interaction {InteractionId} ({Type}) dropped: {Reason}")]
    private static partial void LogDropped(ILogger logger, Snowflake interactionId, InteractionType type, string reason);

    [LoggerMessage(EventId = 401, Level = LogLevel.Error, Message = "Handling interaction {InteractionId} failed; the member was told to try again")]
    private static partial void LogHandlerFailed(ILogger logger, Snowflake interactionId, Exception exception);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "Discord refused the picture for interaction {InteractionId} (code {Code}); the text answer stands")]
    private static partial void LogPictureRefused(ILogger logger, Snowflake interactionId, int? code, Exception exception);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "Discord refused the answer to interaction {InteractionId} (code {Code})")]
    private static partial void LogResponseFailed(ILogger logger, Snowflake interactionId, int? code, Exception exception);
}
