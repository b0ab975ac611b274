using CoachBot.Core.Messaging;

namespace CoachBot.Core.Pictures;

/// <summary>
/// Draws the pictures CoachBot attaches to its messages. Core decides what a picture shows (pure models built from a
/// moment's state); the host draws them. A picture that cannot be drawn is never a reason to lose the message it goes
/// with: the methods return null then, and the implementation logs why.
/// </summary>
public interface IPictureRenderer
{
    ReplyImage? RenderProgressCard(ProgressCard card);

    ReplyImage? RenderCohortChart(CohortChart chart);
}
