using CoachBot.Core.Commands;
using CoachBot.Platforms;

namespace CoachBot.Tests.Platforms;

public sealed class TypedCommandParserTests
{
    [Theory]
    [InlineData("/done 1", new[] { "/done", "1" })]
    [InlineData("/done \"Read the paper\"", new[] { "/done", "Read the paper" })]
    [InlineData("/remind day:Friday time:'18:00'", new[] { "/remind", "day:Friday", "time:18:00" })]
    [InlineData("  /checkin   ", new[] { "/checkin" })]
    [InlineData("4 don't panic", new[] { "4", "don't", "panic" })]
    public void Tokenize_SplitsOnSpacesAndKeepsQuotedValuesWhole(string line, string[] expected)
    {
        Assert.Equal(expected, TypedCommandParser.Tokenize(line));
    }

    [Fact]
    public void Options_ByPositionAndByName_Mix()
    {
        var remind = CommandCatalog.Find("remind")!;

        var options = TypedCommandParser.Options(remind, ["time:18:00", "Friday"]);

        Assert.Equal("Friday", options["day"]);
        Assert.Equal("18:00", options["time"]);
    }

    [Fact]
    public void Options_WithMoreValuesThanOptions_SaysToQuote()
    {
        var resume = CommandCatalog.Find("resume")!;

        var problem = Assert.Throws<CommandException>(() => TypedCommandParser.Options(resume, ["now"]));

        Assert.Equal("`/resume` takes no options; put a value with spaces in quotes, e.g. `/done \"Read the paper\"`.", problem.Message);
    }

    [Fact]
    public void EveryCommandsExamples_AreThatCommand_AndParseWithValidChoices()
    {
        Assert.All(CommandCatalog.All, command =>
        {
            Assert.InRange(command.Examples.Count, 1, 2);
            foreach (var example in command.Examples)
            {
                var tokens = TypedCommandParser.Tokenize(example);
                Assert.Equal("/" + command.Name, tokens[0]);
                var options = TypedCommandParser.Options(command, [.. tokens.Skip(1)]);
                foreach (var option in command.Options.Where(option => option.Choices is { Count: > 0 } && options.ContainsKey(option.Name)))
                {
                    Assert.Contains(option.Choices!, choice => string.Equals(choice, options[option.Name], StringComparison.OrdinalIgnoreCase));
                }
            }
        });
    }
}
