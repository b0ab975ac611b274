using System.Text.Json;
using BenchmarkDotNet.Attributes;
using CoachBot.Core.Messaging;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Platforms.Discord;

namespace CoachBot.Benchmarks;

/// <summary>The hot pure functions: the next weekly runs of a member, a reply rendered for Discord, and its JSON.</summary>
[MemoryDiagnoser]
[ShortRunJob]
public class MicroBenchmarks
{
    private static readonly DateTimeOffset Now = new(2026, 11, 30, 9, 1, 0, TimeSpan.Zero);
    private static readonly DateOnly Start = new(2026, 11, 23);
    private static readonly TimeZoneInfo Berlin = TimeZoneInfo.FindSystemTimeZoneById("Europe/Berlin");
    private readonly ReminderSettings _settings = ReminderSettings.Default;
    private readonly ReplyRenderer _renderer = new();
    private readonly Reply _reply = Reply.Private("Week 2 of Basics", "- [ ] Read chapter two", "- [x] Read chapter one");

    [Benchmark]
    public object WeeklySlotNextRuns() => WeeklySlot.NextRuns(_settings, Berlin, Start, [], Now);

    [Benchmark]
    public object RenderReply() => _renderer.Render(_reply);

    [Benchmark]
    public string SerializeRenderedReply() => JsonSerializer.Serialize(_renderer.Render(_reply).Messages[0].Content);
}
