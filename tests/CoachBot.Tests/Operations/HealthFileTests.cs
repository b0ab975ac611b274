using CoachBot.Operations;
using CoachBot.Options;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;
using Moq;
using MsOptions = Microsoft.Extensions.Options.Options;

namespace CoachBot.Tests.Operations;

public sealed class HealthFileTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 9, 0, 0, TimeSpan.Zero);
    private readonly DirectoryInfo _folder = Directory.CreateTempSubdirectory("coachbot-health-");
    private readonly FakeTimeProvider _clock = new(Start);

    public void Dispose() => _folder.Delete(recursive: true);

    [Fact]
    public void MarkAlive_WhenTheFileAndItsFolderDoNotExist_CreatesThemStampedWithNow()
    {
        var path = Path.Combine(_folder.FullName, "run", "healthy");
        var health = NewHealthFile(path);

        health.MarkAlive();

        Assert.True(File.Exists(path));
        Assert.Equal(Start.UtcDateTime, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void MarkAlive_OnEachHeartbeat_MovesTheFileTimeForward()
    {
        var path = Path.Combine(_folder.FullName, "healthy");
        var health = NewHealthFile(path);
        health.MarkAlive();

        _clock.Advance(TimeSpan.FromSeconds(41));
        health.MarkAlive();

        Assert.Equal(Start.AddSeconds(41).UtcDateTime, File.GetLastWriteTimeUtc(path));
    }

    [Fact]
    public void MarkAlive_WhenTheFileWasDeletedMeanwhile_CreatesItAgain()
    {
        var path = Path.Combine(_folder.FullName, "healthy");
        var health = NewHealthFile(path);
        health.MarkAlive();
        File.Delete(path);

        health.MarkAlive();

        Assert.True(File.Exists(path));
    }

    [Fact]
    public void MarkAlive_WhenThePathCannotBeWritten_WarnsOnceAndNeverThrows()
    {
        var blocker = Path.Combine(_folder.FullName, "a-file");
        File.WriteAllText(blocker, "");
        var logger = new Mock<ILogger<HealthFile>>();
        logger.Setup(log => log.IsEnabled(It.IsAny<LogLevel>())).Returns(true);
        var health = new HealthFile(MsOptions.Create(new HealthOptions { File = Path.Combine(blocker, "healthy") }), _clock, logger.Object);

        health.MarkAlive();
        health.MarkAlive();

        logger.Verify(
            log => log.Log(LogLevel.Warning, It.Is<EventId>(id => id.Id == 700), It.IsAny<It.IsAnyType>(), It.IsAny<Exception?>(), It.IsAny<Func<It.IsAnyType, Exception?, string>>()),
            Times.Once);
    }

    [Fact]
    public void DefaultFile_IsInTheTemporaryFolder()
    {
        var options = new HealthOptions();

        Assert.Equal(Path.Combine(Path.GetTempPath(), "coachbot-healthy"), options.File);
    }

    [Theory]
    [InlineData("")]
    [InlineData("  ")]
    public void Path_WhenTheSettingIsEmpty_IsTheDefault(string configured)
    {
        var health = NewHealthFile(configured);

        Assert.Equal(HealthOptions.DefaultFile, health.Path);
    }

    private HealthFile NewHealthFile(string path) =>
        new(MsOptions.Create(new HealthOptions { File = path }), _clock, NullLogger<HealthFile>.Instance);

    /// <summary>A folder as the file, or a path the file system cannot take (a NUL from a JSON escape): one sentence naming the key.</summary>
    [Theory]
    [InlineData("folder")]
    [InlineData("nul")]
    public void EnsureWritable_OnAPathThatCannotBeAFile_StopsWithOneSentenceNamingTheKey(string kind)
    {
        var path = kind == "folder" ? _folder.FullName : Path.Combine(_folder.FullName, "heal\0thy");
        var health = NewHealthFile(path);

        var failure = Assert.Throws<StartupException>(health.EnsureWritable);

        Assert.Contains("Health__File", failure.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void MarkAlive_OnAPathTheFileSystemCannotTake_LogsInsteadOfThrowing()
    {
        var health = NewHealthFile(Path.Combine(_folder.FullName, "heal\0thy"));

        health.MarkAlive();

        Assert.Empty(_folder.GetFiles());
    }
}
