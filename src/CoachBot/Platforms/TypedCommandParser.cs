using System.Text;
using CoachBot.Core.Commands;

namespace CoachBot.Platforms;

/// <summary>
/// Reads a typed command such as <c>/remind day:Friday time:18:00</c> or <c>/done "Read the paper"</c>: options by
/// position (in the order of the command's definition) or as <c>name:value</c>, values with spaces in quotes. The
/// console reads its lines with it, and Slack's slash commands (whose options come as one line of text) too.
/// </summary>
internal static class TypedCommandParser
{
    /// <summary>Splits on spaces; a quote at the start of a word or a value opens a quoted part.</summary>
    public static IReadOnlyList<string> Tokenize(string line)
    {
        ArgumentNullException.ThrowIfNull(line);
        var tokens = new List<string>();
        var current = new StringBuilder();
        var inToken = false;
        char? quote = null;
        foreach (var character in line)
        {
            if (quote is not null)
            {
                if (character == quote)
                {
                    quote = null;
                }
                else
                {
                    current.Append(character);
                }
            }
            else if (char.IsWhiteSpace(character))
            {
                if (inToken)
                {
                    tokens.Add(current.ToString());
                    current.Clear();
                    inToken = false;
                }
            }
            else if (character is '"' or '\'' && (current.Length == 0 || current[^1] == ':'))
            {
                quote = character;
                inToken = true;
            }
            else
            {
                current.Append(character);
                inToken = true;
            }
        }

        if (inToken)
        {
            tokens.Add(current.ToString());
        }

        return tokens;
    }

    /// <summary>Option values by name for a command, or a sentence saying what is wrong with the line.</summary>
    public static IReadOnlyDictionary<string, string> Options(CommandDefinition command, IReadOnlyList<string> arguments)
    {
        ArgumentNullException.ThrowIfNull(command);
        ArgumentNullException.ThrowIfNull(arguments);
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var positional = new List<string>();
        foreach (var argument in arguments)
        {
            var colon = argument.IndexOf(':', StringComparison.Ordinal);
            var option = colon > 0
                ? command.Options.FirstOrDefault(candidate => string.Equals(candidate.Name, argument[..colon], StringComparison.OrdinalIgnoreCase))
                : null;
            if (option is null)
            {
                positional.Add(argument);
            }
            else
            {
                values[option.Name] = argument[(colon + 1)..];
            }
        }

        var open = command.Options.Where(option => !values.ContainsKey(option.Name)).ToList();
        if (positional.Count > open.Count)
        {
            var names = command.Options.Count == 0 ? "no options" : "options " + string.Join(", ", command.Options.Select(option => option.Name));
            throw new CommandException(
                $"`/{command.Name}` takes {names}; put a value with spaces in quotes, e.g. `/done \"Read the paper\"`.");
        }

        for (var i = 0; i < positional.Count; i++)
        {
            values[open[i].Name] = positional[i];
        }

        return values;
    }
}
