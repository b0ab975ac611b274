using CoachBot.Operations;
using CoachBot.Scheduling;
using CoachBot.Slack.SocketMode;
using CoachBot.Slack.WebApi;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace CoachBot.Platforms.Slack;

/// <summary>
/// CoachBot on Slack for the lifetime of the host: Socket Mode hands every envelope to <see cref="SlackInteractions"/>.
/// When Slack refuses a token (on the socket or on any Web API call, the sweep's included) or turns Socket Mode off for
/// the app, it logs the one sentence and stops the application with a non-zero exit code, never running on deaf. Where
/// Slack is the only platform, the health file is touched after each due-work tick while a Socket Mode connection is open,
/// so a process that lost Slack for good looks unhealthy.
/// </summary>
internal sealed partial class SlackBotService(
    SocketModeClient socket,
    SlackWebApiClient api,
    SlackInteractions interactions,
    SlackPlatformRole role,
    HealthFile health,
    DueWorkTicks ticks,
    BotRunOutcome outcome,
    IHostApplicationLifetime lifetime,
    ILogger<SlackBotService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        try
        {
            // The bot token is otherwise first used by a member's command or a reminder: a wrong one must stop the start.
            var identity = await api.TestAuthAsync(stoppingToken);
            Log.Identified(logger, identity.TeamName ?? identity.TeamId, identity.UserId);
        }
        catch (SlackAuthException refused)
        {
            Fail(refused.Message);
            return;
        }
        catch (Exception unreachable) when (unreachable is SlackApiException or HttpRequestException)
        {
            // Slack unreachable or unwell for now: Socket Mode keeps trying, and a refused token still stops the bot later.
            Log.NotIdentified(logger, unreachable.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            return;
        }

        Action markAlive = () =>
        {
            if (socket.IsConnected)
            {
                health.MarkAlive();
            }
        };
        if (role.RunsAlone)
        {
            ticks.Completed += markAlive;
        }

        using var stopping = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken);
        var running = socket.RunAsync(interactions.HandleAsync, stopping.Token);
        try
        {
            var rejection = api.TokenRejection.WaitAsync(stoppingToken);
            var first = await Task.WhenAny(running, rejection);
            if (first == running)
            {
                await running;
            }
            else if (rejection.IsCompletedSuccessfully)
            {
                Fail(await rejection);
            }
        }
        catch (SlackAuthException refused)
        {
            Fail(refused.Message);
        }
        catch (SocketModeDisabledException disabled)
        {
            Fail(disabled.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        catch (Exception unexpected) when (!stoppingToken.IsCancellationRequested)
        {
            // A bug, not Slack's refusal: stop with a non-zero code so a supervisor restarts the bot.
            Log.Crashed(logger, unexpected);
            Fail("The Slack connection stopped unexpectedly; see the error above. Restarting CoachBot usually helps.");
        }
        finally
        {
            ticks.Completed -= markAlive;
            await stopping.CancelAsync();
            await running.ContinueWith(_ => { }, TaskScheduler.Default);
            await interactions.DrainAsync().ContinueWith(_ => { }, TaskScheduler.Default);
        }
    }

    private void Fail(string reason)
    {
        outcome.ExitCode = CoachBotApp.ExitStartupFailed;
        outcome.FatalReason = reason;
        Log.Fatal(logger, reason);
        lifetime.StopApplication();
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 820, Level = LogLevel.Critical, Message = "{Reason}")]
        public static partial void Fatal(ILogger logger, string reason);

        [LoggerMessage(EventId = 821, Level = LogLevel.Error, Message = "The Slack Socket Mode loop failed")]
        public static partial void Crashed(ILogger logger, Exception exception);

        [LoggerMessage(EventId = 822, Level = LogLevel.Information, Message = "Slack: the bot token is the app's bot user {BotUserId} in workspace {Workspace}")]
        public static partial void Identified(ILogger logger, string workspace, string botUserId);

        [LoggerMessage(EventId = 823, Level = LogLevel.Warning, Message = "Slack's auth.test did not answer ({Problem}); connecting anyway")]
        public static partial void NotIdentified(ILogger logger, string problem);
    }
}

/// <summary>Whether Slack is the process's only platform (then it keeps the health file), or runs beside Discord (whose gateway does).</summary>
internal sealed record SlackPlatformRole(bool RunsAlone);
