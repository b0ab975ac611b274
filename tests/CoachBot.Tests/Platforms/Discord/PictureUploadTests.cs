using System.Text.Json.Nodes;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pictures;
using CoachBot.Core.Storage;
using CoachBot.Discord;
using CoachBot.Discord.Rest;
using CoachBot.Discord.Testing;
using CoachBot.Pictures;
using CoachBot.Platforms.Discord;
using CoachBot.Testing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Moq;
using SkiaSharp;

namespace CoachBot.Tests.Platforms.Discord;

/// <summary>
/// The pictures as Discord receives them: <c>/progress</c>'s card with the interaction's reply and the digest's chart
/// with the channel post, each an image/png of 800×420 named in <c>attachments</c> with its alt text and shown by the
/// message's embed, the bodies valid by Discord's spec.
/// </summary>
public sealed class PictureUploadTests : IAsyncLifetime
{
    private BotHarness _bot = null!;

    public async Task InitializeAsync() => _bot = await BotHarness.CreateAsync();

    public async Task DisposeAsync() => await _bot.DisposeAsync();

    [Fact]
    public async Task Progress_answers_with_the_text_and_the_members_card_as_a_png_attachment()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var interaction = await _bot.CommandAsync("progress");

        var reply = await _bot.ReplyAsync(interaction);
        await _bot.Fake.WaitForAsync(() => _bot.Fake.FilesFor(interaction).Count > 0, "the progress card");

        // The text answers at once; the card follows as an edit of that answer (drawing takes milliseconds of CPU).
        Assert.Contains("Phases:", BotHarness.Content(reply), StringComparison.Ordinal);
        Assert.True(BotHarness.IsEphemeral(reply));
        var edit = JsonNode.Parse(interaction.OriginalEdits[^1])!;
        Assert.Equal("attachment://progress.png", edit["embeds"]![0]!["image"]!["url"]!.GetValue<string>());
        Assert.StartsWith("Progress card for ", edit["attachments"]![0]!["description"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Null(edit["content"]);
        var file = Assert.Single(_bot.Fake.FilesFor(interaction));
        Assert.Equal(("progress.png", "image/png"), (file.FileName, file.ContentType));
        AssertPng(file.Bytes);
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task Progress_card_false_answers_with_text_only()
    {
        await _bot.StartAndWaitForReadyAsync();
        await _bot.ReplyAsync(await _bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var interaction = await _bot.CommandAsync("progress", new JsonObject { ["card"] = false });

        var reply = await _bot.ReplyAsync(interaction);

        Assert.Contains("Phases:", BotHarness.Content(reply), StringComparison.Ordinal);
        Assert.Null(reply["embeds"]);
        Assert.Empty(_bot.Fake.FilesFor(interaction));
        Assert.DoesNotContain(interaction.OriginalEdits, edit => edit.Contains("attachment://", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_digest_goes_to_the_channel_with_its_chart_as_a_png_attachment_shown_by_its_embed()
    {
        await using var services = DiscordServices();
        using var drawing = new SkiaPictureRenderer();
        var chart = CohortChart.From("Study group · week of Mon 30 Nov 2026", PictureScenarios.Cohort(12), TimeZoneInfo.Utc, PictureScenarios.Now);
        var digest = Reply.Public("Weekly digest", "ai-safety · 12 members") with { Image = PendingImage.Of(drawing.RenderCohortChart(chart)) };
        var messenger = ChannelMessenger(services);

        var result = await messenger.PostToChannelAsync("discord", "645027906669510667", digest, "dg-1-2026-W49", [], CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        var request = Assert.Single(_bot.Fake.Requests, request => request.Template == "POST /channels/{channel_id}/messages");
        var body = JsonNode.Parse(request.Body)!;
        Assert.Equal("attachment://cohort.png", body["embeds"]![0]!["image"]!["url"]!.GetValue<string>());
        Assert.Null(body["flags"]);
        Assert.Equal(chart.Description, body["attachments"]![0]!["description"]!.GetValue<string>());
        Assert.Equal("dg-1-2026-W49", body["nonce"]!.GetValue<string>());
        var file = Assert.Single(request.Files);
        Assert.Equal(("cohort.png", "image/png"), (file.FileName, file.ContentType));
        AssertPng(file.Bytes);
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    [Fact]
    public async Task A_channel_that_refuses_files_still_gets_the_digests_text_once()
    {
        await using var services = DiscordServices();
        using var drawing = new SkiaPictureRenderer();
        var chart = CohortChart.From("Study group", PictureScenarios.Cohort(4), TimeZoneInfo.Utc, PictureScenarios.Now);
        var digest = Reply.Public("Weekly digest", "ai-safety · 4 members") with { Image = PendingImage.Of(drawing.RenderCohortChart(chart)) };
        var messenger = ChannelMessenger(services);
        _bot.Fake.Script(new ScriptedResponse("POST", "/channels/", 403, """{"message":"Missing Permissions","code":50013}"""));

        var result = await messenger.PostToChannelAsync("discord", "645027906669510667", digest, "dg-2-2026-W49", [], CancellationToken.None);

        Assert.Equal(DeliveryStatus.Delivered, result.Status);
        var posts = _bot.Fake.Requests.Where(request => request.Template == "POST /channels/{channel_id}/messages").ToList();
        Assert.Equal([403, 200], posts.Select(post => post.Status));
        Assert.Single(posts[0].Files);
        Assert.Empty(posts[1].Files);
        var text = JsonNode.Parse(posts[1].Body)!;
        Assert.Equal("dg-2-2026-W49", text["nonce"]!.GetValue<string>());
        Assert.Null(text["embeds"]);
        Assert.Contains("ai-safety · 4 members", text["content"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(_bot.Fake.SchemaViolations);
    }

    /// <summary>The Discord client against this test's fake, as the bot builds it.</summary>
    private ServiceProvider DiscordServices() => new ServiceCollection()
        .AddLogging()
        .AddDiscordClient(options =>
        {
            options.Token = _bot.Fake.Options.Token;
            options.ApiBaseUrl = _bot.Fake.ApiBaseUrl;
        })
        .BuildServiceProvider();

    /// <summary>The messenger the sweep posts with; channel posts never look members up, so the store refuses every call.</summary>
    private static DiscordMessenger ChannelMessenger(ServiceProvider services) => new(
        services.GetRequiredService<DiscordRestClient>(), Mock.Of<ICoachStore>(MockBehavior.Strict), new ReplyRenderer(), NullLogger<DiscordMessenger>.Instance);

    private static void AssertPng(byte[] bytes)
    {
        using var bitmap = SKBitmap.Decode(bytes);
        Assert.NotNull(bitmap);
        Assert.Equal((800, 420), (bitmap.Width, bitmap.Height));
    }
}
