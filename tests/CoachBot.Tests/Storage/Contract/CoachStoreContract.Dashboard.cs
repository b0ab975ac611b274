using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Operations;
using CoachBot.Scheduling;
using CoachBot.Testing;
using CoachBot.Tests.Operations;
using CoachBot.Tests.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Storage.Contract;

/// <summary>
/// The organisers' dashboard (<see cref="IDashboardStore"/>): a sign-in link signs in once, to its own server; the
/// dashboard shows a server its own messages and set-aside items only (platform and guild id together); a retried
/// failed message is sent once more by the ordinary sweep, under its key and nonce; the cookie keys are kept.
/// </summary>
public abstract partial class CoachStoreContract
{
    private static readonly DeliveryState[] _everyState = [DeliveryState.Claimed, DeliveryState.Sent, DeliveryState.Failed, DeliveryState.Skipped];

    [SkippableFact]
    public async Task RedeemSignInLink_SignsInOnce_ToTheLinksServer_AndASecondUseIsTold_AlreadyUsed()
    {
        var link = Link("a");
        await Dashboard.SaveSignInLinkAsync(link, _none);

        var first = await Dashboard.RedeemSignInLinkAsync(link.TokenHash, Now.AddMinutes(1), _none);
        var second = await Dashboard.RedeemSignInLinkAsync(link.TokenHash, Now.AddMinutes(2), _none);

        Assert.Equal(new SignInRedemption(SignInOutcome.SignedIn, link), first);
        Assert.Equal(new SignInRedemption(SignInOutcome.AlreadyUsed), second);
    }

    [SkippableFact]
    public async Task RedeemSignInLink_AtOrAfterItsExpiry_IsExpired_AndAnUnknownTokenIsUnknown()
    {
        var link = Link("a");
        await Dashboard.SaveSignInLinkAsync(link, _none);

        Assert.Equal(SignInOutcome.Expired, (await Dashboard.RedeemSignInLinkAsync(link.TokenHash, link.ExpiresAt, _none)).Outcome);
        Assert.Equal(SignInOutcome.Expired, (await Dashboard.RedeemSignInLinkAsync(link.TokenHash, link.ExpiresAt.AddHours(1), _none)).Outcome);
        Assert.Equal(new SignInRedemption(SignInOutcome.Unknown), await Dashboard.RedeemSignInLinkAsync(Hash("never-issued"), Now, _none));
        // An expired link was not used by those attempts: a clock that went back still finds it unused.
        Assert.Equal(SignInOutcome.SignedIn, (await Dashboard.RedeemSignInLinkAsync(link.TokenHash, Now, _none)).Outcome);
    }

    [SkippableFact]
    public async Task RedeemSignInLink_TwoRequestsAtOnce_FromTwoInstances_ExactlyOneSignsIn()
    {
        var instances = new[] { Instance, await OpenAnotherStoreAsync() };
        var links = Enumerable.Range(0, 10).Select(i => Link("t" + i)).ToList();
        foreach (var link in links)
        {
            await Dashboard.SaveSignInLinkAsync(link, _none);
        }

        var outcomes = await Task.WhenAll(links.SelectMany(link => instances.Select(instance =>
            Task.Run(async () => (link.TokenHash, (await instance.Dashboard.RedeemSignInLinkAsync(link.TokenHash, Now.AddMinutes(1), _none)).Outcome)))));

        Assert.All(outcomes.GroupBy(outcome => outcome.TokenHash), attempts =>
            Assert.Equal([SignInOutcome.SignedIn, SignInOutcome.AlreadyUsed], attempts.Select(attempt => attempt.Outcome).Order()));
    }

