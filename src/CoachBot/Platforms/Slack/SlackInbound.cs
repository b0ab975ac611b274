using System.Text.Json.Nodes;
using CoachBot.Slack;
using System.Text.RegularExpressions;
using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;

namespace CoachBot.Platforms.Slack;

/// <summary>
/// A button press from Slack: the request for the router, or (a button marked <c>?</c>) the modal to open first, with
/// the question the button carries in its value; and where to answer (the interaction's <c>response_url</c>).
/// </summary>
internal sealed record SlackAction(ActionRequest Request, bool OpensPrompt, string? TriggerId, string? Prompt, Uri? ResponseUrl);

/// <summary>A modal's submission: the action it was opened for, and the <c>response_url</c> of the button that opened it.</summary>
internal sealed record SlackSubmission(ActionRequest Request, Uri? ResponseUrl);

/// <summary>
/// What Slack sends, read into the router's requests (<see cref="SlackInteractions"/> receives it). Each workspace is a
/// scope, like a Discord server; a DM with the bot belongs to the member alone, as on Discord. A slash command's options
/// come as one line of text, read as the console reads its lines (<c>/remind day:Friday time:18:00</c>, values by
/// position too). Every id is taken from the payload's own fields, and
/// a payload without them is refused rather than guessed at.
/// </summary>
internal static partial class SlackInbound
{
    public const string Platform = "slack";

    /// <summary>The action id a modal's submission carries back (in <c>private_metadata</c>), and its one text input.</summary>
    public const string NoteBlockId = "note";
    public const string NoteActionId = "text";

    /// <summary>
    /// A slash command (Socket Mode <c>slash_commands</c>, the payload's fields as Slack documents them): the request for
    /// the router. A line that cannot be read throws <see cref="CommandException"/> with the sentence to show the member.
    /// </summary>
    public static CommandRequest SlashCommand(JsonObject payload, bool isOrganiser)
    {
        ArgumentNullException.ThrowIfNull(payload);
        var team = Required(payload, "team_id");
        var user = Required(payload, "user_id");
        var scope = ScopeOf(team, user, SlackJson.Text(payload["channel_id"]));
        var name = Required(payload, "command").TrimStart('/');
        var text = SlackJson.Text(payload["text"]) ?? "";
        var arguments = TypedCommandParser.Tokenize(text);
        var options = CommandCatalog.Find(name) is { } definition
            ? Unescaped(definition, TypedCommandParser.Options(definition, arguments))
            : new Dictionary<string, string>();
        var displayName = SlackJson.Text(payload["user_name"]) is { Length: > 0 } userName ? userName : user;
        return new CommandRequest(new MemberRef(Platform, scope, user), displayName, isOrganiser, name, options);
    }

    /// <summary>A button press (<c>block_actions</c>): the first action's id, who pressed it, and whether it opens a modal first.</summary>
    public static SlackAction BlockAction(JsonObject payload, bool isOrganiser)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (SlackJson.Text(payload["type"]) != "block_actions" || payload["actions"] is not JsonArray { Count: > 0 } actions || actions[0] is not JsonObject action)
        {
            throw new FormatException("A block_actions payload with at least one action was expected.");
        }

