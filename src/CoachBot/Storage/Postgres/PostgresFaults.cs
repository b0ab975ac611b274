using System.Net.Sockets;
using CoachBot.Core.Storage;
using Npgsql;

namespace CoachBot.Storage.Postgres;

/// <summary>
/// Turns PostgreSQL failures into one sentence: for the organiser at start-up, or for the member at run time. The
/// sentences name the server, the database and the user from the connection string, never its password.
/// </summary>
internal static class PostgresFaults
{
    // SQLSTATE codes (https://www.postgresql.org/docs/current/errcodes-appendix.html).
    private const string InvalidPassword = "28P01";
    private const string InvalidAuthorization = "28000";
    private const string InvalidCatalogName = "3D000";
    private const string InsufficientPrivilege = "42501";
    private const string SerializationFailure = "40001";
    private const string DeadlockDetected = "40P01";
    private const string LockNotAvailable = "55P03";
    private const string TooManyConnections = "53300";
    private const string CannotConnectNow = "57P03";
    private const string QueryCanceled = "57014";

    public const string Fix = "set ConnectionStrings__CoachBot to the Npgsql connection string of your database, e.g. 'Host=localhost;Database=coachbot;Username=coachbot;Password=…'";

    /// <summary>What the organiser should do about a failure to open or migrate the database.</summary>
    public static string StartupSentence(Exception failure, NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(failure);
        ArgumentNullException.ThrowIfNull(settings);
        var server = Server(settings);
        var database = settings.Database ?? settings.Username ?? "";
        var user = settings.Username ?? "";
        if (failure is PostgresException postgres)
        {
            return postgres.SqlState switch
            {
                InvalidPassword or InvalidAuthorization =>
                    $"PostgreSQL at {server} refused the password of user '{user}'; set the right Username and Password in ConnectionStrings__CoachBot.",
                InvalidCatalogName =>
                    $"The PostgreSQL database '{database}' does not exist on {server}; create it with `createdb -h {settings.Host} -p {settings.Port} -U {user} {database}`, or set Database in ConnectionStrings__CoachBot.",
                InsufficientPrivilege =>
                    $"PostgreSQL user '{user}' may not create or change CoachBot's tables in '{database}' on {server} ({postgres.MessageText.TrimEnd('.')}); "
                    + "make it the database's owner, or set Username in ConnectionStrings__CoachBot to the owner.",
                _ => $"The PostgreSQL database '{database}' on {server} cannot be used ({postgres.MessageText.TrimEnd('.')}); {Fix}.",
            };
        }

        if (IsUnreachable(failure))
        {
            return $"The PostgreSQL server at {server} cannot be reached ({Innermost(failure).Message.TrimEnd('.')}); start it, or set Host and Port in ConnectionStrings__CoachBot.";
        }

        // Npgsql asks for a password only when the server wants one; none was given.
        if (failure is NpgsqlException && failure.Message.Contains("password", StringComparison.OrdinalIgnoreCase))
        {
            return $"PostgreSQL at {server} wants a password for user '{user}' and none was given; add Password to ConnectionStrings__CoachBot.";
        }

        return $"The PostgreSQL database '{database}' on {server} cannot be opened ({failure.Message.TrimEnd('.')}); {Fix}.";
    }

    /// <summary>The sentence a member sees when a command cannot read or write; nothing was changed.</summary>
    public static StoreUnavailableException ForMember(NpgsqlException failure)
    {
        ArgumentNullException.ThrowIfNull(failure);
        var sentence = IsBusy(failure)
            ? "CoachBot is busy saving something else; nothing was changed, so try again in a moment."
            : "CoachBot cannot save or read your data right now (its storage needs an organiser's attention); nothing was changed, so try again later.";
        return new StoreUnavailableException(sentence, failure);
    }

    /// <summary>A passing conflict with another writer or a full server, not something the organiser must fix.</summary>
    public static bool IsBusy(NpgsqlException failure) =>
        (failure as PostgresException)?.SqlState is SerializationFailure or DeadlockDetected or LockNotAvailable or TooManyConnections or CannotConnectNow or QueryCanceled
        || failure?.InnerException is TimeoutException;

    public static string Server(NpgsqlConnectionStringBuilder settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return $"{settings.Host}:{settings.Port}";
    }

    private static bool IsUnreachable(Exception failure) =>
        failure is NpgsqlException && (Innermost(failure) is SocketException or TimeoutException || failure.InnerException is SocketException or TimeoutException);

    private static Exception Innermost(Exception failure)
    {
        while (failure.InnerException is { } inner)
        {
            failure = inner;
        }

        return failure;
    }
}
