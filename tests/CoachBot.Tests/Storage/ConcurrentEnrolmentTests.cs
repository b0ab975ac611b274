using System.Reflection;
using System.Runtime.ExceptionServices;
using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pathways;
using CoachBot.Core.Storage;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Tests.Storage;

/// <summary>The same member sends <c>/enroll</c> for the same pathway twice at once, against the real SQLite store.</summary>
public sealed class ConcurrentEnrolmentTests
{
    private static readonly MemberRef Member = new("discord", "guild-1", "42");

    [Fact]
    public async Task Enroll_TwiceAtOnceForTheSamePathway_AnswersAlreadyEnrolled_AndKeepsOneEnrolment()
    {
        await using var database = await TempDatabase.CreateAsync();
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var catalog = new PathwayCatalog([TestPathway.With("ai-safety", 2, "t1", "t2")]);

        // Both commands have read "not enrolled yet" before either writes: the race two quick clicks can produce.
        var store = EnrolmentRace.Between(database.Store, racers: 2);
        var router = new CommandRouter(new CoachServices(store, catalog, clock, new CoachSettings(TimeZoneInfo.Utc)));

        var replies = await Task.WhenAll(EnrollAsync(router), EnrollAsync(router));

        var texts = replies.Select(reply => reply.ToPlainText()).ToList();
        Assert.Single(texts, text => text.Contains("Welcome to ai-safety", StringComparison.Ordinal));
        Assert.Single(texts, text => text.Contains("You are already enrolled in ai-safety (since ", StringComparison.Ordinal));
        Assert.DoesNotContain(texts, text => text.Contains("organiser", StringComparison.Ordinal));
        Assert.Equal(1, await database.ScalarAsync("SELECT count(*) FROM enrolments;"));
    }

    private static Task<Reply> EnrollAsync(CommandRouter router) =>
        Task.Run(() => router.HandleAsync(
            new CommandRequest(Member, "Ada", IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" }),
            CancellationToken.None));

    /// <summary>The store, except that each enrolment waits at the door until every racer has come to write its own.</summary>
    public class EnrolmentRace : DispatchProxy
    {
        private readonly TaskCompletionSource _allArrived = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private ICoachStore _inner = null!;
        private int _racers;
        private int _arrived;

        public static ICoachStore Between(ICoachStore inner, int racers)
        {
            var proxy = Create<ICoachStore, EnrolmentRace>();
            var race = (EnrolmentRace)(object)proxy;
            race._inner = inner;
            race._racers = racers;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            ArgumentNullException.ThrowIfNull(targetMethod);
            return targetMethod.Name == nameof(ICoachStore.CreateEnrolmentAsync) ? RaceAsync(targetMethod, args) : Call(targetMethod, args);
        }

        private async Task<EnrolmentRow> RaceAsync(MethodInfo targetMethod, object?[]? args)
        {
            if (Interlocked.Increment(ref _arrived) == _racers)
            {
                _allArrived.SetResult();
            }

            await _allArrived.Task.WaitAsync(TimeSpan.FromSeconds(30));
            return await (Task<EnrolmentRow>)Call(targetMethod, args)!;
        }

        private object? Call(MethodInfo targetMethod, object?[]? args)
        {
            try
            {
                return targetMethod.Invoke(_inner, args);
            }
            catch (TargetInvocationException failure) when (failure.InnerException is { } inner)
            {
                ExceptionDispatchInfo.Throw(inner);
                throw;
            }
        }
    }
}
