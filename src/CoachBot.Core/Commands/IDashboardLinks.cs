using CoachBot.Core.Messaging;

namespace CoachBot.Core.Commands;

/// <summary>
/// Makes the one-time sign-in link that <c>/coach dashboard</c> hands an organiser: the host's, since only it knows
/// where the dashboard listens and keeps the token's hash.
/// </summary>
public interface IDashboardLinks
{
    /// <summary>A link to the dashboard of <paramref name="organiser"/>'s server, or null when the dashboard is off.</summary>
    Task<DashboardLink?> CreateAsync(MemberRef organiser, DateTimeOffset now, CancellationToken cancellationToken);
}

/// <summary>A sign-in link and the moment it stops working.</summary>
public sealed record DashboardLink(Uri Url, DateTimeOffset ExpiresAt);
