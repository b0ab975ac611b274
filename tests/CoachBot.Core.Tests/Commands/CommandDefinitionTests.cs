using CoachBot.Core.Commands;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>What platforms register (the catalogue) and what the router answers come from the same definitions.</summary>
public sealed class CommandDefinitionTests
{
    private readonly RouterHarness _harness = new();

    [Fact]
    public async Task Autocomplete_SuggestsForEveryOptionMarkedForIt_AndForNoOther()
    {
        await _harness.RunAsync("alice", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("alice", "done", ("task", "1"));

        var wrong = new List<string>();
        foreach (var command in CommandCatalog.All)
        {
            foreach (var option in command.Options)
            {
                var choices = await _harness.Router.AutocompleteAsync(
                    new AutocompleteRequest(RouterHarness.Member("alice"), command.Name, option.Name, ""), CancellationToken.None);
                if (option.Autocomplete != choices.Count > 0)
                {
                    wrong.Add($"/{command.Name} {option.Name}: {(option.Autocomplete ? "marked for suggestions, got none" : $"not marked, got {choices.Count}")}");
                }
            }
        }

        Assert.Empty(wrong);
    }

    [Fact]
    public async Task EveryCommandOfTheCatalogue_IsAnsweredByTheRouter()
    {
        foreach (var command in CommandCatalog.All)
        {
            var reply = await _harness.RunAsOrganiserAsync("alice", command.Name);

            Assert.DoesNotContain("There is no command", reply.ToPlainText(), StringComparison.Ordinal);
        }
    }
}
