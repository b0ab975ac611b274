using CoachBot.TestSupport;
using SkiaSharp;

namespace CoachBot.Tests.Pictures;

/// <summary>
/// Compares a picture with its committed golden copy, tolerantly: a font hinting or anti-aliasing change moves a few
/// edge pixels a little, a layout or text change moves many a lot (one changed word moves about 500). A picture fails
/// when more than 0.1% of its pixels (336 of 800×420) differ by more than 64 in a channel, or when it has another size.
/// On failure the new picture is written next to the test output (<c>golden-actual/</c>) to look at;
/// <c>COACHBOT_UPDATE_GOLDEN=1</c> accepts it as the new golden copy.
/// </summary>
internal static class GoldenImage
{
    private const int ChannelTolerance = 64;
    private const double ShareOfPixelsAllowedToDiffer = 0.001;

    public static string Folder => Path.Combine(RepositoryRoot.Path, "tests", "CoachBot.Tests", "Pictures", "Golden");

    public static void Matches(string name, ReadOnlyMemory<byte> png)
    {
        var golden = Path.Combine(Folder, name);
        var update = Environment.GetEnvironmentVariable("COACHBOT_UPDATE_GOLDEN") == "1";
        if (update)
        {
            File.WriteAllBytes(golden, png.ToArray());
            return;
        }

        Assert.True(File.Exists(golden), $"No golden picture {golden}; run the test with COACHBOT_UPDATE_GOLDEN=1 to make it, then look at it before committing.");
        var (differing, total, sizeProblem) = Compare(File.ReadAllBytes(golden), png);
        if (sizeProblem is not null || differing > total * ShareOfPixelsAllowedToDiffer)
        {
            var actualFolder = Path.Combine(AppContext.BaseDirectory, "golden-actual");
            Directory.CreateDirectory(actualFolder);
            var actual = Path.Combine(actualFolder, name);
            File.WriteAllBytes(actual, png.ToArray());
            Assert.Fail(sizeProblem is not null
                ? $"{name}: {sizeProblem} (the picture drawn now is {actual})."
                : $"{name}: {differing} of {total} pixels differ from the golden picture by more than {ChannelTolerance} (allowed: {ShareOfPixelsAllowedToDiffer:P1}); the picture drawn now is {actual}. If the change is meant, run with COACHBOT_UPDATE_GOLDEN=1.");
        }
    }

    /// <summary>How many pixels differ by more than the tolerance in any channel.</summary>
    public static (int Differing, int Total, string? SizeProblem) Compare(byte[] expectedPng, ReadOnlyMemory<byte> actualPng)
    {
        using var expected = SKBitmap.Decode(expectedPng);
        using var actual = SKBitmap.Decode(actualPng.ToArray());
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        if (expected.Width != actual.Width || expected.Height != actual.Height)
        {
            return (0, 0, $"it is {actual.Width}×{actual.Height} pixels, the golden picture {expected.Width}×{expected.Height}");
        }

        var differing = 0;
        for (var y = 0; y < expected.Height; y++)
        {
            for (var x = 0; x < expected.Width; x++)
            {
                var a = expected.GetPixel(x, y);
                var b = actual.GetPixel(x, y);
                if (Math.Abs(a.Red - b.Red) > ChannelTolerance || Math.Abs(a.Green - b.Green) > ChannelTolerance || Math.Abs(a.Blue - b.Blue) > ChannelTolerance)
                {
                    differing++;
                }
            }
        }

        return (differing, expected.Width * expected.Height, null);
    }
}
