namespace CoachBot.Core.Storage;

/// <summary>
/// The store could not read or write right now (disk full, database locked or read-only, file damaged). Nothing was
/// changed. Its message is one sentence for the member; the store has logged the details.
/// </summary>
public sealed class StoreUnavailableException(string message, Exception? innerException = null) : Exception(message, innerException);
