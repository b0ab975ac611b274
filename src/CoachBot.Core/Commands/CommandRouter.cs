using CoachBot.Core.Enrolment;
using CoachBot.Core.Messaging;
using CoachBot.Core.Pictures;
using CoachBot.Core.Schedule;
using CoachBot.Core.Storage;
using CoachBot.Core.Texts;
using CoachBot.Core.Usage;

namespace CoachBot.Core.Commands;

/// <summary>
/// The one entry point platforms call: slash commands by name, button presses by action id prefix, and
/// autocomplete. A dictionary per kind, no mediator. Expected problems come back as one-sentence ephemeral replies.
/// </summary>
public sealed class CommandRouter
{
    private const int MaxChoices = 25;

    private readonly CoachServices _services;
    private readonly Dictionary<string, ICommandHandler> _commands;
    private readonly Dictionary<string, IActionHandler> _actions;
    private readonly CommandRateLimiter _rateLimiter;
    private readonly CommandRateLimiter _autocompleteLimiter;

    /// <param name="services">What the commands run on.</param>
    /// <param name="usage">The host's counts since start, shown by <c>/coach stats</c> (left out when null).</param>
    /// <param name="dashboard">Makes <c>/coach dashboard</c>'s sign-in links (that action says the dashboard is off when null).</param>
    /// <param name="pictures">Draws the pictures attached to replies, such as <c>/progress</c>'s card (text only when null).</param>
    /// <param name="calendarLinks">Makes <c>/calendar</c>'s feed links (the file only when null).</param>
    public CommandRouter(
        CoachServices services, IUsageStats? usage = null, IDashboardLinks? dashboard = null, IPictureRenderer? pictures = null, ICalendarLinks? calendarLinks = null)
    {
        ArgumentNullException.ThrowIfNull(services);
        _services = services;
        _rateLimiter = new CommandRateLimiter(services.Settings.RateLimit, services.Time);
        _autocompleteLimiter = new CommandRateLimiter(services.Settings.AutocompleteRateLimit, services.Time);
        var commands = CommandHandlers.Create(usage, dashboard, pictures, calendarLinks);
        // The handlers of both commands and buttons answer their own buttons; the note, cancel, snooze, re-plan and nudge buttons belong to no command.
        IActionHandler[] actions = [.. commands.OfType<IActionHandler>(), new CheckInNoteAction(), new CancelAction(), new ExtraReminderAction(), new ReplanAction(), new NudgeAction()];
        _commands = commands.ToDictionary(handler => handler.Definition.Name, StringComparer.OrdinalIgnoreCase);
        _actions = actions.ToDictionary(handler => handler.Prefix, StringComparer.Ordinal);
    }

    public async Task<Reply> HandleAsync(CommandRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SlowDown(request.Member) is { } slowDown)
        {
            return slowDown;
        }

        var name = (request.Name ?? string.Empty).TrimStart('/');
        if (!_commands.TryGetValue(name, out var handler))
        {
            return MentionGuard.Neutralise(Reply.Private(null, $"There is no command `/{Text.Truncate(name, 40)}`; the commands are: {string.Join(", ", CommandCatalog.All.Select(command => "/" + command.Name))}."));
        }

        if (handler.Definition.OrganisersOnly && !request.IsOrganiser)
        {
            // Each platform grants the right its own way (the platforms' routers say how they read it).
            var who = request.Member.Platform == "slack"
                ? "the workspace's admins and owners, and the organisers CoachBot was set up with,"
                : "the server's organisers (Manage Server)";
            return Reply.Private(null, $"Only {who} can use `/{name}`.");
        }

