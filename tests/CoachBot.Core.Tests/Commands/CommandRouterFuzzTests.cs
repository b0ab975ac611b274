using CoachBot.Core.Commands;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Tests.Fakes;
using CoachBot.TestSupport;
using CsCheck;
using Microsoft.Extensions.Time.Testing;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// Random sessions of several members: commands with hostile option values, presses of real and forged buttons, time
/// passing. Every answer is a non-empty sentence with no live mention, and nothing throws.
/// </summary>
public sealed class CommandRouterFuzzTests
{
    public static readonly string?[] HostileValues =
    [
        null, "", " ", "\0", "\t\n", "@everyone", "@here", "<@123>", "<@!123>", "<@&42>", "@everyone please read",
        "🎉🚀👩‍👩‍👧‍👦", "مرحبا بالعالم", "\u202Eai-safety\u202C", "שלום", "\uD800", "\uFFFF", new string('x', 6000), string.Concat(Enumerable.Repeat("🎉", 3000)),
        "'; DROP TABLE members; --", "%s%n", "{0}", "../../etc/passwd", "`code`", "**bold**", "```", "ai-safety", "web-dev", "AI-SAFETY",
        "1", "2", "0", "-1", "99999999999", "p1w1", "p2w1", "Phase 1 task of week 1", "2026-12-01", "2026-02-30", "1900-01-01",
        "9999-12-31", "Europe/Berlin", "Not/AZone", "UTC", "Friday", "fri", "Funday", "18:00", "25:00", "true", "false", "maybe",
        "export", "delete", "stats", "channel", "#study-group", "123456789012345678",
    ];

    private static readonly string[] _members = ["alice", "bob", "@everyone", "<@123>"];

    private static readonly string[] _forgedActions =
    [
        "", ":", "done", "done:", "done:1", "done:1:p1w1", "done:2:p1w1", "done:999:p1w1", "done:-1:x", "done:abc:def", "done:1:p1w1:extra",
        "checkin:1:1:on-track", "checkin:2:1:blocked", "checkin:1:x:on-track", "checkin:1:1:sideways", "checkin-note:1:1", "checkin-note:2:1",
        "unenroll:1", "unenroll:2", "unenroll:3", "unenroll:x", "delete-data", "delete-data:2", "cancel", "coach:stats", "coach:channel:x",
        "@everyone", new string(':', 100),
    ];

    private static readonly Gen<string?> _value = Gen.Frequency(
        (8, Gen.OneOf(HostileValues)),
        (1, Gen.String[0, 40].Select(text => (string?)text)));

    private static readonly Gen<Step> _step =
        Gen.Select(Gen.Int[0, 9], Gen.Int[0, _members.Length - 1], Gen.Bool, Gen.Int[0, CommandCatalog.All.Count], Gen.Select(Gen.Int[0, 8], _value).Array[0, 4],
            Gen.Int[0, 30], Gen.OneOf(_forgedActions), _value)
        .Select((kind, member, organiser, command, options, index, forged, text) =>
            new Step(kind, _members[member], organiser, command, options, index, forged, text));

    [Fact]
    public async Task RandomSessions_NeverThrow_AndEveryReplyIsSafeText()
    {
        await _step.Array[1, 40].SampleAsync(
            RunSessionAsync,
            iter: FuzzRuns.Iterations(ci: 200, full: 20_000),
            print: steps => string.Join("\n", steps.Select(step => step.ToString())));
    }

    private static async Task RunSessionAsync(Step[] steps)
    {
        var clock = new FakeTimeProvider(new DateTimeOffset(2026, 12, 7, 10, 0, 0, TimeSpan.Zero));
        var router = new CommandRouter(new CoachServices(new InMemoryCoachStore(), TestPathways.Catalog(), clock, new CoachSettings(TimeZoneInfo.Utc)));
        var buttons = new Dictionary<string, IReadOnlyList<ReplyButton>>();
        foreach (var step in steps)
        {
            var member = new MemberRef("test", "guild-1", step.Member);
            Reply reply;
            if (step.Kind <= 5)
            {
                var command = step.Command < CommandCatalog.All.Count ? CommandCatalog.All[step.Command] : null;
                var options = new Dictionary<string, string>();
                foreach (var (slot, value) in step.Options)
                {
                    var name = command is not null && slot < command.Options.Count ? command.Options[slot].Name : "unknown";
                    options[name] = value!;
                }

                // Platforms always send a display name; a missing one must still not break anything.
                var displayName = step.Kind == 0 ? null! : step.Member;
                reply = await router.HandleAsync(
                    new CommandRequest(member, displayName, step.Organiser, command?.Name ?? step.Text ?? string.Empty, options), CancellationToken.None);
            }
            else if (step.Kind <= 8)
            {
                var own = buttons.GetValueOrDefault(step.Member, []);
                var actionId = step.Kind == 8 || own.Count == 0 ? step.Forged : own[step.ButtonIndex % own.Count].ActionId;
                reply = await router.HandleActionAsync(new ActionRequest(member, step.Member, step.Organiser, actionId, step.Text), CancellationToken.None);
            }
            else
            {
                clock.Advance(TimeSpan.FromHours(step.ButtonIndex * 7));
                continue;
            }

            AssertSafe(reply);
            if (reply.Buttons.Count > 0)
            {
                buttons[step.Member] = reply.Buttons;
            }
        }
    }

    internal static void AssertSafe(Reply reply)
    {
        var text = reply.ToPlainText();
        Assert.False(string.IsNullOrWhiteSpace(text), "A reply without text.");
        Assert.False(MentionGuard.HasLiveMention(text), $"A live mention in: {text}");
        Assert.All(reply.Buttons, button => Assert.False(MentionGuard.HasLiveMention(button.Label), button.Label));
        Assert.DoesNotContain("Exception", text, StringComparison.Ordinal);
        Assert.True(text.Length < 6000, $"A reply of {text.Length} characters.");
    }

    internal sealed record Step(
        int Kind,
        string Member,
        bool Organiser,
        int Command,
        (int Slot, string? Value)[] Options,
        int ButtonIndex,
        string Forged,
        string? Text)
    {
        public override string ToString() =>
            $"{Kind} {Member} org={Organiser} cmd={Command} [{string.Join(", ", Options.Select(option => $"{option.Slot}={Short(option.Value)}"))}] b={ButtonIndex} forged={Short(Forged)} text={Short(Text)}";

        private static string Short(string? value) => value is null ? "null" : value.Length > 30 ? $"{value[..30]}…({value.Length})" : value;
    }
}
