using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json.Nodes;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Operations;
using CoachBot.Slack;
using CoachBot.Slack.SocketMode;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Platforms.Slack;

/// <summary>
/// Socket Mode envelopes → Core, and the answers back. A slash command answered within <see cref="AnswerWithin"/> goes
/// back with the envelope's ack (one round trip, nothing to rate-limit); a slower one is acked empty and answered
/// through its <c>response_url</c>. Button presses and modal submissions are acked at once (Slack takes no answer with
/// them) and answered through the <c>response_url</c>: privately, or in place of the message for a confirmation's answer.
/// A button with a question opens a modal; its submission answers through the button's <c>response_url</c>, which the
/// modal carries. Organiser rights, and the time zone a member enrols in unless they name one, come from
/// <see cref="SlackProfiles"/>. Anything unexpected is a log line and, where
/// a member is waiting, one private sentence; never a crash.
/// </summary>
internal sealed partial class SlackInteractions(
    CommandRouter commands,
    SlackWebApiClient api,
    SlackProfiles profiles,
    CoachBotMetrics metrics,
    IOptions<SlackClientOptions> options,
    TimeProvider time,
    ILogger<SlackInteractions> logger)
{
    // Leaves the rest of the ack window for the ack itself to travel.
    private readonly TimeSpan _answerWithin = options.Value.AckWithin * 0.6;
    private readonly ConcurrentDictionary<Task, byte> _later = new();

    /// <summary>How long a slash command's answer may take and still go back with the ack.</summary>
    public TimeSpan AnswerWithin => _answerWithin;

    /// <summary>The Socket Mode handler: the ack's payload, or null for an empty ack.</summary>
    public async Task<JsonObject?> HandleAsync(SocketModeEnvelope envelope, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        switch (envelope.Type)
        {
            case "slash_commands":
                return await SlashCommandAsync(envelope, cancellationToken);
            case "interactive" when SlackJson.Text(envelope.Payload["type"]) is "block_actions":
                Later(BlockActionAsync(envelope.Payload, cancellationToken));
                return null;
            case "interactive" when SlackJson.Text(envelope.Payload["type"]) is "view_submission":
                // The empty ack closes the modal; the answer follows where the button was.
                Later(ViewSubmissionAsync(envelope.Payload, cancellationToken));
                return null;
            default:
                // Events and other interactions the app did not ask for: acked, so Slack does not send them again.
                Log.Ignored(logger, envelope.Type);
                return null;
        }
    }

    /// <summary>Waits for the answers still going out through a response_url (at shutdown).</summary>
    public Task DrainAsync() => Task.WhenAll(_later.Keys);

    private async Task<JsonObject?> SlashCommandAsync(SocketModeEnvelope envelope, CancellationToken cancellationToken)
    {
        var payload = envelope.Payload;
        var started = Stopwatch.GetTimestamp();
        var answering = CommandAnswerAsync(payload, cancellationToken);
        var inTime = await Task.WhenAny(answering, Task.Delay(_answerWithin, time, cancellationToken)) == answering;
        var command = SlackJson.Text(payload["command"])?.TrimStart('/') ?? "?";
        if (inTime && envelope.AcceptsResponsePayload)
        {
            metrics.RecordInteraction(command, Stopwatch.GetElapsedTime(started), deferred: false, SlackInbound.Platform, SlackJson.Text(payload["team_id"]));
            return await answering;
        }

        var responseUrl = Url(SlackJson.Text(payload["response_url"]));
        Later(AnswerLateAsync(answering, responseUrl, command, SlackJson.Text(payload["team_id"]), started, cancellationToken));
        return null;
    }

    private async Task AnswerLateAsync(Task<JsonObject> answering, Uri? responseUrl, string command, string? team, long started, CancellationToken cancellationToken)
    {
        var answer = await answering;
        if (responseUrl is null)
        {
            Log.NoResponseUrl(logger, command);
            return;
        }

        await RespondAsync(responseUrl, answer, cancellationToken);
        metrics.RecordInteraction(command, Stopwatch.GetElapsedTime(started), deferred: true, SlackInbound.Platform, team);
    }

    /// <summary>The answer to a slash command as Slack takes it (with the ack or through the response_url); never throws.</summary>
    private async Task<JsonObject> CommandAnswerAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        // Hands back the running task at once, so the ack's time budget (SlashCommandAsync) starts with the work.
        await Task.Yield();
        try
        {
            var team = SlackJson.Text(payload["team_id"]) ?? "";
            var user = SlackJson.Text(payload["user_id"]) ?? "";
            CommandRequest request;
            try
            {
                request = SlackInbound.SlashCommand(payload, await profiles.IsOrganiserAsync(team, user, cancellationToken));
            }
            catch (CommandException unreadable)
            {
                return Message(Reply.Private(null, unreadable.Message));
            }
            catch (Exception malformed) when (malformed is FormatException or InvalidOperationException)
            {
                Log.Dropped(logger, "slash_commands", malformed.Message);
                return Message(Reply.Private(null, InteractionFailure.Sentence));
            }

            if (string.Equals(request.Name, "enroll", StringComparison.OrdinalIgnoreCase))
            {
                request = request with { ProfileTimeZone = await profiles.TimeZoneAsync(team, user, cancellationToken) };
            }

            return Message(await commands.HandleAsync(request, cancellationToken));
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.HandlerFailed(logger, "slash command", failure);
            return Message(Reply.Private(null, InteractionFailure.Sentence));
        }
    }

    private async Task BlockActionAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        var started = Stopwatch.GetTimestamp();
        SlackAction pressed;
        try
        {
            var (team, user) = InteractionMember(payload);
            pressed = SlackInbound.BlockAction(payload, await profiles.IsOrganiserAsync(team, user, cancellationToken));
        }
        catch (Exception unreadable) when (unreadable is FormatException or InvalidOperationException)
        {
            // A field of an unexpected kind (JsonNode throws InvalidOperationException): that press alone is dropped.
            Log.Dropped(logger, "block_actions", unreadable.Message);
            return;
        }

        if (pressed.OpensPrompt)
        {
            await OpenPromptAsync(pressed, cancellationToken);
            return;
        }

        var answer = await ActionAnswerAsync(pressed.Request, cancellationToken);
        if (pressed.ResponseUrl is { } responseUrl)
        {
            await RespondAsync(responseUrl, answer, cancellationToken);
        }

        metrics.RecordInteraction("button", Stopwatch.GetElapsedTime(started), deferred: true, SlackInbound.Platform, pressed.Request.Member.Scope);
    }

    private async Task OpenPromptAsync(SlackAction pressed, CancellationToken cancellationToken)
    {
        if (pressed.TriggerId is not { Length: > 0 } trigger)
        {
            Log.Dropped(logger, "block_actions", "a prompt button without a trigger_id");
            return;
        }

        try
        {
            await api.OpenViewAsync(trigger, SlackInbound.PromptModal(pressed.Request.ActionId, pressed.Prompt ?? "Your answer", pressed.Request.Member.Scope, pressed.ResponseUrl), cancellationToken);
        }
        catch (SlackApiException refused)
        {
            // An expired trigger (the press waited more than 3 seconds to be read): the member presses again.
            Log.Refused(logger, "views.open", refused.Error, refused);
            if (pressed.ResponseUrl is { } responseUrl)
            {
                await RespondAsync(responseUrl, Message(Reply.Private(null, "Slack closed that window before it opened; press the button again.")), cancellationToken);
            }
        }
    }

    private async Task ViewSubmissionAsync(JsonObject payload, CancellationToken cancellationToken)
    {
        SlackSubmission submitted;
        try
        {
            var (team, user) = InteractionMember(payload);
            submitted = SlackInbound.ViewSubmission(payload, await profiles.IsOrganiserAsync(team, user, cancellationToken));
        }
        catch (Exception unreadable) when (unreadable is FormatException or InvalidOperationException)
        {
            Log.Dropped(logger, "view_submission", unreadable.Message);
            return;
        }

        var answer = await ActionAnswerAsync(submitted.Request, cancellationToken);
        if (submitted.ResponseUrl is { } responseUrl)
        {
            await RespondAsync(responseUrl, answer, cancellationToken);
        }
        else
        {
            Log.NoResponseUrl(logger, "modal");
        }
    }

    /// <summary>The answer to a button or a modal, for its response_url; never throws.</summary>
    private async Task<JsonObject> ActionAnswerAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        try
        {
            var reply = await commands.HandleActionAsync(request, cancellationToken);
            var answer = Message(reply);
            // A confirmation's answer takes the confirmation's place, so its buttons cannot be pressed twice.
            answer["replace_original"] = reply.ReplacesPrompt;
            return answer;
        }
        catch (Exception failure) when (failure is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            Log.HandlerFailed(logger, "action", failure);
            var answer = Message(Reply.Private(null, InteractionFailure.Sentence));
            answer["replace_original"] = false;
            return answer;
        }
    }

    private async Task RespondAsync(Uri responseUrl, JsonObject answer, CancellationToken cancellationToken)
    {
        try
        {
            await api.RespondAsync(responseUrl, answer, cancellationToken);
        }
        catch (Exception failure) when (failure is SlackApiException or HttpRequestException)
        {
            // The response_url expired (30 minutes, 5 uses) or Slack is unreachable: nothing more can reach the member here.
            Log.Refused(logger, "response_url", (failure as SlackApiException)?.Error ?? failure.GetType().Name, failure);
        }
    }

    /// <summary>
    /// The workspace and the member of a button press or a modal submission, for the organiser check before the payload is
    /// read in full (empty when missing: <see cref="SlackInbound"/> then refuses the payload).
    /// </summary>
    private static (string Team, string User) InteractionMember(JsonObject payload) =>
        (SlackJson.Text(payload["team"]?["id"]) ?? SlackJson.Text(payload["user"]?["team_id"]) ?? "", SlackJson.Text(payload["user"]?["id"]) ?? "");

    /// <summary>A reply as a Slack message: <c>in_channel</c> only when Core meant it for everyone, else only the member sees it.</summary>
    internal static JsonObject Message(Reply reply)
    {
        var rendered = BlockKitRenderer.Render(reply);
        return new JsonObject
        {
            ["response_type"] = reply.Ephemeral ? "ephemeral" : "in_channel",
            ["text"] = rendered.Text,
            ["blocks"] = rendered.Blocks,
        };
    }

    private static Uri? Url(string? text) => Uri.TryCreate(text, UriKind.Absolute, out var url) ? url : null;

    private void Later(Task work)
    {
        _later.TryAdd(work, 0);
        _ = work.ContinueWith(
            finished =>
            {
                _later.TryRemove(finished, out _);
                if (finished.Exception is { } failure)
                {
                    Log.HandlerFailed(logger, "late answer", failure.GetBaseException());
                }
            },
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 840, Level = LogLevel.Debug, Message = "Slack {Type} envelope acknowledged; CoachBot does not act on it")]
        public static partial void Ignored(ILogger logger, string type);

        [LoggerMessage(EventId = 841, Level = LogLevel.Error, Message = "Handling a Slack {Kind} failed; the member was told to try again")]
        public static partial void HandlerFailed(ILogger logger, string kind, Exception exception);

        [LoggerMessage(EventId = 842, Level = LogLevel.Warning, Message = "A Slack {Type} payload was dropped: {Reason}")]
        public static partial void Dropped(ILogger logger, string type, string reason);

        [LoggerMessage(EventId = 843, Level = LogLevel.Warning, Message = "Slack refused {Method} ({Error})")]
        public static partial void Refused(ILogger logger, string method, string error, Exception exception);

        [LoggerMessage(EventId = 844, Level = LogLevel.Warning, Message = "A late answer to Slack {Kind} had no response_url to go to")]
        public static partial void NoResponseUrl(ILogger logger, string kind);
    }
}
