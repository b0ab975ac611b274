using System.Text.RegularExpressions;
using CoachBot.Core.Commands;
using CoachBot.Discord.Models;
using CoachBot.Platforms.Discord;

namespace CoachBot.Tests.Platforms.Discord;

public sealed partial class CommandDefinitionsTests
{
    [Fact]
    public void All_CoversEveryCatalogCommand_WithValidNamesAndShortDescriptions()
    {
        var definitions = CommandDefinitions.All;

        Assert.Equal(CommandCatalog.All.Select(command => command.Name), definitions.Select(definition => definition.Name));
        foreach (var option in definitions.SelectMany(definition => Flatten(definition.Options)))
        {
            Assert.Matches(NamePattern(), option.Name);
            Assert.InRange(option.Description.Length, 1, 100);
        }

        Assert.All(definitions, definition => Assert.Matches(NamePattern(), definition.Name));
        Assert.All(definitions, definition => Assert.InRange(definition.Description!.Length, 1, 100));
    }

    [Fact]
    public void All_PutsRequiredOptionsBeforeOptionalOnes()
    {
        foreach (var options in CommandDefinitions.All.Select(definition => definition.Options ?? []))
        {
            var required = options.Select(option => option.Required == true).ToList();

            Assert.Equal(required.OrderByDescending(isRequired => isRequired), required);
        }
    }

    [Theory]
    [InlineData("enroll", "pathway")]
    [InlineData("enroll", "timezone")]
    [InlineData("today", "pathway")]
    [InlineData("done", "task")]
    [InlineData("undo", "task")]
    [InlineData("remind", "timezone")]
    [InlineData("pathways", "id")]
    public void All_OffersAutocomplete_OnPathwayTaskAndTimeZoneOptions(string command, string option)
    {
        var definition = CommandDefinitions.All.Single(candidate => candidate.Name == command);

        Assert.True(definition.Options!.Single(candidate => candidate.Name == option).Autocomplete);
    }

    [Fact]
    public void Coach_IsForManageServer_AndHasChannelStatsDashboardAndChartSubcommands()
    {
        var coach = CommandDefinitions.All.Single(definition => definition.Name == "coach");

        Assert.Equal("32", coach.DefaultMemberPermissions);
        Assert.Equal(["channel", "stats", "dashboard", "chart"], coach.Options!.Select(option => option.Name));
        Assert.All(coach.Options!, option => Assert.Equal(ApplicationCommandOptionType.SubCommand, option.Type));
        var channel = Assert.Single(coach.Options![0].Options!);
        Assert.Equal(ApplicationCommandOptionType.Channel, channel.Type);
        Assert.True(channel.Required);
        Assert.Equal([0], channel.ChannelTypes!);
        Assert.Empty(coach.Options![1].Options!);
        Assert.Empty(coach.Options![2].Options!);
        var on = Assert.Single(coach.Options![3].Options!);
        Assert.Equal(("on", ApplicationCommandOptionType.Boolean, (bool?)null), (on.Name, on.Type, on.Required));
    }

    [Fact]
    public void OnlyCoach_CarriesDefaultMemberPermissions()
    {
        var restricted = CommandDefinitions.All.Where(definition => definition.DefaultMemberPermissions is not null).Select(definition => definition.Name);

        Assert.Equal(["coach"], restricted);
    }

    [Fact]
    public void MyData_ActionHasExportAndDeleteChoices()
    {
        var action = CommandDefinitions.All.Single(definition => definition.Name == "mydata").Options!.Single();

        Assert.True(action.Required);
        Assert.Equal(["export", "delete"], action.Choices!.Select(choice => choice.Value.GetString()));
    }

    [Fact]
    public void Remind_DayChoicesRunFromMondayToSunday()
    {
        var day = CommandDefinitions.All.Single(definition => definition.Name == "remind").Options!.Single(option => option.Name == "day");

        Assert.Equal(["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"], day.Choices!.Select(choice => choice.Name));
        Assert.Null(day.Autocomplete);
    }

    [Fact]
    public void ToDiscord_WhenADescriptionIsTooLong_ShortensItTo100Characters()
    {
        var command = new CommandDefinition("long", new string('x', 140), [new OptionDefinition("b", "optional"), new OptionDefinition("a", new string('y', 120), Required: true)]);

        var definition = CommandDefinitions.ToDiscord(command);

        Assert.Equal(100, definition.Description!.Length);
        Assert.Equal(["a", "b"], definition.Options!.Select(option => option.Name));
        Assert.Equal(100, definition.Options![0].Description.Length);
    }

    private static IEnumerable<ApplicationCommandOption> Flatten(IReadOnlyList<ApplicationCommandOption>? options) =>
        (options ?? []).SelectMany(option => Flatten(option.Options).Prepend(option));

    [GeneratedRegex(@"^[-_'\p{Ll}\p{N}]{1,32}$")]
    private static partial Regex NamePattern();
}
