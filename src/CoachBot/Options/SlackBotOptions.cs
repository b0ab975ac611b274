using System.Text.RegularExpressions;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace CoachBot.Options;

/// <summary>
/// <c>Slack:Organisers</c>: Slack user ids (U… or W…) who may run the organiser commands in every workspace the app is
/// in, besides the workspace's admins and owners. The tokens and the client's settings of the same section are the
/// library's (<see cref="Slack.SlackClientOptions"/>).
/// </summary>
internal sealed class SlackBotOptions
{
    public const string SectionName = "Slack";

    public IList<string> Organisers { get; } = [];
}

/// <summary>Every <c>Slack:Organisers</c> item that is not a Slack user id, one sentence each (and a list given as one value).</summary>
internal sealed partial class SlackBotOptionsValidator(IConfiguration configuration) : IValidateOptions<SlackBotOptions>
{
    private const string OrganisersKey = SlackBotOptions.SectionName + ":" + nameof(SlackBotOptions.Organisers);

    public ValidateOptionsResult Validate(string? name, SlackBotOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (configuration[OrganisersKey] is { Length: > 0 } notAList)
        {
            failures.Add($"Slack:Organisers is '{notAList}', but it is a list: set Slack__Organisers__0 (then Slack__Organisers__1, …) to one user id each, "
                + "and remove Slack__Organisers.");
        }

        for (var index = 0; index < options.Organisers.Count; index++)
        {
            if (!UserId().IsMatch(options.Organisers[index]))
            {
                failures.Add($"Slack:Organisers holds '{options.Organisers[index]}', which is not a Slack user id: set Slack__Organisers__{index} to a member id "
                    + "such as U0123ABCD (the member's profile → ⋮ → Copy member ID) or remove it.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex("^[UW][A-Z0-9]{2,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex UserId();
}
