using CoachBot.Core.Messaging;
using CoachBot.Core.Tests.Fakes;

namespace CoachBot.Core.Tests.Commands;

/// <summary>
/// <c>/done task note: link:</c>: evidence kept with a completion, shown by the member's own <c>/progress</c> and to
/// nobody else, refused with a sentence when the link is not a web address (and then nothing is ticked off).
/// </summary>
public sealed class DoneEvidenceTests
{
    [Fact]
    public async Task A_note_and_a_link_are_kept_and_the_members_progress_shows_them()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var done = await harness.RunAsync("ada", "done", ("task", "1"), ("note", "Set up PyTorch"), ("link", "https://github.com/ada/ml-notes"));
        var progress = (await harness.RunAsync("ada", "progress")).ToPlainText();

        Assert.Contains("Evidence saved", done.ToPlainText(), StringComparison.Ordinal);
        var stored = Assert.Single(await harness.Store.GetCompletionEventsAsync(1, CancellationToken.None));
        Assert.Equal(("Set up PyTorch", "https://github.com/ada/ml-notes"), (stored.Note, stored.Link));
        Assert.Contains("Latest evidence:\n  • Phase 1 task of week 1 — Set up PyTorch · <https://github.com/ada/ml-notes> (Mon 7 Dec 2026)", progress, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("javascript:alert(1)")]
    [InlineData("ftp://example.org/file")]
    [InlineData("not a link")]
    [InlineData("https://exa mple.org")]
    [InlineData("github.com/ada")]
    public async Task A_link_that_is_not_a_web_address_is_refused_and_nothing_is_ticked_off(string link)
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.RunAsync("ada", "done", ("task", "1"), ("link", link));

        Assert.Equal("`link` takes one web address starting with https:// or http://, e.g. `link:https://github.com/you/notes`.", reply.ToPlainText());
        Assert.Empty(await harness.Store.GetCompletionEventsAsync(1, CancellationToken.None));
    }

    [Theory]
    [InlineData("https://example.org/@everyone", "<https://example.org/@​everyone>")]
    [InlineData("https://example.org/a>b](https://evil.example)", "<https://example.org/a%3Eb](https://evil.example)>")]
    public async Task A_link_with_a_mention_or_a_closing_bracket_is_shown_inert_and_whole(string link, string shown)
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("ada", "done", ("task", "1"), ("link", link));

        var progress = (await harness.RunAsync("ada", "progress")).ToPlainText();

        Assert.False(MentionGuard.HasLiveMention(progress));
        Assert.Contains(shown, progress, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_over_200_characters_is_refused_and_nothing_is_ticked_off()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));

        var reply = await harness.RunAsync("ada", "done", ("task", "1"), ("note", new string('n', 201)));

        Assert.Contains("`note` is too long (201 characters)", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Empty(await harness.Store.GetCompletionEventsAsync(1, CancellationToken.None));
    }

    [Fact]
    public async Task Another_member_asking_for_the_progress_sees_no_evidence()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("ada", "done", ("task", "1"), ("note", "private reflections"));

        var seenByBob = (await harness.RunAsync("bob", "progress", ("member", "ada"))).ToPlainText();

        Assert.Contains("1/2", seenByBob, StringComparison.Ordinal);
        Assert.DoesNotContain("private reflections", seenByBob, StringComparison.Ordinal);
        Assert.DoesNotContain("evidence", seenByBob, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Undoing_a_task_takes_its_evidence_off_progress_but_the_export_keeps_the_history()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("ada", "done", ("task", "1"), ("note", "first try"));
        await harness.RunAsync("ada", "undo", ("task", "p1w1"));

        var progress = (await harness.RunAsync("ada", "progress")).ToPlainText();
        var export = (await harness.RunAsync("ada", "mydata", ("action", "export"))).Attachment!.Content;

        Assert.DoesNotContain("Latest evidence", progress, StringComparison.Ordinal);
        Assert.Contains("\"note\": \"first try\"", export, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_note_with_markup_and_mentions_is_shown_as_inert_text()
    {
        var harness = new RouterHarness();
        await harness.RunAsync("ada", "enroll", ("pathway", "ai-safety"));
        await harness.RunAsync("ada", "done", ("task", "1"), ("note", "@everyone [click](https://evil.example) # big"));

        var progress = (await harness.RunAsync("ada", "progress")).ToPlainText();

        Assert.False(MentionGuard.HasLiveMention(progress));
        Assert.DoesNotContain("[click](https://evil.example)", progress, StringComparison.Ordinal);
    }
}
