using System.Globalization;
using CoachBot.Core.Messaging;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;
using CoachBot.Core.Usage;

namespace CoachBot.Core.Commands;

/// <summary>
/// <c>/coach channel</c>, <c>/coach stats</c>, <c>/coach dashboard</c> and <c>/coach chart</c>, for organisers only. The stats come from the store (this server, last
/// 7 days) and, when the host counts them, from <paramref name="usage"/> (this server, since the bot started). A server
/// is a boundary: every figure is this server's, never the whole bot's.
/// <c>/coach dashboard</c> answers privately with a one-time sign-in link from <paramref name="dashboard"/>, for this
/// server's dashboard only. <c>/coach chart on:false</c> sends the weekly digest without its chart (<c>on:true</c>
/// attaches it again; without <c>on</c> it says which it is).
/// </summary>
internal sealed class CoachCommand(IUsageStats? usage = null, IDashboardLinks? dashboard = null) : ICommandHandler
{
    public CommandDefinition Definition { get; } = new("coach", "Organiser settings and stats",
        [
            new("action", "channel, stats, dashboard or chart", Required: true, Choices: ["channel", "stats", "dashboard", "chart"]),
            new("channel", "Channel for the weekly digest and DM fallbacks", OptionKind.Channel),
            new("on", "true attaches a chart to the weekly digest, false sends the text only", OptionKind.Boolean) { OfAction = "chart" },
        ], OrganisersOnly: true)
    {
        Examples = ["/coach channel study-group", "/coach dashboard"],
    };

    public async Task<Reply> HandleAsync(CommandContext context, CommandOptions options, CancellationToken cancellationToken)
    {
        var platform = context.MemberRef.Platform;
        var guild = context.MemberRef.Scope;
        var action = options.Require("action", "Say what to do: `/coach channel #study-group`, `/coach stats`, `/coach dashboard` or `/coach chart on:false`.").ToLowerInvariant();
        switch (action)
        {
            case "channel":
                var channel = options.Require("channel", "Name the channel for the weekly digest, e.g. `/coach channel #study-group`.").TrimStart('#');
                await context.Store.SetGroupChannelAsync(platform, guild, channel, context.Now, cancellationToken);
                return Reply.Private("Group channel", $"The weekly group digest, and reminders for members whose DMs are closed, will go to {Text.Channel(channel)}.");
            case "stats":
                return Reply.Private("CoachBot stats", await StatsAsync(context, platform, guild, cancellationToken));
            case "dashboard":
                return await DashboardLinkAsync(context, cancellationToken);
            case "chart":
                return await DigestChartAsync(context, options.Get("on") is { } on ? OptionParsers.Flag(on, "on") : null, cancellationToken);
            default:
                throw new CommandException($"'{action}' is not something `/coach` does; use `/coach channel #study-group`, `/coach stats`, `/coach dashboard` or `/coach chart on:false`.");
        }
    }

    /// <summary>This server's digest chart switch: set when <paramref name="on"/> is given, then said either way.</summary>
    private static async Task<Reply> DigestChartAsync(CommandContext context, bool? on, CancellationToken cancellationToken)
    {
        if (context.MemberRef.IsDirectMessage)
        {
            throw new CommandException("The digest's chart belongs to a server's weekly digest: run `/coach chart` in that server, not in a DM.");
        }

        var (platform, guild) = (context.MemberRef.Platform, context.MemberRef.Scope);
        if (on is { } turnOn)
        {
            await context.Store.SetDigestChartOffAsync(platform, guild, !turnOn, context.Now, cancellationToken);
        }

        var isOn = on ?? !((await context.Store.GetServerSettingsAsync(platform, guild, cancellationToken))?.DigestChartOff ?? false);
        return Reply.Private("Digest chart", isOn
            ? "The weekly digest comes with a chart of the cohort (members per phase, share on track, check-ins over the last weeks; no names). `/coach chart on:false` sends the text only."
            : "The weekly digest comes as text only. `/coach chart on:true` attaches the chart again.");
    }

