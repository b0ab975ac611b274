using CoachBot.Discord;
using CoachBot.Discord.Gateway;
using CoachBot.Discord.Interactions;
using CoachBot.Discord.Models;
using CoachBot.Discord.Rest;
using CoachBot.Operations;
using CoachBot.Options;
using CoachBot.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace CoachBot.Platforms.Discord;

/// <summary>
/// Runs the gateway shards of <c>Discord:ShardIds</c> for the lifetime of the host: the process that runs shard 0
/// registers the commands at its first READY (bulk overwrite only when they changed), interactions go to the
/// <see cref="InteractionRouter"/>, and on a fatal stop (bad token, disallowed intents, wrong shard count) it logs the
/// one sentence and stops the application with a non-zero exit code. With <c>Discord:ShardIds</c> = <c>none</c> it opens
/// no gateway: the process only sweeps and sends over REST, marks itself alive after each due-work tick, and stops the
/// same way when Discord rejects the token. On shutdown the gateway closes with 1000 after in-flight interactions finish.
/// </summary>
internal sealed partial class DiscordBotService(
    GatewayClient gateway,
    DiscordRestClient rest,
    ApplicationCommandRegistrar registrar,
    InteractionRouter router,
    HealthFile health,
    CoachBotMetrics metrics,
    DueWorkTicks ticks,
    IOptions<DiscordClientOptions> clientOptions,
    IOptions<DiscordBotOptions> options,
    BotRunOutcome outcome,
    TimeProvider time,
    IHostApplicationLifetime lifetime,
    ILogger<DiscordBotService> logger) : BackgroundService
{
    private int _registered;
    private Task _registration = Task.CompletedTask;

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var shards = clientOptions.Value.SelectedShards();
        if (shards.RunsNone)
        {
            await SweepOnlyAsync(stoppingToken);
            return;
        }

        if (!shards.Includes(0))
        {
            LogCommandsLeftToShardZero(logger, clientOptions.Value.ShardIds);
        }

        gateway.Ready += OnReadyAsync;
        gateway.InteractionCreated += router.HandleAsync;
        gateway.ReportHealthAndMetrics(health, metrics, time);
        try
        {
            await gateway.RunAsync(stoppingToken);
        }
        catch (GatewayFatalException fatal)
        {
            Fail(fatal.Message);
        }
        catch (Exception unexpected) when (!stoppingToken.IsCancellationRequested)
        {
            // A bug, not Discord's refusal: stop with a non-zero code so a supervisor restarts the bot.
            LogCrashed(logger, unexpected);
            Fail("The Discord connection stopped unexpectedly; see the error above. Restarting CoachBot usually helps.");
        }
        finally
        {
            gateway.Ready -= OnReadyAsync;
            gateway.InteractionCreated -= router.HandleAsync;
            await AwaitRegistrationAsync();
        }
    }

    // No gateway: the REST client's token watch is what would otherwise stop a bot whose token was reset.
    private async Task SweepOnlyAsync(CancellationToken stoppingToken)
    {
        LogSweepOnly(logger);
        Action markAlive = health.MarkAlive;
        ticks.Completed += markAlive;
        try
        {
            var rejection = await rest.TokenRejection.WaitAsync(stoppingToken);
            Fail(rejection);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Shutting down.
        }
        finally
        {
            ticks.Completed -= markAlive;
        }
    }

    private void Fail(string reason)
    {
        outcome.ExitCode = CoachBotApp.ExitStartupFailed;
        outcome.FatalReason = reason;
        LogFatal(logger, reason);
        lifetime.StopApplication();
    }

    private Task OnReadyAsync(GatewayReady ready, CancellationToken cancellationToken)
    {
        // Only the process running shard 0 registers (every shard has the same application), and once: a later READY
        // (a new session after a failed resume) has the same definitions.
        if (ready.ShardId == 0 && Interlocked.CompareExchange(ref _registered, 1, 0) == 0)
        {
            // A few REST calls: made beside the gateway's event queue, so members' first commands are not held up behind them.
            _registration = Task.Run(() => RegisterCommandsAsync(ready, cancellationToken), CancellationToken.None);
        }

        return Task.CompletedTask;
    }

    private async Task AwaitRegistrationAsync()
    {
        try
        {
            await _registration;
        }
        catch (OperationCanceledException)
        {
            // Stopped mid-way by shutdown: the next start compares and registers again.
        }
    }

    private async Task RegisterCommandsAsync(GatewayReady ready, CancellationToken cancellationToken)
    {
        try
        {
            var guildIds = options.Value.GuildIds;
            if (guildIds.Count == 0)
            {
                await registrar.SyncGlobalCommandsAsync(ready.ApplicationId, CommandDefinitions.All, cancellationToken);
                return;
            }

            foreach (var guildId in guildIds)
            {
                await registrar.SyncGuildCommandsAsync(ready.ApplicationId, Snowflake.Parse(guildId), CommandDefinitions.All, cancellationToken);
            }
        }
        catch (DiscordApiException failure)
        {
            Volatile.Write(ref _registered, 0);
            LogRegistrationFailed(logger, failure.Code, failure.Code == DiscordErrorCodes.MissingAccess
                ? "invite the bot to each server in Discord__GuildIds with the applications.commands scope"
                : "the next connection tries again", failure);
        }
        catch (Exception failure) when (failure is not OperationCanceledException)
        {
            // Discord unreachable past the client's retries, say: the commands already registered keep working.
            Volatile.Write(ref _registered, 0);
            LogRegistrationFailed(logger, null, "the next connection tries again", failure);
        }
    }

    [LoggerMessage(EventId = 420, Level = LogLevel.Critical, Message = "{Reason}")]
    private static partial void LogFatal(ILogger logger, string reason);

    [LoggerMessage(EventId = 422, Level = LogLevel.Error, Message = "The gateway loop failed")]
    private static partial void LogCrashed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 423, Level = LogLevel.Information, Message = "Discord:ShardIds is none: no gateway in this process; it sweeps and sends over REST only, and the processes with shards answer commands")]
    private static partial void LogSweepOnly(ILogger logger);

    [LoggerMessage(EventId = 424, Level = LogLevel.Information, Message = "Running shards {ShardIds} without shard 0: the process that runs shard 0 registers the slash commands")]
    private static partial void LogCommandsLeftToShardZero(ILogger logger, string shardIds);

    [LoggerMessage(EventId = 421, Level = LogLevel.Error, Message = "Registering the slash commands failed (code {Code}): {Fix}")]
    private static partial void LogRegistrationFailed(ILogger logger, int? code, string fix, Exception exception);
}
