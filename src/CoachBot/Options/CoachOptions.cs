using CoachBot.Core.Enrolment;
using Microsoft.Extensions.Options;

namespace CoachBot.Options;

/// <summary><c>Coach:DefaultTimeZone</c>: the time zone of members who have not set one.</summary>
internal sealed class CoachOptions
{
    public const string SectionName = "Coach";

    public string DefaultTimeZone { get; set; } = "UTC";
}

internal sealed class CoachOptionsValidator : IValidateOptions<CoachOptions>
{
    public ValidateOptionsResult Validate(string? name, CoachOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeZones.TryFind(options.DefaultTimeZone, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Coach:DefaultTimeZone '{options.DefaultTimeZone}' is not a time zone; set Coach__DefaultTimeZone to an IANA name such as '{TimeZones.Example}' or 'UTC'.");
    }
}
