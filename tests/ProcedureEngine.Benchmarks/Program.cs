using BenchmarkDotNet.Running;
using ProcedureEngine.Benchmarks;

// Run: dotnet run -c Release --project tests/ProcedureEngine.Benchmarks -- --filter '*Calendar*'
// Every benchmark class marks a [Benchmark(Baseline = true)] so results read as ratios measured in the same run.
// Event store throughput (concurrent appends, COPY import, projection rebuild, point-in-time read) is measured by a
// custom harness against raw-Npgsql baselines in the same run: `-- --store-bench [--rebuild-events N]` (see EventStoreBenchmarks.cs).
// SQLite synchronous=FULL against NORMAL, same run and disk: `-- --sqlite-durability` (SqliteDurabilityBenchmark.cs).
if (args.Length > 0 && args[0] == "--store-bench")
{
    return await EventStoreBenchmarks.RunAsync(args[1..]).ConfigureAwait(false);
}

if (args.Length > 0 && args[0] == "--sqlite-durability")
{
    return await SqliteDurabilityBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}

// Counter receipts over HTTP against a real server, with /health and a raw INSERT as same-run baselines: `-- --receipt-bench`.
if (args.Length > 0 && args[0] == "--receipt-bench")
{
    return await ReceiptLoadBenchmark.RunAsync(args[1..]).ConfigureAwait(false);
}

// Re-planning open dossiers after a calendar change: `-- --replan-bench [--dossiers N]` (see ReplanBenchmark.cs).
if (args.Length > 0 && args[0] == "--replan-bench")
{
    return ReplanBenchmark.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
