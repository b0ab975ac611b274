using CoachBot.Core.Delivery;
using CoachBot.Core.Enrolment;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Mvc;

namespace CoachBot.Dashboard.Pages;

/// <summary>
/// This server's settings: the group channel (as <c>/coach channel</c> sets it) and when its weekly digest goes (day
/// and time in the server's zone). Each form saves its own part; a value that is wrong saves nothing and says why.
/// </summary>
public sealed class SettingsModel(ICoachStore store, CoachSettings settings, TimeProvider clock) : DashboardPageModel(store, settings)
{
    /// <summary>Discord channel ids are snowflakes: up to 20 digits.</summary>
    private const int MaxChannelLength = 100;

    public ServerSettings? Current { get; private set; }

    public string? ChannelInput { get; private set; }

    public string? Saved { get; private set; }

    public List<string> Problems { get; } = [];

    public bool ChannelIsNumeric => Session.Platform == "discord";

    public bool ChannelIsSlackId => Session.Platform == Platforms.Slack.SlackInbound.Platform;

    public string ChannelHint => ChannelIsNumeric
        ? "In Discord: right-click the channel, then Copy Channel ID (turn on Developer Mode under Settings → Advanced). Or run /coach channel in the server."
        : ChannelIsSlackId
        ? "In Slack: open the channel's details (click its name); its Channel ID (C…) is at the bottom. Invite CoachBot there too. Or run /coach channel #name in the workspace."
        : "The channel's name.";

    public string LocalTime(DateTimeOffset instant) => Text.LocalTime(instant, Zone);

    public static IReadOnlyList<DayOfWeek> Days { get; } =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    public TimeZoneInfo BotZone => Settings.DefaultTimeZone;

    public string? ZoneInput { get; private set; }

    public string? DayInput { get; private set; }

    public string? TimeInput { get; private set; }

    /// <summary>When the weekly digest goes, in words: its day and time in its zone.</summary>
    public string DigestWhen
    {
        get
        {
            var schedule = DigestSchedule.For(Current ?? new ServerSettings(Session.Platform, Session.GuildId, null), BotZone, out _);
            return $"{schedule.Day}s at {schedule.Time:HH\\:mm} ({schedule.Zone.Id})";
        }
    }

    public async Task<IActionResult> OnPostScheduleAsync(string? zone, string? day, string? time, CancellationToken cancellationToken)
    {
        var zoneId = string.IsNullOrWhiteSpace(zone) ? null : zone.Trim();
        TimeZoneInfo? found = null;
        if (zoneId is not null && (zoneId.Length > MaxChannelLength || !TimeZones.TryFind(zoneId, out found)))
        {
            Problems.Add($"'{Text.Truncate(zoneId, 40)}' is not a time zone; use an IANA name such as {TimeZones.Example}, or leave it empty for {BotZone.Id}.");
        }

        if (!Enum.TryParse<DayOfWeek>(day, ignoreCase: true, out var digestDay) || !Enum.IsDefined(digestDay) || int.TryParse(day, out _))
        {
            Problems.Add("Pick the digest's day from the list.");
        }

        if (!TimeOnly.TryParseExact(time?.Trim(), ["HH:mm", "H:mm", "HH:mm:ss"], System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None, out var digestTime))
        {
            Problems.Add($"'{Text.Truncate(time ?? "", 20)}' is not a time of day; use 24-hour HH:mm such as 09:00.");
        }

        if (Problems.Count > 0)
        {
            await LoadAsync(cancellationToken);
            (ZoneInput, DayInput, TimeInput) = (zone, day, time);
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        // Whole minutes: the sweep looks once a minute, and the page shows HH:mm.
        var minute = new TimeOnly(digestTime.Hour, digestTime.Minute);
        await Store.SaveServerScheduleAsync(Session.Platform, Session.GuildId, found?.Id ?? zoneId, digestDay, minute, clock.GetUtcNow(), cancellationToken);
        return RedirectToPage(new { saved = true });
    }

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
        else if (ChannelIsSlackId && !Platforms.Slack.SlackInbound.IsChannelId(value.ToUpperInvariant()))
        {
            Problems.Add($"'{Text.Truncate(value, 40)}' is not a Slack channel ID; it looks like C0123ABCD (the channel's details, at the bottom).");
        }

        if (Problems.Count > 0)
        {
            await LoadAsync(cancellationToken);
            ChannelInput = channel;
            Response.StatusCode = StatusCodes.Status400BadRequest;
            return Page();
        }

        await Store.SetGroupChannelAsync(Session.Platform, Session.GuildId, ChannelIsSlackId ? value!.ToUpperInvariant() : value!, clock.GetUtcNow(), cancellationToken);
        return RedirectToPage(new { saved = true });
    }

    private async Task LoadAsync(CancellationToken cancellationToken)
    {
        Current = await GetServerSettingsAsync(cancellationToken);
        ChannelInput = Current?.GroupChannelId;
        var schedule = DigestSchedule.For(Current ?? new ServerSettings(Session.Platform, Session.GuildId, null), BotZone, out _);
        ZoneInput = Current?.DefaultTimeZoneId;
        DayInput = schedule.Day.ToString();
        TimeInput = schedule.Time.ToString("HH:mm", System.Globalization.CultureInfo.InvariantCulture);
    }
}
