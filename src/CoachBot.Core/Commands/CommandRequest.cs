using CoachBot.Core.Messaging;

namespace CoachBot.Core.Commands;

/// <summary>A slash command as any platform hands it over: who, from where, which command, which option values.</summary>
/// <param name="Member">The member; <see cref="MemberRef.Scope"/> is the server (guild) it was typed in.</param>
/// <param name="IsOrganiser">The platform says the member may manage the server (Discord: Manage Server).</param>
/// <param name="Options">Option values by option name, as text (e.g. <c>start</c> → <c>2026-12-01</c>).</param>
public sealed record CommandRequest(
    MemberRef Member,
    string DisplayName,
    bool IsOrganiser,
    string Name,
    IReadOnlyDictionary<string, string> Options)
{
    /// <summary>
    /// The member's time zone as the platform's profile gives it (Slack's users.info), or null: used when they enrol
    /// without naming one and have none set yet, so reminders come at their local time from the start.
    /// </summary>
    public string? ProfileTimeZone { get; init; }
}

/// <summary>A button press: the action id the button carried, and the text typed into its prompt, if it had one.</summary>
public sealed record ActionRequest(MemberRef Member, string DisplayName, bool IsOrganiser, string ActionId, string? Text = null);

/// <summary>A member typing into an option that offers suggestions.</summary>
public sealed record AutocompleteRequest(MemberRef Member, string CommandName, string OptionName, string Partial);

public sealed record AutocompleteChoice(string Label, string Value);

/// <summary>An expected problem with what the member typed; its message is one sentence that says what to do.</summary>
public sealed class CommandException(string message) : Exception(message);
