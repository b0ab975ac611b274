using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CoachBot.Dashboard.Pages;

/// <summary>This server's settings: the group channel (as <c>/coach channel</c> sets it).</summary>
public sealed class SettingsModel(ICoachStore store, CoachSettings settings, TimeProvider time) : DashboardPageModel(store, settings)
{
    /// <summary>Discord channel ids are snowflakes: up to 20 digits.</summary>
    private const int MaxChannelLength = 100;

    public ServerSettings? Current { get; private set; }

    public string? ChannelInput { get; private set; }

    public string? Saved { get; private set; }

    public List<string> Problems { get; } = [];

    public bool ChannelIsNumeric => Session.Platform == "discord";

    public string ChannelHint => ChannelIsNumeric
        ? "In Discord: right-click the channel, then Copy Channel ID (turn on Developer Mode under Settings → Advanced). Or run /coach channel in the server."
        : "The channel's name.";

    public string LocalTime(DateTimeOffset instant) => Text.LocalTime(instant, Zone);

    /// <summary>When the weekly digest goes, in words: its day and time in the bot's default zone.</summary>
    public string DigestWhen =>
        $"{DuePlanner.DigestSlotTime.Day}s at {DuePlanner.DigestSlotTime.Time:HH\\:mm} ({Zone.Id})";

    public async Task OnGetAsync(bool saved, CancellationToken cancellationToken)
    {
        await LoadAsync(cancellationToken);
        Saved = saved ? "Saved." : null;
    }

    public async Task<IActionResult> OnPostChannelAsync(string? channel, CancellationToken cancellationToken)
    {
        var value = channel?.Trim().TrimStart('#');
        if (string.IsNullOrEmpty(value))
        {
            Problems.Add("Type the channel's ID; to stop the digest, ask in the server for /coach channel to be set elsewhere.");
        }
        else if (value.Length > MaxChannelLength || (ChannelIsNumeric && !(value.Length <= 20 && value.All(char.IsAsciiDigit))))
        {
            Problems.Add($"'{Text.Truncate(value, 40)}' is not a Discord channel ID; it is a number such as 1234567890123456789 (Copy Channel ID in Discord).");
        }

        if (Problems.Count > 0)
        {
            await LoadAsync(cancellationToken);
            ChannelInput = channel;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await Store.SetGroupChannelAsync(Session.Platform, Session.GuildId, value, time.GetUtcNow(), cancellationToken);
        return RedirectToPage(new { saved = true });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Current = await GetServerSettingsAsync(cancellationToken);
        ChannelInput = Current?.GroupChannelId;
    }
}
