namespace CoachBot.Core.Storage;

/// <summary>
/// What the organisers' web dashboard reads and writes beyond <see cref="ICoachStore"/>: one-time sign-in links, the
/// keys its cookies are protected with, and the server's messages. Every read and write names one server
/// (<c>platform</c> + <c>guildId</c>) and touches nothing of another: a server is a boundary, even for an id typed into
/// a URL by hand.
/// </summary>
public interface IDashboardStore
{
    /// <summary>Stores a new one-time sign-in link. Only the token's hash is stored; the token itself is never kept.</summary>
    Task SaveSignInLinkAsync(SignInLink link, CancellationToken cancellationToken);

    /// <summary>
    /// Uses the link whose token hashes to <paramref name="tokenHash"/>, at most once: atomically, so of two requests at
    /// the same moment one signs in and the other is told the link was used.
    /// </summary>
    Task<SignInRedemption> RedeemSignInLinkAsync(string tokenHash, DateTimeOffset now, CancellationToken cancellationToken);

    /// <summary>Deletes links that expired before <paramref name="before"/>, used or not; returns how many.</summary>
    Task<int> DeleteExpiredSignInLinksAsync(DateTimeOffset before, CancellationToken cancellationToken);

    /// <summary>The dashboard's cookie-protection keys (ASP.NET Data Protection XML elements), oldest first.</summary>
    Task<IReadOnlyList<string>> GetDataProtectionKeysAsync(CancellationToken cancellationToken);

    /// <summary>Stores one more key element under its friendly name (unique; storing a name twice keeps the first).</summary>
    Task StoreDataProtectionKeyAsync(string friendlyName, string xml, CancellationToken cancellationToken);

    /// <summary>
    /// The server's messages in any of <paramref name="states"/>, newest first, at most <paramref name="limit"/>:
    /// reminders, check-ins and finales of enrolments made in this server, and this server's digests.
    /// </summary>
    Task<IReadOnlyList<ServerDelivery>> GetServerDeliveriesAsync(
        string platform, string guildId, IReadOnlyCollection<DeliveryState> states, int limit, CancellationToken cancellationToken);

    /// <summary>The messages of one enrolment, newest first, at most <paramref name="limit"/>; empty when the enrolment is not this server's.</summary>
    Task<IReadOnlyList<ServerDelivery>> GetEnrolmentDeliveriesAsync(
        string platform, string guildId, long enrolmentId, int limit, CancellationToken cancellationToken);

    /// <summary>The server's items set aside after a failure (its enrolments' slots and its digest).</summary>
    Task<IReadOnlyList<QuarantinedItem>> GetQuarantinedItemsAsync(string platform, string guildId, CancellationToken cancellationToken);

    /// <summary>
    /// Puts a failed message of this server back to be sent by the next sweep, under the same key and nonce (so it is
    /// still sent at most once); false when <paramref name="deliveryId"/> is not a failed message of this server.
    /// </summary>
    Task<bool> RetryFailedDeliveryAsync(string platform, string guildId, long deliveryId, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>A one-time sign-in link to one server's dashboard, for the organiser who asked for it.</summary>
/// <param name="TokenHash">SHA-256 of the token in the link, lowercase hex.</param>
public sealed record SignInLink(
    string TokenHash, string Platform, string GuildId, string UserId, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt);

public enum SignInOutcome
{
    SignedIn,
    Unknown,
    AlreadyUsed,
    Expired,
}

/// <summary>What using a link gave: <see cref="Link"/> is set only when <see cref="Outcome"/> is <see cref="SignInOutcome.SignedIn"/>.</summary>
public sealed record SignInRedemption(SignInOutcome Outcome, SignInLink? Link = null);

/// <summary>One message of a server as the dashboard lists it: what, to whom, its state and the last outcome.</summary>
/// <param name="MemberId">The recipient of a reminder, check-in or finale; null for a digest.</param>
/// <param name="MemberName">The recipient's display name, when there is one.</param>
public sealed record ServerDelivery(
    long Id,
    DeliveryKey Key,
    long? MemberId,
    string? MemberName,
    long? EnrolmentId,
    DeliveryState State,
    DateTimeOffset ClaimedAt,
    DateTimeOffset? SentAt,
    int Attempts,
    string? LastError);
