using System.Globalization;
using Microsoft.Extensions.Options;

namespace CoachBot.Options;

/// <summary>
/// <c>Scheduling:TickInterval</c> (how often the bot looks for due messages), <c>Scheduling:DeliveryLease</c> (how
/// long a message being sent is left to the process sending it before another start sends it again, with the same nonce)
/// and <c>Scheduling:KeepSentFor</c> (how long the outbox keeps a sent message's text).
/// </summary>
internal sealed class ScheduledDeliveryOptions
{
    public const string SectionName = "Scheduling";

    public static readonly TimeSpan DefaultTickInterval = TimeSpan.FromMinutes(1);
    public static readonly TimeSpan DefaultDeliveryLease = TimeSpan.FromMinutes(2);
    public static readonly TimeSpan DefaultKeepSentFor = TimeSpan.FromDays(7);

    /// <summary>The allowed range of each key: long enough not to spin, short enough that a crashed send is retried while Discord still knows its nonce.</summary>
    public static readonly (TimeSpan Min, TimeSpan Max) TickIntervalRange = (TimeSpan.FromSeconds(1), TimeSpan.FromHours(1));
    public static readonly (TimeSpan Min, TimeSpan Max) DeliveryLeaseRange = (TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));

    /// <summary>Zero drops the text at the next tick; at most the 90 days after which finished rows are deleted anyway.</summary>
    public static readonly (TimeSpan Min, TimeSpan Max) KeepSentForRange = (TimeSpan.Zero, TimeSpan.FromDays(90));

    public TimeSpan TickInterval { get; set; } = DefaultTickInterval;

    public TimeSpan DeliveryLease { get; set; } = DefaultDeliveryLease;

    public TimeSpan KeepSentFor { get; set; } = DefaultKeepSentFor;
}

internal sealed class ScheduledDeliveryOptionsValidator : IValidateOptions<ScheduledDeliveryOptions>
{
    public ValidateOptionsResult Validate(string? name, ScheduledDeliveryOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (OutOfRange(options.TickInterval, ScheduledDeliveryOptions.TickIntervalRange))
        {
            failures.Add(
                $"{Key(nameof(ScheduledDeliveryOptions.TickInterval))} '{Format(options.TickInterval)}' is out of range; set {Variable(nameof(ScheduledDeliveryOptions.TickInterval))} "
                + $"between {Format(ScheduledDeliveryOptions.TickIntervalRange.Min)} and {Format(ScheduledDeliveryOptions.TickIntervalRange.Max)}, e.g. '{Format(ScheduledDeliveryOptions.DefaultTickInterval)}' (the default).");
        }

        if (OutOfRange(options.DeliveryLease, ScheduledDeliveryOptions.DeliveryLeaseRange))
        {
            failures.Add(
                $"{Key(nameof(ScheduledDeliveryOptions.DeliveryLease))} '{Format(options.DeliveryLease)}' is out of range; set {Variable(nameof(ScheduledDeliveryOptions.DeliveryLease))} "
                + $"between {Format(ScheduledDeliveryOptions.DeliveryLeaseRange.Min)} and {Format(ScheduledDeliveryOptions.DeliveryLeaseRange.Max)}, e.g. '{Format(ScheduledDeliveryOptions.DefaultDeliveryLease)}' (the default), "
                + "so that a send cut off by a crash is retried while Discord still remembers its nonce.");
        }

        if (OutOfRange(options.KeepSentFor, ScheduledDeliveryOptions.KeepSentForRange))
        {
            failures.Add(
                $"{Key(nameof(ScheduledDeliveryOptions.KeepSentFor))} '{Format(options.KeepSentFor)}' is out of range; set {Variable(nameof(ScheduledDeliveryOptions.KeepSentFor))} "
                + $"between {Format(ScheduledDeliveryOptions.KeepSentForRange.Min)} and {Format(ScheduledDeliveryOptions.KeepSentForRange.Max)}, e.g. '{Format(ScheduledDeliveryOptions.DefaultKeepSentFor)}' (the default): "
                + "how long a sent message's text is kept before only its key and outcome stay.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    /// <summary>
    /// The sentence for a key whose text is not a duration at all ('often', ''), which the binder refuses before this
    /// validator runs (<see cref="ConfigurationCheck.UnconvertibleSentence"/>): <paramref name="key"/> is <c>Scheduling:TickInterval</c>.
    /// </summary>
    public static string NotADuration(string key, string? text)
    {
        var name = key[(key.LastIndexOf(':') + 1)..];
        return $"{Key(name)} '{text}' is not a duration; set {Variable(name)} to hours:minutes:seconds, e.g. '{Format(Default(name))}'.";
    }

    private static bool OutOfRange(TimeSpan value, (TimeSpan Min, TimeSpan Max) range) => value < range.Min || value > range.Max;

    private static string Key(string key) => $"{ScheduledDeliveryOptions.SectionName}:{key}";

    private static string Variable(string key) => $"{ScheduledDeliveryOptions.SectionName}__{key}";

    private static TimeSpan Default(string key) => key switch
    {
        nameof(ScheduledDeliveryOptions.TickInterval) => ScheduledDeliveryOptions.DefaultTickInterval,
        nameof(ScheduledDeliveryOptions.KeepSentFor) => ScheduledDeliveryOptions.DefaultKeepSentFor,
        _ => ScheduledDeliveryOptions.DefaultDeliveryLease,
    };

    private static string Format(TimeSpan value) => value.ToString("c", CultureInfo.InvariantCulture);
}
