namespace CoachBot.Core.Storage;

/// <summary>
/// The member is already enrolled in the pathway: another enrolment got there first (two <c>/enroll</c> at once).
/// Nothing was changed.
/// </summary>
public sealed class AlreadyEnrolledException(long memberId, string pathwayId)
    : Exception($"Member {memberId} is already enrolled in {pathwayId}.")
{
    public long MemberId { get; } = memberId;

    public string PathwayId { get; } = pathwayId;
}
