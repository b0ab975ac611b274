using CoachBot.Core.Commands;
using CoachBot.Platforms.Slack;
using CoachBot.TestSupport;
using YamlDotNet.RepresentationModel;

namespace CoachBot.Tests.Platforms.Slack;

/// <summary>
/// The shipped <c>slack-app-manifest.yaml</c> is the one CoachBot writes from its command list, and Slack would take it:
/// every command once, within Slack's limits, Socket Mode and interactivity on. Run with COACHBOT_UPDATE_DOCS=1 to write it.
/// </summary>
public sealed class SlackAppManifestTests
{
    private static readonly string _shipped = Path.Combine(RepositoryRoot.Path, SlackAppManifest.FileName);

    [Fact]
    public void The_shipped_manifest_is_the_one_written_from_the_command_list()
    {
        if (Environment.GetEnvironmentVariable("COACHBOT_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(_shipped, SlackAppManifest.Yaml());
        }

        Assert.Equal(SlackAppManifest.Yaml(), File.ReadAllText(_shipped).ReplaceLineEndings("\n"));
    }

    [Fact]
    public void Slack_would_take_it_every_command_within_its_limits_with_socket_mode_and_the_scopes_the_bot_uses()
    {
        var root = (YamlMappingNode)Load(SlackAppManifest.Yaml());
        var commands = ((YamlSequenceNode)root["features"]["slash_commands"]).Children.Cast<YamlMappingNode>().ToList();
        var settings = (YamlMappingNode)root["settings"];

        Assert.Equal(CommandCatalog.All.Select(command => "/" + command.Name), commands.Select(command => command["command"].ToString()));
        Assert.All(commands, command =>
        {
            // Slack's manifest limits: a command of at most 32 characters, a description of at most 2,000, a usage hint of at most 1,000.
            Assert.InRange(command["command"].ToString().Length, 2, 32);
            Assert.InRange(command["description"].ToString().Length, 1, 2000);
            if (command.Children.ContainsKey("usage_hint"))
            {
                Assert.InRange(command["usage_hint"].ToString().Length, 1, 1000);
            }
        });
        Assert.Equal("true", commands.Single(command => command["command"].ToString() == "/coach")["should_escape"].ToString());
        Assert.Equal("true", settings["socket_mode_enabled"].ToString());
        Assert.Equal("true", ((YamlMappingNode)settings["interactivity"])["is_enabled"].ToString());
        Assert.Equal(["commands", "chat:write", "im:write", "users:read"], ((YamlSequenceNode)root["oauth_config"]["scopes"]["bot"]).Children.Select(scope => scope.ToString()));
    }

    private static YamlNode Load(string yaml)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(yaml));
        return stream.Documents[0].RootNode;
    }
}
