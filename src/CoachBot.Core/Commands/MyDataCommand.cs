using System.Text.Json;
using System.Text.Json.Serialization;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;

namespace CoachBot.Core.Commands;

/// <summary><c>/mydata export</c> (a JSON file of every row about the member) and <c>/mydata delete</c> (after a confirm button).</summary>
internal sealed class MyDataCommand : ICommandHandler, IActionHandler
{
    private const string DeleteActionId = "delete-data";

    private static readonly JsonSerializerOptions _json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.KebabCaseLower) },
    };

    public CommandDefinition Definition { get; } = new("mydata", "Export or delete all your data",
        [new("action", "export or delete", Required: true, Choices: ["export", "delete"])])
    {
        Examples = ["/mydata export", "/mydata delete"],
    };

    public string Prefix => DeleteActionId;

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var action = options.Require("action", "Say what to do: `/mydata export` or `/mydata delete`.").ToLowerInvariant();
        switch (action)
        {
            case "export":
                var data = await context.Store.ExportMemberDataAsync(MemberKey.Of(context.MemberRef), cancellationToken);
                var json = JsonSerializer.Serialize(data, _json);
                return Reply.Private("Your data", "Everything CoachBot stores about you is in the attached file.") with
                {
                    Attachment = new ReplyAttachment("coachbot-my-data.json", "application/json", json),
                };
            case "delete":
                return Reply.Private("Delete all your data?", "This deletes your enrolments, progress, check-ins and settings, in every server. It cannot be undone.")
                    .WithButtons([new ReplyButton("Delete everything", DeleteActionId, ButtonStyle.Danger), new ReplyButton("Cancel", CancelAction.ActionId)]);
            default:
                throw new CommandException($"'{action}' is not something `/mydata` does; use `/mydata export` or `/mydata delete`.");
        }
    }

    public async Task<Reply> HandleActionAsync(CommandContext context, IReadOnlyList<string> arguments, string? text, CancellationToken cancellationToken)
    {
        // The button acts on whoever presses it, so it can only ever delete the presser's own data.
        await context.Store.DeleteMemberDataAsync(MemberKey.Of(context.MemberRef), cancellationToken);
        return Reply.Private("Deleted", "All your data is deleted. If you use a command again, CoachBot starts afresh.") with { ReplacesPrompt = true };
    }
}
