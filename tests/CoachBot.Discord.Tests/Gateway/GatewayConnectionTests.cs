using CoachBot.Discord.Gateway;
using CoachBot.Discord.Models;
using CoachBot.Discord.Tests.Support;

namespace CoachBot.Discord.Tests.Gateway;

public sealed class GatewayConnectionTests
{
    private readonly ObservedTimeProvider _time = new(DateTimeOffset.UnixEpoch);

    [Fact]
    public async Task SendAsync_WhenTheSendLimitIsReached_WaitsForTheWindowButLetsHeartbeatsThrough()
    {
        var options = new DiscordClientOptions { GatewaySendLimit = 2, GatewaySendWindow = TimeSpan.FromSeconds(60) };
        await using var connection = new GatewayConnection(new ScriptedTransport(), options, _time);
        var frame = new HeartbeatFrame(1);

        await connection.SendAsync(frame, DiscordJsonContext.Default.HeartbeatFrame, CancellationToken.None);
        await connection.SendAsync(frame, DiscordJsonContext.Default.HeartbeatFrame, CancellationToken.None);
        var third = connection.SendAsync(frame, DiscordJsonContext.Default.HeartbeatFrame, CancellationToken.None);
        await _time.TryWaitUntilAsync(() => third.IsCompleted || _time.ArmedTimers > 0, TimeSpan.FromSeconds(30));
        var waitedForWindow = !third.IsCompleted;
        var moved = await _time.AdvanceUntilAsync(() => third.IsCompleted, TimeSpan.FromSeconds(5), TimeSpan.FromMinutes(2));
        await third;

        Assert.True(waitedForWindow);
        Assert.True(moved >= TimeSpan.FromSeconds(60));
    }

    [Fact]
    public async Task SendAsync_WhenThePayloadExceeds4096Bytes_RefusesToSendIt()
    {
        var transport = new ScriptedTransport();
        await using var connection = new GatewayConnection(transport, new DiscordClientOptions(), _time);
        var huge = new IdentifyFrame(new IdentifyData { Token = "t", Intents = 1, Properties = new IdentifyProperties(new string('x', 5000), "b", "d"), Shard = [0, 1] });

        await Assert.ThrowsAsync<InvalidOperationException>(() => connection.SendAsync(huge, DiscordJsonContext.Default.IdentifyFrame, CancellationToken.None));

        Assert.False(transport.TryTakeSent(out _));
    }
}
