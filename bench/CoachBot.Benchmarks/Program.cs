using BenchmarkDotNet.Running;
using CoachBot.Benchmarks;

// `-- micro [BenchmarkDotNet args]` runs the micro benchmarks; anything else runs the end-to-end suite.
if (args.Length > 0 && args[0] == "micro")
{
    BenchmarkSwitcher.FromAssembly(typeof(MicroBenchmarks).Assembly).Run(args[1..]);
    return 0;
}

// `-- pictures [--cards 10000]` prints the picture rows of issue 17 (a progress card's draw time, memory over many cards,
// the digest's chart) and writes nothing.
if (args.Length > 0 && args[0] == "pictures")
{
    var cards = args.Length > 2 && args[1] == "--cards" && int.TryParse(args[2], System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var count)
        ? count
        : 10_000;
    if (cards <= 200)
    {
        await Console.Error.WriteLineAsync($"--cards takes a number of cards above 200 (the first 200 warm up); not '{string.Join(' ', args[1..])}'.");
        return 2;
    }

    Console.WriteLine($"{MachineInfo.Describe()}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
    Console.WriteLine(PictureBench.Run(cards, Console.Out).ToMarkdownTable());
    return 0;
}

// `-- cohort [--postgres] [--digest 10000] [--group 1000,10000] [--runs 200]` prints only the cohort rows of issue 15 (the
// Monday digest of a big server, /group), on SQLite or on a throwaway PostgreSQL server; `-- postgres --cohort` is the
// latter too. It writes nothing.
if (args.Length > 0 && args[0] == "postgres" && args.Contains("--cohort"))
{
    args = ["cohort", "--postgres", .. args[1..].Where(arg => arg != "--cohort")];
}

if (args.Length > 0 && args[0] == "cohort")
{
    if (!CohortOptions.TryParse(args[1..], out var cohortOptions, out var onPostgres, out var cohortProblem))
    {
        await Console.Error.WriteLineAsync(cohortProblem);
        return 2;
    }

    Console.WriteLine($"{MachineInfo.Describe()}, {TimeProvider.System.GetUtcNow():yyyy-MM-dd HH:mm} UTC");
    if (!onPostgres)
    {
        var sqlite = await CohortBench.RunSqliteAsync(cohortOptions, Console.Out, CancellationToken.None);
        Console.WriteLine(sqlite.ToMarkdownTable());
        return 0;
    }

    try
    {
        var (version, postgresCohort) = await PostgresSuite.RunCohortAsync(cohortOptions, Console.Out, CancellationToken.None);
        Console.WriteLine($"PostgreSQL {version} (throwaway cluster, fsync and synchronous_commit on)");
        Console.WriteLine(postgresCohort.ToMarkdownTable());
        return 0;
    }
    catch (CoachBot.Tests.Storage.Postgres.PostgresUnavailableException exception)
    {
        await Console.Error.WriteLineAsync(exception.Message);
        return 2;
    }
}

// `-- postgres [--sizes 100000,1000000] [--due 10000] [--burst 200] [--no-cohort]` prints the PostgreSQL rows, on a throwaway server of
// its own; docs/benchmarks.md's "Scaling" is written from them by hand.
if (args.Length > 0 && args[0] == "postgres")
{
    if (!PostgresSuiteOptions.TryParse(args[1..], out var postgresOptions, out var postgresProblem))
    {
        await Console.Error.WriteLineAsync(postgresProblem);
        return 2;
    }

    try
    {
        var postgres = await PostgresSuite.RunAsync(postgresOptions, Console.Out, CancellationToken.None);
        Console.WriteLine(postgres.ToMarkdownTable());
        return 0;
    }
    catch (CoachBot.Tests.Storage.Postgres.PostgresUnavailableException exception)
    {
        await Console.Error.WriteLineAsync(exception.Message);
        return 2;
    }
}

// `-- ticks [--sizes …] [--fanout N]` measures only the due-work ticks and the fan-out, and writes nothing.
var ticksOnly = args.Length > 0 && args[0] == "ticks";
if (!SuiteOptions.TryParse(ticksOnly ? args[1..] : args, out var options, out var problem))
{
    await Console.Error.WriteLineAsync(problem);
    return 2;
}

if (ticksOnly)
{
    await BenchmarkSuite.RunTicksAsync(options, Console.Out, CancellationToken.None);
    return 0;
}

var report = await BenchmarkSuite.RunAsync(options, Console.Out, CancellationToken.None);
Console.WriteLine(report.ToMarkdownTable());
if (!options.Smoke && !options.BurstsOnly)
{
    var path = Path.Combine(BenchmarkSuite.RepositoryRoot(), "docs", "benchmarks.md");
    var existing = File.Exists(path) ? await File.ReadAllTextAsync(path) : null;
    var handWritten = BenchmarkDocument.HandWrittenPart(existing);
    await File.WriteAllTextAsync(path, report.ToDocument() + (handWritten.Length > 0 ? Environment.NewLine + handWritten : ""));
    Console.WriteLine($"Wrote {path}");
}

return 0;
