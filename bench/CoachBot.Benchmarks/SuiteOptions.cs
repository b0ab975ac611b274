using System.Globalization;

namespace CoachBot.Benchmarks;

/// <summary>
/// What the end-to-end suite measures: database sizes, burst size and fan-out size. <see cref="BurstsOnly"/> measures only
/// start-up and the interaction bursts (no ticks, no fan-out) and, like the smoke run, does not write docs/benchmarks.md.
/// <see cref="Cohort"/> is the cohort rows (issue 15) after the sizes' rows; null leaves them out. <see cref="Buddies"/>
/// pairs every member with a buddy before the ticks are measured (issue 18: the reminders then carry buddy lines).
/// </summary>
internal sealed record SuiteOptions(
    bool Smoke, IReadOnlyList<int> Sizes, int Burst, int FanOut, bool BurstsOnly = false, CohortOptions? Cohort = null, bool Buddies = false)
{
    public static SuiteOptions Full { get; } = new(Smoke: false, [1_000, 10_000, 100_000], Burst: 200, FanOut: 10_000, Cohort: CohortOptions.Full);

    public static SuiteOptions SmokeRun { get; } =
        new(Smoke: true, [1_000], Burst: 20, FanOut: 200, Cohort: new CohortOptions(200, [200], GroupRuns: 20, GroupBudget: TimeSpan.FromSeconds(30)));

    public static bool TryParse(IReadOnlyList<string> args, out SuiteOptions options, out string problem)
    {
        options = args.Contains("--smoke") ? SmokeRun : Full;
        problem = "";
        for (var i = 0; i < args.Count; i++)
        {
            switch (args[i])
            {
                case "--smoke":
                    break;
                case "--buddies":
                    options = options with { Buddies = true };
                    break;
                case "--bursts-only":
                    options = options with { BurstsOnly = true, FanOut = 0, Cohort = null };
                    break;
                case "--sizes" when i + 1 < args.Count:
                    var sizes = args[++i].Split(',').Select(text => int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0).ToList();
                    if (sizes.Any(n => n < 200))
                    {
                        problem = "--sizes takes a comma-separated list of member counts of at least 200, e.g. --sizes 1000,10000.";
                        return false;
                    }

                    options = options with { Sizes = sizes };
                    break;
                case "--fanout" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var fanOut):
                    options = options with { FanOut = fanOut };
                    i++;
                    break;
                case "--burst" when i + 1 < args.Count && int.TryParse(args[i + 1], NumberStyles.None, CultureInfo.InvariantCulture, out var burst) && burst > 0:
                    options = options with { Burst = burst };
                    i++;
                    break;
                default:
                    problem = $"Unknown argument '{args[i]}': use [--smoke] [--sizes 1000,10000,100000] [--burst 200] [--fanout 10000] [--bursts-only] [--buddies], or micro.";
                    return false;
            }
        }

        return true;
    }
}
