using System.Text.Json;
using CoachBot.Core.Storage;
using CoachBot.Core.Tests.Fakes;
using CoachBot.TestSupport;
using CsCheck;

namespace CoachBot.Core.Tests.Commands;

/// <summary>A button's action id is data from the client: a forged one must never touch another member's data.</summary>
public sealed class HostileMemberTests
{
    private readonly RouterHarness _harness = new();

    [Theory]
    [InlineData("done:{0}:p1w1")]
    [InlineData("checkin:{0}:1:on-track")]
    [InlineData("checkin:{0}:1:blocked")]
    [InlineData("unenroll:{0}")]
    public async Task PressAsync_WithAnActionIdNamingAnotherMembersEnrolment_ChangesNothingOfTheirs(string actionTemplate)
    {
        var victimEnrolment = await EnrolVictimAsync();
        await _harness.RunAsync("mallory", "enroll", ("pathway", "web-dev"));
        var before = await VictimDataAsync();

        var reply = await _harness.PressAsync("mallory", string.Format(System.Globalization.CultureInfo.InvariantCulture, actionTemplate, victimEnrolment));

        Assert.Contains("someone else's pathway", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(before, await VictimDataAsync());
    }

    [Fact]
    public async Task PressAsync_WithACheckInNoteForAnotherMembersEnrolment_SavesNothing()
    {
        var victimEnrolment = await EnrolVictimAsync();
        var before = await VictimDataAsync();

        var reply = await _harness.PressAsync("mallory", $"checkin-note:{victimEnrolment}:1", "I am not victim");

        Assert.Contains("someone else's pathway", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(before, await VictimDataAsync());
    }

    [Theory]
    [InlineData("delete-data")]
    [InlineData("delete-data:{0}")]
    [InlineData("delete-data:victim")]
    public async Task PressAsync_DeleteDataWithAnyArguments_DeletesOnlyThePressersData(string actionTemplate)
    {
        var victimEnrolment = await EnrolVictimAsync();
        await _harness.RunAsync("mallory", "enroll", ("pathway", "web-dev"));
        var before = await VictimDataAsync();

        await _harness.PressAsync("mallory", string.Format(System.Globalization.CultureInfo.InvariantCulture, actionTemplate, victimEnrolment));

        Assert.Equal(before, await VictimDataAsync());
        Assert.Null(await _harness.Store.FindMemberAsync(new MemberKey("test", "mallory"), CancellationToken.None));
    }

    [Theory]
    [InlineData("undo:{0}:p1w1")]
    [InlineData("done:{0}:p1w1:extra")]
    [InlineData("unenroll:{0}:{0}")]
    [InlineData("coach:stats")]
    [InlineData("coach:channel:evil")]
    public async Task PressAsync_WithAMalformedOrUnknownActionId_SaysTheButtonIsOutOfDate(string actionTemplate)
    {
        var victimEnrolment = await EnrolVictimAsync();
        var before = await VictimDataAsync();

        var reply = await _harness.PressAsync("mallory", string.Format(System.Globalization.CultureInfo.InvariantCulture, actionTemplate, victimEnrolment));

        Assert.Contains("out of date", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Equal(before, await VictimDataAsync());
    }

    [Theory]
    [InlineData("stats")]
    [InlineData("channel")]
    public async Task Coach_WhenNotAnOrganiser_IsRefusedAndChangesNothing(string action)
    {
        var reply = await _harness.RunAsync("mallory", "coach", ("action", action), ("channel", "spam"));

        Assert.Contains("Only the server's organisers", reply.ToPlainText(), StringComparison.Ordinal);
        Assert.Null(await _harness.Store.GetServerSettingsAsync("test", "guild-1", CancellationToken.None));
    }

    [Fact]
    public async Task Done_OwnButtonAfterForgedOnes_StillWorksForTheOwner()
    {
        var victimEnrolment = await EnrolVictimAsync();
        await _harness.PressAsync("mallory", $"done:{victimEnrolment}:p1w2");

        var reply = await _harness.PressAsync("victim", $"done:{victimEnrolment}:p1w2");

        Assert.Contains("✓ Done", reply.ToPlainText(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task RandomForgedPressesAndCommands_ByAnotherMember_NeverChangeTheVictimsData()
    {
        var action = Gen.Select(
                Gen.OneOf("done", "checkin", "checkin-note", "unenroll", "delete-data", "cancel", "undo", "coach", "pause"),
                Gen.OneOf("{victim}", "{mallory}", "0", "-1", "999", "p1w1", "p1w2", "1", "2", "on-track", "blocked", "behind", "", "x").Array[0, 4])
            .Select((prefix, arguments) => string.Join(':', [prefix, .. arguments]));
        var command = Gen.Select(
            Gen.OneOf("done", "undo", "unenroll", "checkin", "pause", "resume", "remind", "mydata", "progress", "coach"),
            Gen.OneOf("pathway", "task", "action", "member", "day", "channel"),
            Gen.OneOf("ai-safety", "web-dev", "1", "p1w1", "delete", "export", "victim", "@victim", "Friday", "stats"));
        var step = Gen.Frequency(
            (3, action.Select(id => (Action: (string?)id, Command: ((string, string, string)?)null))),
            (1, command.Select(parts => (Action: (string?)null, Command: ((string, string, string)?)parts))));

        await step.Array[1, 25].SampleAsync(async steps =>
        {
            var harness = new RouterHarness();
            await harness.RunAsync("victim", "enroll", ("pathway", "ai-safety"));
            await harness.RunAsync("victim", "done", ("task", "1"));
            var victimMember = await harness.Store.FindMemberAsync(new MemberKey("test", "victim"), CancellationToken.None);
            var victimEnrolment = (await harness.Store.GetEnrolmentsAsync(victimMember!.Id, CancellationToken.None))[0].Id;
            await harness.RunAsync("mallory", "enroll", ("pathway", "web-dev"));
            var malloryMember = await harness.Store.FindMemberAsync(new MemberKey("test", "mallory"), CancellationToken.None);
            var malloryEnrolment = (await harness.Store.GetEnrolmentsAsync(malloryMember!.Id, CancellationToken.None))[0].Id;
            var before = JsonSerializer.Serialize(await harness.Store.ExportMemberDataAsync(new MemberKey("test", "victim"), CancellationToken.None));

            foreach (var (actionId, commandParts) in steps)
            {
                if (actionId is not null)
                {
                    await harness.PressAsync("mallory", actionId.Replace("{victim}", $"{victimEnrolment}", StringComparison.Ordinal)
                        .Replace("{mallory}", $"{malloryEnrolment}", StringComparison.Ordinal), "forged note");
                }
                else if (commandParts is var (name, option, value))
                {
                    await harness.RunAsync("mallory", name, (option, value));
                }
            }

            Assert.Equal(before, JsonSerializer.Serialize(await harness.Store.ExportMemberDataAsync(new MemberKey("test", "victim"), CancellationToken.None)));
        }, iter: FuzzRuns.Iterations(ci: 300, full: 20_000));
    }

    private async Task<long> EnrolVictimAsync()
    {
        await _harness.RunAsync("victim", "enroll", ("pathway", "ai-safety"));
        await _harness.RunAsync("victim", "done", ("task", "1"));
        var member = await _harness.Store.FindMemberAsync(new MemberKey("test", "victim"), CancellationToken.None);
        return (await _harness.Store.GetEnrolmentsAsync(member!.Id, CancellationToken.None))[0].Id;
    }

    private async Task<string> VictimDataAsync() =>
        JsonSerializer.Serialize(await _harness.Store.ExportMemberDataAsync(new MemberKey("test", "victim"), CancellationToken.None));
}
