namespace CoachBot.Core.Storage;

/// <summary>
/// One item of a sweep (an enrolment's reminder or check-in slot, a server's digest) that failed and is set aside so
/// that it never holds up the others. <see cref="Subject"/> and <see cref="Slot"/> name it as delivery keys do
/// (<c>enrolment:12</c> + <c>reminder</c>, <c>server:discord:34</c> + <c>digest</c>); <see cref="EnrolmentId"/> and
/// <see cref="ExpectedAt"/> are set for an enrolment's slot, whose next run moves to the retry time.
/// </summary>
public sealed record QuarantineFailure(
    string Subject,
    string Slot,
    string? Platform,
    string? GuildId,
    long? EnrolmentId,
    DateTimeOffset? ExpectedAt,
    string Error,
    DateTimeOffset At);

/// <summary>Back-off of a quarantined item: <see cref="First"/> after the first failure, doubling with each further one, never more than <see cref="Max"/>.</summary>
public sealed record QuarantineBackOff(TimeSpan First, TimeSpan Max)
{
    /// <summary>When to try again after the <paramref name="failures"/>-th failure in a row at <paramref name="at"/>.</summary>
    public DateTimeOffset RetryAt(DateTimeOffset at, int failures)
    {
        var delay = First.TotalMinutes * Math.Pow(2, Math.Clamp(failures - 1, 0, 30));
        return at + TimeSpan.FromMinutes(Math.Min(delay, Max.TotalMinutes));
    }
}

/// <summary>A quarantined item as stored: how often it failed in a row, when it is tried again, and the last cause.</summary>
public sealed record QuarantinedItem(string Subject, string Slot, int Failures, DateTimeOffset FirstFailedAt, DateTimeOffset RetryAt, string LastError);
