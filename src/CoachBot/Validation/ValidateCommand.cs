using CoachBot.Core.Pathways;
using CoachBot.Pathways;

namespace CoachBot.Validation;

/// <summary><c>coachbot validate [DIR]</c>: checks every pathway file of a folder (default: the one the bot reads,
/// <c>Pathways:Directory</c>), prints a line per valid pathway and every error as <c>file:line:column: message</c>, and
/// exits non-zero on any error.</summary>
internal static class ValidateCommand
{
    public const string DefaultDirectory = "pathways";

    /// <param name="configuredDirectory">The bot's <c>Pathways:Directory</c>, checked when no folder is given; null or
    /// empty: <see cref="DefaultDirectory"/>.</param>
    public static async Task<int> RunAsync(string[] args, TextWriter output, TextWriter error, string? configuredDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(args);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (args.Length > 1)
        {
            await error.WriteLineAsync("validate takes at most one folder, e.g. `validate pathways`.");
            return CoachBotApp.ExitInvalidInput;
        }

        var directory = args.Length == 1 ? args[0]
            : string.IsNullOrWhiteSpace(configuredDirectory) ? DefaultDirectory
            : configuredDirectory;
        if (!Directory.Exists(directory))
        {
            await error.WriteLineAsync(args.Length == 0 && directory != DefaultDirectory
                ? $"There is no folder '{directory}' (set in Pathways__Directory): fix the setting, or pass the folder that holds your pathway files, e.g. `validate pathways`."
                : $"There is no folder '{directory}': pass the folder that holds your pathway files, e.g. `validate pathways`.");
            return CoachBotApp.ExitInvalidInput;
        }

        var result = PathwayDirectory.Load(directory);
        // Warnings, not errors: a stray file does not make the pathways that are read invalid.
        foreach (var ignored in result.Warnings)
        {
            await output.WriteLineAsync(ignored);
        }

        if (result.DirectoryProblem is not null)
        {
            await error.WriteLineAsync(result.DirectoryProblem);
            return CoachBotApp.ExitInvalidInput;
        }

        var idWidth = result.Catalog.All.Select(pathway => pathway.Id.Length).DefaultIfEmpty(0).Max();
        foreach (var pathway in result.Catalog.All)
        {
            await output.WriteLineAsync(Summary(pathway, idWidth));
        }

        foreach (var fileError in result.FileErrors)
        {
            await output.WriteLineAsync(fileError.ToString());
        }

        await output.WriteLineAsync(Totals(result));
        return result.IsValid ? CoachBotApp.ExitOk : CoachBotApp.ExitInvalidInput;
    }

    private static string Summary(Pathway pathway, int idWidth) =>
        $"{pathway.Id.PadRight(idWidth)}  {pathway.Title} · {Count(pathway.Phases.Count, "phase")}, " +
        $"{Count(pathway.TotalWeeks, "week")}, {Count(pathway.AllTasks.Count(), "task")}";

    private static string Totals(PathwayDirectoryResult result)
    {
        var valid = Count(result.Catalog.All.Count, "valid pathway");
        if (result.FileErrors.Count == 0)
        {
            return $"{valid}, no errors.";
        }

        var invalidFiles = result.FileErrors.Select(fileError => fileError.File).Distinct(StringComparer.Ordinal).Count();
        return $"{valid}; {Count(result.FileErrors.Count, "error")} in {Count(invalidFiles, "file")}.";
    }

    private static string Count(int count, string noun) => count == 1 ? $"1 {noun}" : $"{count} {noun}s";
}
