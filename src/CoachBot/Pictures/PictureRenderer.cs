using System.Diagnostics;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pictures;
using Microsoft.Extensions.Logging;

namespace CoachBot.Pictures;

/// <summary>Draws pictures, throwing when it cannot (implemented by <see cref="SkiaPictureRenderer"/>).</summary>
internal interface IPictureDrawing
{
    ReplyImage RenderProgressCard(ProgressCard card);

    ReplyImage RenderCohortChart(CohortChart chart);
}

/// <summary>
/// The pictures as the bot uses them: drawn by <see cref="SkiaPictureRenderer"/>, and when drawing fails (a bug, a
/// native library missing from a trimmed image) logged with the member's or server's message going on without it,
/// so one picture never costs anyone their reply or their digest.
/// </summary>
internal sealed partial class PictureRenderer(IPictureDrawing drawing, ILogger<PictureRenderer> logger) : IPictureRenderer
{
    public ReplyImage? RenderProgressCard(ProgressCard card) => Guarded("progress card", () => drawing.RenderProgressCard(card));

    public ReplyImage? RenderCohortChart(CohortChart chart) => Guarded("cohort chart", () => drawing.RenderCohortChart(chart));

    private ReplyImage? Guarded(string what, Func<ReplyImage> draw)
    {
        var started = Stopwatch.GetTimestamp();
        try
        {
            var image = draw();
            var elapsedMs = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            LogDrawn(logger, what, image.Png.Length, elapsedMs);

            return image;
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            LogDrawingFailed(logger, exception, what);
            return null;
        }
    }

    [LoggerMessage(EventId = 600, Level = LogLevel.Debug, Message = "Drew a {Picture} of {Bytes} bytes in {ElapsedMs:0.0} ms")]
    private static partial void LogDrawn(ILogger logger, string picture, int bytes, double elapsedMs);

    [LoggerMessage(EventId = 601, Level = LogLevel.Error, Message = "Could not draw a {Picture}; the message goes with its text only")]
    private static partial void LogDrawingFailed(ILogger logger, Exception exception, string picture);
}
