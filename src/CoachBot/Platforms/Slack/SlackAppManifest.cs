using System.Text;
using CoachBot.Core.Commands;

namespace CoachBot.Platforms.Slack;

/// <summary>
/// The Slack app manifest CoachBot ships (<c>slack-app-manifest.yaml</c> at the repository root), written from the same
/// command catalog the router answers, so the slash commands Slack registers are always the ones CoachBot knows: Socket
/// Mode on (no public URL), interactivity on (buttons and modals), and the four bot scopes the platform uses:
/// <c>commands</c>, <c>chat:write</c> (answers, reminders, the digest), <c>im:write</c> (opening a member's DM) and
/// <c>users:read</c> (whether a member is a workspace admin or owner). Commands that take a channel or a member ask Slack
/// to escape them, so <c>#study-group</c> arrives as the channel's id.
/// </summary>
internal static class SlackAppManifest
{
    public const string FileName = "slack-app-manifest.yaml";

    public static IReadOnlyList<string> BotScopes { get; } = ["commands", "chat:write", "im:write", "users:read"];

    public static string Yaml()
    {
        var yaml = new StringBuilder();
        yaml.Append("""
            # CoachBot's Slack app: create it at https://api.slack.com/apps → Create New App → From an app manifest, and paste
            # this file. Written from CoachBot's own command list (a test checks it); docs/slack-setup.md walks through the rest.
            display_information:
              name: CoachBot
              description: Coaches your study group through a career-transition pathway, week by week.
              background_color: "#1d3557"
            features:
              app_home:
                home_tab_enabled: false
                messages_tab_enabled: true
                messages_tab_read_only_enabled: false
              bot_user:
                display_name: CoachBot
                always_online: true
              slash_commands:

            """);
        foreach (var command in CommandCatalog.All)
        {
            yaml.Append("    - command: /").Append(command.Name).Append('\n');
            yaml.Append("      description: ").Append(Quoted(command.Description)).Append('\n');
            if (UsageHint(command) is { Length: > 0 } hint)
            {
                yaml.Append("      usage_hint: ").Append(Quoted(hint)).Append('\n');
            }

            var escapes = command.Options.Any(option => option.Kind is OptionKind.Channel or OptionKind.User);
            yaml.Append("      should_escape: ").Append(escapes ? "true" : "false").Append('\n');
        }

        yaml.Append("oauth_config:\n  scopes:\n    bot:\n");
        foreach (var scope in BotScopes)
        {
            yaml.Append("      - ").Append(scope).Append('\n');
        }

        yaml.Append("""
            settings:
              interactivity:
                is_enabled: true
              org_deploy_enabled: false
              socket_mode_enabled: true
              token_rotation_enabled: false

            """);
        return yaml.ToString();
    }

    /// <summary>The first example without its command (<c>day:Friday time:18:00</c>), or the options by name.</summary>
    private static string UsageHint(CommandDefinition command)
    {
        var prefix = "/" + command.Name;
        var example = command.Examples.FirstOrDefault(example => example.StartsWith(prefix + " ", StringComparison.Ordinal));
        return example is not null
            ? example[(prefix.Length + 1)..]
            : string.Join(' ', command.Options.Select(option => option.Required ? option.Name : $"[{option.Name}]"));
    }

    private static string Quoted(string text) =>
        "\"" + text.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal) + "\"";
}
