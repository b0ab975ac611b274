using CoachBot.Operations;
using CoachBot.Options;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CoachBot.Tests.Operations;

/// <summary>A process running several shards is healthy only while every one of them is heard from.</summary>
public sealed class ShardLifeSignsTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-shard-health-");

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void Heard_BeforeEveryShardHasSpoken_LeavesTheFileAlone()
    {
        var (signs, path) = NewLifeSigns([0, 1]);

        signs.Heard(0, Start);

        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Heard_DatesTheFileByTheShardHeardFromLongestAgo_SoASilentShardAgesIt()
    {
        var (signs, path) = NewLifeSigns([0, 1]);
        signs.Heard(0, Start);
        signs.Heard(1, Start.AddSeconds(10));

        // Shard 1 goes silent while shard 0 keeps acknowledging heartbeats.
        signs.Heard(0, Start.AddSeconds(51));
        signs.Heard(0, Start.AddSeconds(300));

        Assert.Equal(Start.AddSeconds(10).UtcDateTime, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void Heard_WithOneShard_DatesTheFileByItsLastSign()
    {
        var (signs, path) = NewLifeSigns([1]);

        signs.Heard(1, Start);
        signs.Heard(1, Start.AddSeconds(41));

        Assert.Equal(Start.AddSeconds(41).UtcDateTime, File.GetLastWriteTimeUtc(path));
    }

    private (ShardLifeSigns Signs, string Path) NewLifeSigns(IReadOnlyList<int> shards)
    {
        var path = Path.Combine(_folder.FullName, "healthy");
        var health = new HealthFile(MsOptions.Create(new HealthOptions { File = path }), new FakeTimeProvider(Start), NullLogger<HealthFile>.Instance);
        return (new ShardLifeSigns(() => shards, health), path);
    }
}