        var (team, user, name) = Who(payload);
        var scope = ScopeOf(team, user, SlackJson.Text(payload["channel"]?["id"]) ?? SlackJson.Text(payload["container"]?["channel_id"]));
        var actionId = Required(action, "action_id");
        var opensPrompt = actionId.StartsWith(BlockKitRenderer.PromptMarker, StringComparison.Ordinal);
        var request = new ActionRequest(new MemberRef(Platform, scope, user), name, isOrganiser, opensPrompt ? actionId[BlockKitRenderer.PromptMarker.Length..] : actionId);
        var prompt = opensPrompt && SlackJson.Text(action["value"]) is { Length: > 0 } value ? value : null;
        return new SlackAction(request, opensPrompt, SlackJson.Text(payload["trigger_id"]), prompt, ResponseUrl(SlackJson.Text(payload["response_url"])));
    }

    /// <summary>
    /// The modal a prompt button opens: one text input asking <paramref name="prompt"/>; its submission comes back with what
    /// a submission does not carry itself: the button's action id, the scope it was pressed in (a DM's is the member's
    /// own) and its <c>response_url</c>, kept in <c>private_metadata</c> (seen by Slack and the app only), one per line.
    /// </summary>
    public static JsonObject PromptModal(string actionId, string prompt, string? scope = null, Uri? responseUrl = null)
    {
        ArgumentNullException.ThrowIfNull(actionId);
        ArgumentNullException.ThrowIfNull(prompt);
        return new JsonObject
        {
            ["type"] = "modal",
            ["callback_id"] = "prompt",
            ["private_metadata"] = string.Join('\n', actionId, scope ?? "", responseUrl?.ToString() ?? ""),
            ["title"] = new JsonObject { ["type"] = "plain_text", ["text"] = "CoachBot" },
            ["submit"] = new JsonObject { ["type"] = "plain_text", ["text"] = "Save" },
            ["blocks"] = new JsonArray(new JsonObject
            {
                ["type"] = "input",
                ["block_id"] = NoteBlockId,
                ["label"] = new JsonObject { ["type"] = "plain_text", ["text"] = Core.Texts.Text.Truncate(prompt, 2000) },
                ["element"] = new JsonObject { ["type"] = "plain_text_input", ["action_id"] = NoteActionId, ["multiline"] = true, ["max_length"] = 1000 },
            }),
        };
    }

    /// <summary>A modal's submission (<c>view_submission</c>): the action it was opened for, with the text typed into it.</summary>
    public static SlackSubmission ViewSubmission(JsonObject payload, bool isOrganiser)
    {
        ArgumentNullException.ThrowIfNull(payload);
        if (SlackJson.Text(payload["type"]) != "view_submission" || payload["view"] is not JsonObject view)
        {
            throw new FormatException("A view_submission payload with its view was expected.");
        }

        var (team, user, name) = Who(payload);
        var metadata = Required(view, "private_metadata").Split('\n', 3);
        // Only a DM scope of this very member is taken from the metadata; anything else is the workspace's.
        var scope = metadata.ElementAtOrDefault(1) == MemberRef.DirectMessageScope(user) ? MemberRef.DirectMessageScope(user) : team;
        var text = SlackJson.Text(view["state"]?["values"]?[NoteBlockId]?[NoteActionId]?["value"]);
        return new SlackSubmission(new ActionRequest(new MemberRef(Platform, scope, user), name, isOrganiser, metadata[0], text), ResponseUrl(metadata.ElementAtOrDefault(2)));
    }

    /// <summary>
    /// The scope of what a member does: their own DM scope in a DM with the bot (a channel id starting with D), so what they
    /// enrol in there joins no cohort, as on Discord; else the workspace.
    /// </summary>
    private static string ScopeOf(string team, string user, string? channel) =>
        channel is { Length: > 1 } && channel[0] == 'D' ? MemberRef.DirectMessageScope(user) : team;

    /// <summary>A Slack channel id (public C…, private G…), as <c>/coach channel</c> must name the group channel.</summary>
    public static bool IsChannelId(string id) => ChannelIdPattern().IsMatch(id);

    /// <summary>
    /// Channel and user options as ids: Slack writes a channel or member picked while typing as <c>&lt;#C123|name&gt;</c>
    /// or <c>&lt;@U123|name&gt;</c> (the manifest asks it to escape them). A channel that is still a plain name could not be
    /// posted to, so it is refused with the way to pick it.
    /// </summary>
    private static Dictionary<string, string> Unescaped(CommandDefinition command, IReadOnlyDictionary<string, string> options)
    {
        var values = new Dictionary<string, string>(options, StringComparer.Ordinal);
        foreach (var option in command.Options.Where(option => option.Kind is OptionKind.Channel or OptionKind.User && values.ContainsKey(option.Name)))
        {
            var value = values[option.Name];
            var escaped = EscapedReference().Match(value);
            var id = escaped.Success ? escaped.Groups["id"].Value : value;
            if (option.Kind == OptionKind.Channel && !IsChannelId(id.TrimStart('#')))
            {
                throw new CommandException($"'{value}' is not a channel Slack knows by id: type # and pick the channel from Slack's list, e.g. `/{command.Name} {option.Name} #study-group`.");
            }

            values[option.Name] = id.TrimStart('#');
        }

        return values;
    }

    private static Uri? ResponseUrl(string? text) =>
        Uri.TryCreate(text, UriKind.Absolute, out var url) && url.Scheme is "https" or "http" ? url : null;

    [GeneratedRegex("^<[#@](?<id>[A-Z0-9]+)(?:\\|[^>]*)?>$", RegexOptions.CultureInvariant)]
    private static partial Regex EscapedReference();

    [GeneratedRegex("^[CG][A-Z0-9]{2,20}$", RegexOptions.CultureInvariant)]
    private static partial Regex ChannelIdPattern();

    /// <summary>The workspace and the member of an interaction payload (<c>team.id</c>, or <c>user.team_id</c> in an Enterprise Grid).</summary>
    private static (string Team, string User, string Name) Who(JsonObject payload)
    {
        var user = payload["user"] as JsonObject ?? throw new FormatException("The payload names no user.");
        var team = SlackJson.Text(payload["team"]?["id"]) ?? SlackJson.Text(user["team_id"]) ?? throw new FormatException("The payload names no workspace.");
        var id = Required(user, "id");
        var name = SlackJson.Text(user["username"]) ?? SlackJson.Text(user["name"]) ?? id;
        return (team, id, name);
    }

    private static string Required(JsonObject payload, string field) =>
        SlackJson.Text(payload[field]) is { Length: > 0 } value ? value : throw new FormatException($"The payload has no {field}.");
}
