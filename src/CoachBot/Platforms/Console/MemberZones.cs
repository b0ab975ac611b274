using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;

namespace CoachBot.Platforms.Console;

/// <summary>
/// The zone a member reads times in: their own (set with <c>/enroll</c> or <c>/remind</c>), else
/// <c>Coach:DefaultTimeZone</c>, the same rule the replies and the schedule use.
/// </summary>
internal sealed class MemberZones(ICoachStore store, CoachSettings settings)
{
    /// <summary>The server's zone: where channel posts are read by everyone.</summary>
    public TimeZoneInfo Default => settings.DefaultTimeZone;

    public async Task<TimeZoneInfo> OfAsync(MemberRef member, CancellationToken cancellationToken) =>
        await store.FindMemberAsync(MemberKey.Of(member), cancellationToken) is { } row ? settings.ZoneOf(row) : settings.DefaultTimeZone;
}
