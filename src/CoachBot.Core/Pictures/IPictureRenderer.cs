using CoachBot.Core.Messaging;

namespace CoachBot.Core.Pictures;

/// <summary>
/// Draws the pictures CoachBot attaches to its messages. Core decides what a picture shows (pure models built from a
/// moment's state); the host draws them. Implementations must not throw for any model Core builds: a picture that
/// cannot be drawn is a bug to fix, not a reason to lose the text reply, so callers still guard the call.
/// </summary>
public interface IPictureRenderer
{
    ReplyImage RenderProgressCard(ProgressCard card);

    ReplyImage RenderCohortChart(CohortChart chart);
}
