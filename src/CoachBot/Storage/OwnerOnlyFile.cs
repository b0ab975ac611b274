namespace CoachBot.Storage;

/// <summary>
/// Files that hold members' data (the database, and a backup) are created readable and writable by their owner only
/// (0600 on Unix), whatever the umask: other local users must not read members' progress and notes. SQLite gives the
/// -wal, -shm and -journal files the mode of the main file, so creating the main file this way covers them too.
/// </summary>
internal static class OwnerOnlyFile
{
    public const UnixFileMode Mode = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    /// <summary>
    /// Creates an empty file at <paramref name="path"/>, failing (<see cref="IOException"/>) when anything is there
    /// already, a symbolic link included: O_CREAT | O_EXCL never follows a link.
    /// </summary>
    public static void CreateNew(string path)
    {
        var options = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write, Share = FileShare.None };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = Mode;
        }

        using var created = new FileStream(path, options);
    }

    /// <summary>
    /// Creates the file like <see cref="CreateNew"/> unless something is there already. Any failure is left to the
    /// caller's next step: SQLite then opens (or fails to open) the file and says why in its own words.
    /// </summary>
    public static void TryCreateNew(string path)
    {
        try
        {
            CreateNew(path);
        }
        catch (Exception failure) when (failure is IOException or UnauthorizedAccessException)
        {
            // Already there (another process or factory created it first: it is theirs to keep as it is), or the folder
            // cannot be written, which SQLite reports with the sentence the organiser knows.
        }
    }
}
