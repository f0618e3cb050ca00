using System;
using System.Linq;
using BenchmarkDotNet.Running;

namespace AdaptivePruning.Examples.Micro;

/// <summary>
/// The "micro" verb: BenchmarkDotNet over the library's hot paths. Arguments go to BenchmarkSwitcher, e.g.
/// <c>--filter *Mask*</c>, <c>--job short</c> or <c>--list flat</c>.
/// </summary>
public static class MicroBenchmarks
{
    private static readonly Type[] Benchmarks =
    {
        typeof(BatchFeedingBenchmarks),
        typeof(MaskBenchmarks),
        typeof(CriterionBenchmarks),
        typeof(SingleRowScoringBenchmarks),
        typeof(SparseRowWalkBenchmarks),
        typeof(SparseEngineBenchmarks),
        typeof(Int8EngineBenchmarks),
        typeof(FineTuneEpochBenchmarks),
    };

    public static int Run(string[] args)
    {
        // In-process: BenchmarkDotNet's default toolchain would generate and build a copy of this project, which
        // means another restore and another ~600 MB of libtorch natives per run. The flag rather than a job in a
        // config, because a config's default job replaces the one --job names.
        string[] arguments = args.Any(IsInProcessFlag) ? args : args.Append("--inProcess").ToArray();
        var summaries = BenchmarkSwitcher.FromTypes(Benchmarks).Run(arguments);
        return summaries.Any(s => s.HasCriticalValidationErrors || s.Reports.Any(r => !r.Success)) ? 1 : 0;
    }

    private static bool IsInProcessFlag(string arg)
        => arg.Equals("--inProcess", StringComparison.OrdinalIgnoreCase) || arg == "-i";
}
