using CoachBot.Core.Storage;
using Microsoft.Data.Sqlite;

namespace CoachBot.Storage;

/// <summary>Turns SQLite failures into one sentence: for the organiser at start-up, or for the member at run time.</summary>
internal static class StorageFaults
{
    // SQLite primary result codes (https://sqlite.org/rescode.html).
    private const int Busy = 5;
    private const int Locked = 6;
    private const int ReadOnly = 8;
    private const int IoError = 10;
    private const int Corrupt = 11;
    private const int Full = 13;
    private const int CannotOpen = 14;
    private const int NotADatabase = 26;

    public const string Fix = "set ConnectionStrings__CoachBot to a writable file, e.g. 'Data Source=data/coachbot.db'";

    /// <summary>What the organiser should do, naming the database and <c>ConnectionStrings__CoachBot</c>.</summary>
    public static string StartupSentence(Exception failure, string dataSource)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var detail = failure.Message.TrimEnd('.');
        return (failure as SqliteException)?.SqliteErrorCode switch
        {
            ReadOnly => $"The database '{dataSource}' is read-only ({detail}); make the file and its folder writable for CoachBot, or {Fix}.",
            Full => $"The disk holding the database '{dataSource}' is full; free some space, or set ConnectionStrings__CoachBot to a file on another disk.",
            Busy or Locked => $"The database '{dataSource}' is locked by another program (another CoachBot, or a sqlite3 shell in a transaction); stop it and start again, or {Fix}.",
            Corrupt or NotADatabase => Damaged(dataSource, detail),
            _ => $"The database '{dataSource}' cannot be opened ({detail}); {Fix}.",
        };
    }

    public static string Damaged(string dataSource, string detail) =>
        $"The database '{dataSource}' is damaged ({detail}); restore your latest backup over it (docs/reliability.md, 'Restore'), "
        + "or set ConnectionStrings__CoachBot to a new file to start afresh.";

    /// <summary>The sentence a member sees when a command cannot read or write; nothing was changed.</summary>
    public static StoreUnavailableException ForMember(SqliteException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var sentence = failure.SqliteErrorCode is Busy or Locked
            ? "CoachBot is busy saving something else; nothing was changed, so try again in a moment."
            : "CoachBot cannot save or read your data right now (its storage needs an organiser's attention); nothing was changed, so try again later.";
        return new StoreUnavailableException(sentence, failure);
    }

    /// <summary>Worth logging as an error the organiser must fix (not a passing lock).</summary>
    public static bool NeedsOrganiser(SqliteException failure) =>
        failure?.SqliteErrorCode is ReadOnly or IoError or Corrupt or Full or CannotOpen or NotADatabase;
}