        var options = new CommandOptions(request.Options ?? new Dictionary<string, string>());
        return await RunAsync(request.Member, request.DisplayName, request.IsOrganiser, context => handler.HandleAsync(context, options, cancellationToken), cancellationToken, request.ProfileTimeZone);
    }

    public async Task<Reply> HandleActionAsync(ActionRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (SlowDown(request.Member) is { } slowDown)
        {
            return slowDown;
        }

        var parts = (request.ActionId ?? string.Empty).Split(':');
        if (!_actions.TryGetValue(parts[0], out var handler))
        {
            return Reply.Private(null, "That button is out of date; run the command again.");
        }

        return await RunAsync(
            request.Member, request.DisplayName, request.IsOrganiser, context => handler.HandleActionAsync(context, parts[1..], request.Text, cancellationToken), cancellationToken);
    }

    /// <summary>
    /// Suggestions for an option as the member types (at most 25, as Discord allows); none while the member types faster
    /// than <see cref="CoachSettings.AutocompleteRateLimit"/> allows (Discord shows no sentence for autocomplete).
    /// </summary>
    public async Task<IReadOnlyList<AutocompleteChoice>> AutocompleteAsync(AutocompleteRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (_autocompleteLimiter.TryTake(MemberKey.Of(request.Member)) is not null)
        {
            return [];
        }

        var partial = request.Partial.Trim();
        var suggest = _commands.TryGetValue(request.CommandName.TrimStart('/'), out var handler)
            ? handler.Definition.Options
                .FirstOrDefault(option => string.Equals(option.Name, request.OptionName, StringComparison.OrdinalIgnoreCase))?.Suggest ?? Suggestions.None
            : Suggestions.None;
        switch (suggest)
        {
            case Suggestions.None:
                return [];
            case Suggestions.TimeZones:
                return [.. TimeZones.Search(partial).Take(MaxChoices).Select(id => new AutocompleteChoice(id, id))];
            case Suggestions.Pathways:
                return PathwayChoices(partial);
        }

        var member = await _services.Store.FindMemberAsync(MemberKey.Of(request.Member), cancellationToken);
        var enrolments = member is null ? [] : await _services.Store.GetEnrolmentsAsync(member.Id, cancellationToken);
        return suggest switch
        {
            Suggestions.OwnPathways => [.. enrolments
                .Where(enrolment => enrolment.PathwayId.Contains(partial, StringComparison.OrdinalIgnoreCase))
                .Take(MaxChoices)
                .Select(enrolment => new AutocompleteChoice(enrolment.PathwayId, enrolment.PathwayId))],
            Suggestions.OpenTasks or Suggestions.DoneTasks when member is not null =>
                await TaskChoicesAsync(member, enrolments, wantDone: suggest == Suggestions.DoneTasks, partial, cancellationToken),
            _ => [],
        };
    }

    private List<AutocompleteChoice> PathwayChoices(string partial) =>
    [
        .. _services.Pathways.All
            .Where(pathway => pathway.Id.Contains(partial, StringComparison.OrdinalIgnoreCase)
                || pathway.Title.Contains(partial, StringComparison.OrdinalIgnoreCase))
            .Take(MaxChoices)
            .Select(pathway => new AutocompleteChoice(Text.Truncate($"{pathway.Id} — {pathway.Title}", 100), pathway.Id)),
    ];

    /// <summary>Open tasks (for /done, this week's and overdue first) or done tasks (for /undo).</summary>
    private async Task<IReadOnlyList<AutocompleteChoice>> TaskChoicesAsync(
        MemberRow member,
        IReadOnlyList<EnrolmentRow> enrolments,
        bool wantDone,
        string partial,
        CancellationToken cancellationToken)
    {
        var zone = _services.Settings.ZoneOf(member);
        var now = _services.Time.GetUtcNow();
        var choices = new List<AutocompleteChoice>();
        foreach (var enrolment in enrolments)
        {
            if (!_services.Pathways.TryGet(enrolment.PathwayId, out var pathway))
            {
                continue;
            }

            var snapshot = await EnrolmentSnapshot.LoadAsync(_services.Store, enrolment, pathway, zone, now, cancellationToken);
            var dueFirst = snapshot.Agenda.Select(item => item.Task)
                .Concat(pathway.AllTasks.OrderBy(task => Agenda.DueWeek(pathway, task)))
                .DistinctBy(task => task.Id);
            choices.AddRange(dueFirst
                .Where(task => snapshot.Ledger.IsDone(task.Id) == wantDone)
                .Where(task => task.Title.Contains(partial, StringComparison.OrdinalIgnoreCase) || task.Id.Contains(partial, StringComparison.OrdinalIgnoreCase))
                .Select(task => new AutocompleteChoice(
                    Text.Truncate($"{task.Title} (phase {task.PhaseNumber}, week {task.Week})", 100),
                    task.Id)));
        }

        return [.. choices.DistinctBy(choice => choice.Value).Take(MaxChoices)];
    }

    /// <summary>A friendly sentence when the member sends commands faster than <see cref="CoachSettings.RateLimit"/> allows.</summary>
    private Reply? SlowDown(MemberRef member)
    {
        if (_rateLimiter.TryTake(MemberKey.Of(member)) is not { } wait)
        {
            return null;
        }

        var seconds = Math.Max(1, (int)Math.Ceiling(wait.TotalSeconds));
        return Reply.Private(null, $"Slow down a little — try again in {Text.Plural(seconds, "second")}.");
    }

    private async Task<CommandContext> StartAsync(MemberRef memberRef, string displayName, bool isOrganiser, string? profileTimeZone, CancellationToken cancellationToken)
    {
        var now = _services.Time.GetUtcNow();
        var name = string.IsNullOrWhiteSpace(displayName) ? memberRef.UserId : displayName;
        var member = await _services.Store.UpsertMemberAsync(MemberKey.Of(memberRef), name, now, cancellationToken);
        return new CommandContext(_services, memberRef, member, isOrganiser, now) { ProfileTimeZone = profileTimeZone };
    }

    private async Task<Reply> RunAsync(
        MemberRef memberRef,
        string displayName,
        bool isOrganiser,
        Func<CommandContext, Task<Reply>> handle,
        CancellationToken cancellationToken,
        string? profileTimeZone = null)
    {
        try
        {
            var context = await StartAsync(memberRef, displayName, isOrganiser, profileTimeZone, cancellationToken);
            Reply reply;
            try
            {
                reply = await handle(context);
            }
            catch (CommandException problem)
            {
                reply = Reply.Private(null, problem.Message);
            }

            // A member whose DMs were closed is retried again once they are back; tell them why reminders stopped.
            if (context.Member.DmClosedAt is { } closedAt && await _services.Store.GetMemberAsync(context.Member.Id, cancellationToken) is not null)
            {
                await _services.Store.SetDmClosedAsync(context.Member.Id, null, cancellationToken);
                reply = reply.WithBlock(
                    $"I could not DM you on {Text.LocalTime(closedAt, context.Zone)}: your DMs are closed to me. Allow DMs from this server to get your reminders and check-ins.");
            }

            // Replies echo what members typed (pathway ids, task names, notes, display names): never let that ping anyone.
            return MentionGuard.Neutralise(reply);
        }
        catch (StoreUnavailableException unavailable)
        {
            // Each store write is one transaction, so a failed one changed nothing; the store has logged the cause.
            return Reply.Private(null, unavailable.Message);
        }
    }
}
