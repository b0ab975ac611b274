using Microsoft.Extensions.Options;

namespace CoachBot.Options;

/// <summary><c>Pathways:Directory</c>: where pathway files are read from.</summary>
public sealed class PathwayOptions
{
    public const string SectionName = "Pathways";

    public string Directory { get; set; } = "pathways";
}

// Hand-written, not [OptionsValidator]: the generated validator puts the member's name before each message
// ("Directory: Pathways:Directory is empty; …"), which is not the one sentence naming the key that every other mistake gets.
internal sealed class PathwayOptionsValidator : IValidateOptions<PathwayOptions>
{
    public ValidateOptionsResult Validate(string? name, PathwayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return string.IsNullOrWhiteSpace(options.Directory)
            ? ValidateOptionsResult.Fail("Pathways:Directory is empty; set Pathways__Directory to the folder of pathway files, e.g. 'pathways'.")
            : ValidateOptionsResult.Success;
    }
}