    [SkippableFact]
    public async Task DeleteExpiredSignInLinks_RemovesThoseExpiredBefore_UsedOrNot_AndKeepsTheRest()
    {
        var usedAndExpired = Link("used", expiresAt: Now.AddMinutes(5));
        var expired = Link("expired", expiresAt: Now.AddMinutes(8));
        var live = Link("live", expiresAt: Now.AddMinutes(20));
        foreach (var link in new[] { usedAndExpired, expired, live })
        {
            await Dashboard.SaveSignInLinkAsync(link, _none);
        }

        await Dashboard.RedeemSignInLinkAsync(usedAndExpired.TokenHash, Now, _none);

        Assert.Equal(2, await Dashboard.DeleteExpiredSignInLinksAsync(Now.AddMinutes(10), _none));
        Assert.Equal(SignInOutcome.Unknown, (await Dashboard.RedeemSignInLinkAsync(expired.TokenHash, Now, _none)).Outcome);
        Assert.Equal(SignInOutcome.Unknown, (await Dashboard.RedeemSignInLinkAsync(usedAndExpired.TokenHash, Now, _none)).Outcome);
        Assert.Equal(SignInOutcome.SignedIn, (await Dashboard.RedeemSignInLinkAsync(live.TokenHash, Now.AddMinutes(10), _none)).Outcome);
    }

    [SkippableFact]
    public async Task DataProtectionKeys_AreReadBackOldestFirst_AndAStoredNameKeepsItsFirstKey()
    {
        Assert.Empty(await Dashboard.GetDataProtectionKeysAsync(_none));

        await Dashboard.StoreDataProtectionKeyAsync("key-b", "<key id=\"b\" />", _none);
        // The keys are stamped by the database's own clock (the interface takes no time), to the millisecond: the real
        // clock must move on for the second to be the newer one.
        await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, _none);
        await Dashboard.StoreDataProtectionKeyAsync("key-a", "<key id=\"a\" />", _none);
        await Dashboard.StoreDataProtectionKeyAsync("key-b", "<key id=\"b-again\" />", _none);

