using CoachBot.Core.Enrolment;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace CoachBot.Options;

/// <summary><c>ConnectionStrings:CoachBot</c>: the SQLite database.</summary>
internal sealed class StorageOptions
{
    public const string SectionName = "ConnectionStrings";
    public const string DefaultConnectionString = "Data Source=data/coachbot.db";

    public string CoachBot { get; set; } = DefaultConnectionString;
}

/// <summary><c>Pathways:Directory</c>: where pathway files are read from.</summary>
internal sealed class PathwayOptions
{
    public const string SectionName = "Pathways";

    public string Directory { get; set; } = "pathways";
}

/// <summary><c>Coach:DefaultTimeZone</c>: the time zone of members who have not set one.</summary>
internal sealed class CoachOptions
{
    public const string SectionName = "Coach";

    public string DefaultTimeZone { get; set; } = "UTC";
}

internal sealed class StorageOptionsValidator : IValidateOptions<StorageOptions>
{
    public ValidateOptionsResult Validate(string? name, StorageOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        try
        {
            var builder = new SqliteConnectionStringBuilder(options.CoachBot);
            return string.IsNullOrWhiteSpace(builder.DataSource)
                ? Fail(options.CoachBot)
                : ValidateOptionsResult.Success;
        }
        catch (ArgumentException)
        {
            return Fail(options.CoachBot);
        }
    }

    private static ValidateOptionsResult Fail(string value) => ValidateOptionsResult.Fail(
        $"ConnectionStrings:CoachBot '{value}' is not a SQLite connection string; set ConnectionStrings__CoachBot to e.g. 'Data Source=data/coachbot.db'.");
}

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

internal sealed class CoachOptionsValidator : IValidateOptions<CoachOptions>
{
    public ValidateOptionsResult Validate(string? name, CoachOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        return TimeZones.TryFind(options.DefaultTimeZone, out _)
            ? ValidateOptionsResult.Success
            : ValidateOptionsResult.Fail(
                $"Coach:DefaultTimeZone '{options.DefaultTimeZone}' is not a time zone; set Coach__DefaultTimeZone to an IANA name such as '{TimeZones.Example}' or 'UTC'.");
    }
}
