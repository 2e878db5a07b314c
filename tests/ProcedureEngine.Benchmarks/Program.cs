using BenchmarkDotNet.Running;

// Run: dotnet run -c Release --project tests/ProcedureEngine.Benchmarks -- --filter '*Calendar*'
// Every benchmark class marks a [Benchmark(Baseline = true)] so results read as ratios measured in the same run.
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
