namespace CoachBot.Platforms;

/// <summary>What a member is told when answering them failed on the bot's side, on every platform.</summary>
internal static class InteractionFailure
{
    // Not "nothing was changed": a command can fail after its write went through (a /done recorded, then its answer failing).
    public const string Sentence = "Something went wrong on my side before I could answer; what you asked may already be saved, so check with `/today` or `/progress` before trying again.";
}