        Assert.Equal(["<key id=\"b\" />", "<key id=\"a\" />"], await Dashboard.GetDataProtectionKeysAsync(_none));
        Assert.Equal(["<key id=\"b\" />", "<key id=\"a\" />"], await (await OpenAnotherStoreAsync()).Dashboard.GetDataProtectionKeysAsync(_none));
    }

    [SkippableFact]
    public async Task GetServerDeliveries_ListsThatServersMessagesNewestFirst_NeverAnotherServers_ADmScopes_OrTheSameGuildOnAnotherPlatform()
    {
        var servers = await FillServersAsync();

        var failed = await Dashboard.GetServerDeliveriesAsync("discord", "guild-1", [DeliveryState.Failed], 50, _none);
        var all = await Dashboard.GetServerDeliveriesAsync("discord", "guild-1", _everyState, 50, _none);
        var newest = await Dashboard.GetServerDeliveriesAsync("discord", "guild-1", _everyState, 2, _none);

        Assert.Equal([servers.Digest, servers.AdaFailed], failed.Select(delivery => delivery.Id));
        Assert.Equal([servers.Digest, servers.AdaFailed, servers.AdaSent, servers.AdaSkipped], all.Select(delivery => delivery.Id));
        Assert.Equal([servers.Digest, servers.AdaFailed], newest.Select(delivery => delivery.Id));
        var adas = all.Single(delivery => delivery.Id == servers.AdaFailed);
        Assert.Equal((servers.Ada.MemberId, "User ada", servers.Ada.Id, DeliveryState.Failed, 1, "HTTP 500"), (adas.MemberId, adas.MemberName, adas.EnrolmentId, adas.State, adas.Attempts, adas.LastError));
        Assert.Equal(ReminderKey(servers.Ada, "2026-W50"), adas.Key);
        var digest = all.Single(delivery => delivery.Id == servers.Digest);
        Assert.Equal(((long?)null, (string?)null, (long?)null, "digest"), (digest.MemberId, digest.MemberName, digest.EnrolmentId, digest.Key.Kind));
        Assert.Equal([servers.SlackDigest, servers.SlackFailed], (await Dashboard.GetServerDeliveriesAsync("slack", "guild-1", _everyState, 50, _none)).Select(delivery => delivery.Id));
        Assert.Empty(await Dashboard.GetServerDeliveriesAsync("discord", "guild-1", [], 50, _none));
    }

    [SkippableFact]
    public async Task GetEnrolmentDeliveries_ListsThatEnrolmentsMessages_OnlyToItsOwnServer()
    {
        var servers = await FillServersAsync();

        var adas = await Dashboard.GetEnrolmentDeliveriesAsync("discord", "guild-1", servers.Ada.Id, 50, _none);

        Assert.Equal([servers.AdaFailed, servers.AdaSent, servers.AdaSkipped], adas.Select(delivery => delivery.Id));
        Assert.Empty(await Dashboard.GetEnrolmentDeliveriesAsync("discord", "guild-2", servers.Ada.Id, 50, _none));
        Assert.Empty(await Dashboard.GetEnrolmentDeliveriesAsync("slack", "guild-1", servers.Ada.Id, 50, _none));
        Assert.Empty(await Dashboard.GetEnrolmentDeliveriesAsync("discord", "guild-1", servers.Bob.Id, 50, _none));
    }

    [SkippableFact]
    public async Task RetryFailedDelivery_PutsThatServersFailedMessageBack_UnderItsKeyAndNonce_AndNothingElse()
    {
        var servers = await FillServersAsync();
        var before = await Dashboard.GetServerDeliveriesAsync("discord", "guild-2", _everyState, 50, _none);

        Assert.False(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", servers.BobFailed, Now, _none));
        Assert.False(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", servers.SlackFailed, Now, _none));
        Assert.False(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", servers.DmFailed, Now, _none));
        Assert.False(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", servers.AdaSent, Now, _none));
        Assert.False(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", servers.AdaSkipped, Now, _none));
        Assert.False(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", 999_999, Now, _none));
        Assert.Equal(before, await Dashboard.GetServerDeliveriesAsync("discord", "guild-2", _everyState, 50, _none));
        Assert.Empty(await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none));

        Assert.True(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", servers.AdaFailed, Now, _none));
        Assert.True(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", servers.Digest, Now, _none));
        Assert.False(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", servers.AdaFailed, Now, _none));

        var retried = (await Outbox.GetDeliveryAsync(ReminderKey(servers.Ada, "2026-W50"), _none))!;
        Assert.Equal((DeliveryState.Claimed, 0, "HTTP 500", "ada-w50"), (retried.State, retried.Attempts, retried.LastError, retried.Nonce));
        var leased = await Outbox.LeaseDeliveriesAsync(Now, Now.AddMinutes(2), 10, _none);
        Assert.Equal([servers.AdaFailed, servers.Digest], leased.Select(delivery => delivery.Id).Order());
        Assert.Equal("ada-w50", leased.Single(delivery => delivery.Id == servers.AdaFailed).Nonce);
    }

    [SkippableFact]
    public async Task ARetriedFailedReminder_IsSentOnce_ByTheNextSweep()
    {
        var clock = new FakeTimeProvider(Now);
        var messenger = new RecordingMessenger(clock) { DmResult = _ => DeliveryResult.Failed("HTTP 500") };
        var runner = Runner(messenger, clock);
        var ada = await EnrolAsync("ada", pathwayId: "course");
        await Outbox.TryClaimDeliveryAsync(Claimed(ada, "ada-w50", Now), _none);
        await runner.RunDueWorkAsync(_none);
        var failed = (await Outbox.GetDeliveryAsync(ReminderKey(ada), _none))!;
        Assert.Equal(DeliveryState.Failed, failed.State);

        messenger.DmResult = _ => DeliveryResult.Delivered;
        clock.Advance(TimeSpan.FromMinutes(5));
        Assert.True(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", failed.Id, clock.GetUtcNow(), _none));
        await runner.RunDueWorkAsync(_none);
        clock.Advance(TimeSpan.FromMinutes(5));
        await runner.RunDueWorkAsync(_none);

        var sent = (await Outbox.GetDeliveryAsync(ReminderKey(ada), _none))!;
        Assert.Equal((DeliveryState.Sent, (string?)null, (DateTimeOffset?)clock.GetUtcNow().AddMinutes(-5)), (sent.State, sent.LastError, sent.SentAt));
        Assert.Equal(["ada", "ada"], messenger.Attempts);
        Assert.Equal("ada-w50", Assert.Single(messenger.DmsTo("ada")).Nonce);
        Assert.False(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", failed.Id, clock.GetUtcNow(), _none));
    }

    [SkippableFact]
    public async Task ARetryForAMemberWhoseDmsAreClosed_WithNoGroupChannel_FailsAgainWithoutADm_AndCanBeRetriedLater()
    {
        var clock = new FakeTimeProvider(Now);
        var messenger = new RecordingMessenger(clock) { DmResult = _ => DeliveryResult.DmClosed("50007") };
        var runner = Runner(messenger, clock);
        var ada = await EnrolAsync("ada", pathwayId: "course");
        await Outbox.TryClaimDeliveryAsync(Claimed(ada, "ada-w50", Now), _none);
        await runner.RunDueWorkAsync(_none);
        var failed = (await Outbox.GetDeliveryAsync(ReminderKey(ada), _none))!;

        Assert.True(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", failed.Id, clock.GetUtcNow(), _none));
        await runner.RunDueWorkAsync(_none);

        // The member's closed DMs are remembered until their next command: the retry tries no DM and, with no group
        // channel to fall back on, fails again at once; nothing was sent, and the organiser may retry once that changes.
        var again = (await Outbox.GetDeliveryAsync(ReminderKey(ada), _none))!;
        Assert.Equal((DeliveryState.Failed, 1), (again.State, again.Attempts));
        Assert.Contains("DMs closed", again.LastError, StringComparison.Ordinal);
        Assert.Equal(["ada"], messenger.Attempts);
        Assert.Empty(messenger.Messages);
        Assert.True(await Dashboard.RetryFailedDeliveryAsync("discord", "guild-1", failed.Id, clock.GetUtcNow(), _none));
    }

    [SkippableFact]
    public async Task GetQuarantinedItems_ListsThatServersSetAsideItems_Only()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob", guildId: "guild-2");
        var cy = await EnrolAsync("cy", platform: "slack");
        var backOff = new QuarantineBackOff(TimeSpan.FromMinutes(5), TimeSpan.FromDays(1));
        await Outbox.QuarantineAsync(SlotFailure(ada, "discord"), backOff, _none);
        await Outbox.QuarantineAsync(SlotFailure(bob, "discord"), backOff, _none);
        await Outbox.QuarantineAsync(SlotFailure(cy, "slack"), backOff, _none);
        foreach (var (platform, guild) in new[] { ("discord", "guild-1"), ("discord", "guild-2"), ("slack", "guild-1") })
        {
            await Outbox.QuarantineAsync(
                new QuarantineFailure($"server:{platform}:{guild}", "digest", platform, guild, null, null, "no channel", Now.AddMinutes(1)), backOff, _none);
        }

        var items = await Dashboard.GetQuarantinedItemsAsync("discord", "guild-1", _none);

        Assert.Equal([($"enrolment:{ada.Id}", "reminder", "boom"), ("server:discord:guild-1", "digest", "no channel")],
            items.Select(item => (item.Subject, item.Slot, item.LastError)));
        Assert.Equal((1, Now, Now.AddMinutes(5)), (items[0].Failures, items[0].FirstFailedAt, items[0].RetryAt));
        Assert.Empty(await Dashboard.GetQuarantinedItemsAsync("discord", "guild-9", _none));
    }

    private static SignInLink Link(string token, DateTimeOffset? expiresAt = null) =>
        new(Hash(token), "discord", "guild-1", "organiser-1", Now, expiresAt ?? Now.AddMinutes(10));

    private static string Hash(string token) =>
        Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(token)));

    /// <summary>The sweep as the bot runs it, on this store instance, over the scheduling tests' pathway ("course").</summary>
    private DueWorkRunner Runner(RecordingMessenger messenger, FakeTimeProvider clock) =>
        new(Store, Outbox, SchedulingHarness.Pathways, SchedulingHarness.Settings, messenger, clock, new DueWorkOptions { MaxAttempts = 1 },
            new CoachBotMetrics(new TestMeterFactory(), clock), NullLogger<DueWorkRunner>.Instance);

    /// <summary>
    /// Messages of several servers: discord guild-1 (Ada's failed, sent and skipped reminders, a failed digest), discord
    /// guild-2 (Bob's failed reminder, a failed digest), slack guild-1 (Cy's failed reminder) and Dee's DM scope.
    /// </summary>
    private async Task<Servers> FillServersAsync()
    {
        var ada = await EnrolAsync("ada");
        var bob = await EnrolAsync("bob", guildId: "guild-2");
        var cy = await EnrolAsync("cy", platform: "slack");
        var dee = await EnrolAsync("dee", guildId: "dm:dee");
        var adaSent = await RecordAsync(Claimed(ada, "ada-w49", Now.AddDays(-7), "2026-W49"), DeliveryState.Sent);
        var adaSkipped = await RecordAsync(Claimed(ada, "ada-w48", Now.AddDays(-14), "2026-W48"), DeliveryState.Skipped);
        var adaFailed = await RecordAsync(Claimed(ada, "ada-w50", Now), DeliveryState.Failed);
        var bobFailed = await RecordAsync(Claimed(bob, "bob-w50", Now.AddMinutes(2)), DeliveryState.Failed);
        var slackFailed = await RecordAsync(Claimed(cy, "cy-w50", Now.AddMinutes(3)) with { Platform = "slack" }, DeliveryState.Failed);
        var dmFailed = await RecordAsync(Claimed(dee, "dee-w50", Now.AddMinutes(4)), DeliveryState.Failed);
        var digest = await RecordAsync(Digest("discord", "guild-1", Now.AddMinutes(1)), DeliveryState.Failed);
        await RecordAsync(Digest("discord", "guild-2", Now.AddMinutes(5)), DeliveryState.Failed);
        var slackDigest = await RecordAsync(Digest("slack", "guild-1", Now.AddMinutes(6)), DeliveryState.Failed);
        return new Servers(ada, bob, adaFailed, adaSent, adaSkipped, digest, bobFailed, slackFailed, slackDigest, dmFailed);
    }

    private static NewDelivery Digest(string platform, string guildId, DateTimeOffset at) =>
        new(new DeliveryKey($"server:{platform}:{guildId}", "digest", "2026-W50"), null, null, $"digest-{platform}-{guildId}", at, DeliveryState.Claimed, "{}", platform, guildId);

    /// <summary>Claims the message, then records one attempt with <paramref name="outcome"/>, as the sweep does; returns its id.</summary>
    private async Task<long> RecordAsync(NewDelivery delivery, DeliveryState outcome)
    {
        await Outbox.TryClaimDeliveryAsync(delivery, _none);
        var id = (await Outbox.GetDeliveryAsync(delivery.Key, _none))!.Id;
        var error = outcome == DeliveryState.Failed ? "HTTP 500" : null;
        await Outbox.RecordDeliveryOutcomesAsync([new DeliveryAttempt(id, outcome, delivery.ClaimedAt, null, error)], _none);
        return id;
    }

    private sealed record Servers(
        EnrolmentRow Ada, EnrolmentRow Bob, long AdaFailed, long AdaSent, long AdaSkipped, long Digest, long BobFailed, long SlackFailed, long SlackDigest, long DmFailed);
}
