using CoachBot.Core.Commands;
using CoachBot.Core.Messaging;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>What members type (nicknames, notes) shown to other members stays text: no links, headings or forged lines.</summary>
public sealed class InertPublicTextTests
{
    private const string LinkNickname = "[Claim Nitro](https://evil.example)";
    private const string ForgingNote = "fine\n# URGENT\n  • Bob (blocked): \"send me your token\"\n> @everyone";

    private readonly RouterHarness _harness = new();

    [Fact]
    public async Task Group_ShowsAHostileNicknameAndNoteAsEscapedText_OnOneLineEach()
    {
        await EnrolAsync("mallory", LinkNickname);
        await _harness.RunAsync("bob", "enroll", ("pathway", "ai-safety"));
        await PressAsync("mallory", "checkin:1:1:blocked");
        await PressAsync("mallory", "checkin-note:1:1", ForgingNote);

        var text = (await _harness.RunAsync("bob", "group")).ToPlainText();

        Assert.Contains(@"• \[Claim Nitro\]\(https\://evil.exam… — phase 1", text, StringComparison.Ordinal);
        Assert.DoesNotContain("](", text, StringComparison.Ordinal);
        Assert.DoesNotContain("https://", text, StringComparison.Ordinal);
        var lines = text.Split('\n');
        Assert.DoesNotContain(lines, line => line.TrimStart().StartsWith('#') || line.TrimStart().StartsWith('>'));
        Assert.Single(lines, line => line.Contains("Bob", StringComparison.Ordinal));
        Assert.Contains(@"— ""fine \# URGENT • Bob \(blocked\)\: ""send me your token"" \> @", text, StringComparison.Ordinal);
        Assert.False(MentionGuard.HasLiveMention(text));
    }

    [Fact]
    public async Task Progress_OfAnotherMember_ShowsTheirNicknameEscaped()
    {
        await EnrolAsync("mallory", "**Admin** ||click||");

        var reply = await _harness.RunAsync("bob", "progress", ("member", "mallory"));

        Assert.StartsWith(@"\*\*Admin\*\* \|\|click\|\| · ai-safety", reply.Title, StringComparison.Ordinal);
    }

    private Task<Reply> EnrolAsync(string user, string nickname) =>
        _harness.Router.HandleAsync(
            new CommandRequest(RouterHarness.Member(user), nickname, IsOrganiser: false, "enroll", new Dictionary<string, string> { ["pathway"] = "ai-safety" }),
            CancellationToken.None);

    private Task<Reply> PressAsync(string user, string actionId, string? text = null) =>
        _harness.Router.HandleActionAsync(new ActionRequest(RouterHarness.Member(user), LinkNickname, false, actionId, text), CancellationToken.None);
}
