namespace CoachBot.Core.Commands;

/// <summary>
/// Makes a member's personal calendar feed link (<c>/calendar</c>): the host's, since only it knows where its web host
/// listens; it keeps the token's hash through the store.
/// </summary>
public interface ICalendarLinks
{
    /// <summary>Whether feeds are served now (the web host runs): without it a link would lead nowhere.</summary>
    bool IsAvailable { get; }

    /// <summary>A new feed link for the member, replacing any earlier one; null when no web host runs (the file is sent instead).</summary>
    Task<Uri?> CreateAsync(long memberId, DateTimeOffset now, CancellationToken cancellationToken);
}
