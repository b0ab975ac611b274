using System.Text.Json.Nodes;
using CoachBot.Tests.Platforms.Discord;

namespace CoachBot.Tests.Storage.Postgres;

/// <summary>The bot mode against the fake Discord with Storage:Provider=postgres: commands are answered from PostgreSQL.</summary>
[Collection(PostgresTests.Name)]
public sealed class PostgresBotTests(PostgresFixture postgres)
{
    [SkippableFact]
    public async Task Bot_OnPostgres_EnrolsAMember_AndKeepsTheirProgressThere()
    {
        postgres.SkipUnlessAvailable();
        await using var database = await PostgresDatabase.CreateAsync(postgres, migrate: false);
        await using var bot = await BotHarness.CreateAsync();
        bot.Settings["Storage:Provider"] = "postgres";
        bot.Settings["ConnectionStrings:CoachBot"] = database.ConnectionString;
        await bot.StartAndWaitForReadyAsync();

        var enrolled = await bot.ReplyAsync(await bot.CommandAsync("enroll", new JsonObject { ["pathway"] = "ai-safety" }));
        var today = await bot.ReplyAsync(await bot.CommandAsync("today"));
        var done = await bot.ReplyAsync(await bot.ButtonAsync(BotHarness.CustomIds(today).First(id => id.StartsWith("done:", StringComparison.Ordinal))));

        Assert.Contains("Welcome to", BotHarness.Content(enrolled), StringComparison.Ordinal);
        Assert.Contains("✓ Done: ", BotHarness.Content(done), StringComparison.Ordinal);
        Assert.Equal(BotHarness.MemberUserId, await database.ScalarAsync("SELECT user_id FROM members"));
        Assert.Equal(1, await database.CountAsync("SELECT count(*) FROM completion_events WHERE kind = 'done'"));
        Assert.Equal(0, await bot.StopAsync());
    }
}