    /// <summary>
    /// A link for this organiser and this server only. A DM is no server: there is no cohort to show, so no link.
    /// </summary>
    private async Task<Reply> DashboardLinkAsync(CommandContext context, CancellationToken cancellationToken)
    {
        if (context.MemberRef.IsDirectMessage)
        {
            throw new CommandException("The dashboard shows one server's group: run `/coach dashboard` in that server, not in a DM.");
        }

        var link = dashboard is null ? null : await dashboard.CreateAsync(context.MemberRef, context.Now, cancellationToken);
        if (link is null)
        {
            return Reply.Private("Dashboard", "The web dashboard is off on this bot. Whoever runs CoachBot turns it on by setting Dashboard__Urls (docs/operations.md).");
        }

        // Angle brackets keep Discord from fetching a preview of the link, which would be one more copy of it.
        return Reply.Private("Dashboard", $"Your sign-in link for this server's dashboard: <{link.Url}>",
            $"It works once, for you, until {Text.LocalTime(link.ExpiresAt, context.Zone)}. Don't share it: whoever opens it first sees this server's members.");
    }

    /// <summary>
    /// One block per fact about this server, in the order shown. A new figure (e.g. a count from the store) is one more
    /// entry here, narrowed to <paramref name="platform"/> + <paramref name="guild"/> like the others.
    /// </summary>
    private async Task<List<string>> StatsAsync(CommandContext context, string platform, string guild, CancellationToken cancellationToken)
    {
        var since = context.Now.AddDays(-7);
        var stats = await context.Store.GetServerStatsAsync(platform, guild, since, cancellationToken);
        var settings = await context.Store.GetServerSettingsAsync(platform, guild, cancellationToken);
        var byPathway = (await context.Store.GetServerEnrolmentsAsync(platform, guild, cancellationToken))
            .GroupBy(entry => entry.Enrolment.PathwayId, StringComparer.Ordinal)
            .Select(group => $"  • {group.Key}: {Text.Plural(group.Count(), "member")}")
            .ToList();
        var quarantined = await context.Store.CountQuarantinedAsync(platform, guild, cancellationToken);
        List<string> blocks =
        [
            $"Members: {stats.Members} · enrolments: {stats.Enrolments}",
            .. quarantined > 0
                ? [$"Set aside after a failure: {Text.Plural(quarantined, "scheduled item")} (retried later; the bot's log says why)"]
                : Array.Empty<string>(),
            $"Last 7 days: {Text.Plural(stats.TasksDoneSince, "task")} done · {Text.Plural(stats.CheckInsSince, "check-in")} · {Text.Plural(stats.MessagesSentSince, "message")} sent",
            "Per pathway:\n" + (byPathway.Count > 0 ? string.Join('\n', byPathway) : "  nobody enrolled yet"),
            settings?.GroupChannelId is { } channelId
                ? $"Group channel: {Text.Channel(channelId)}" + BrokenChannelNote(settings, context.Zone)
                : "No group channel yet: `/coach channel #study-group` sets one.",
        ];
        if (usage is not null)
        {
            blocks.Add(UsageBlock(usage.ForServer(platform, guild), context.Zone));
        }

        return blocks;
    }

    // Times as in every other reply (Text.LocalTime), in the organiser's zone.
    private static string BrokenChannelNote(ServerSettings settings, TimeZoneInfo zone) => settings.GroupChannelBrokenAt is { } since
        ? $"\n⚠ CoachBot may not post there (since {Text.LocalTime(since, zone)}: {settings.GroupChannelProblem}); "
            + "digests and DM fallbacks are held back. Fix the channel's permissions, then run `/coach channel` again."
        : "";

    /// <summary>How this server has been served at a glance: how fast it is answered and whether scheduled messages get through.</summary>
    private static string UsageBlock(ServerUsage usage, TimeZoneInfo zone)
    {
        var since = Text.LocalTime(usage.Since, zone);
        var speed = usage.AverageFirstResponseMs is { } average
            ? string.Create(CultureInfo.InvariantCulture, $", first answer after {average:0} ms on average")
            : "";
        return $"In this server since {since} (bot start): {Text.Plural(usage.Interactions, "command")} answered ({usage.Deferred} deferred{speed})"
            + $" · {Text.Plural(usage.DeliveriesSent, "scheduled message")} sent, {usage.DeliveriesFailed} failed";
    }
}
