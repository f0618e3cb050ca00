using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>How fast <see cref="ManagedNetworkEngine"/> scored the compressed network on this machine, beside its FLOPs.</summary>
/// <remarks>
/// FLOPs say what a layer costs on paper; a sparse layer's speed depends on its layout, its density and the cache, so
/// the report also times the engine that scores the model in memory and after <c>LoadPruned</c>. It is measured the
/// first time the report is read, on 256 rows uniform in [0, 1) (no exact zeros, so the kernels' skipping of zero
/// inputs does not flatter it), and it is a wall-clock figure: compare it with figures from the same run and machine only.
/// </remarks>
public sealed class EngineSpeed
{
    /// <summary>Mean time per row of the batched path (what <c>Transform</c> runs), in microseconds.</summary>
    public double MicrosecondsPerRow { get; set; }

    /// <summary>Rows per second of the batched path: one million divided by <see cref="MicrosecondsPerRow"/>.</summary>
    public double RowsPerSecond { get; set; }

    /// <summary>Mean time of one single-row call (what a <c>PredictionEngine</c> runs), in microseconds.</summary>
    public double MicrosecondsPerPrediction { get; set; }

    /// <summary>Rows timed.</summary>
    public int SampleRows { get; set; }

    /// <summary>What the timed rows were: "random" (uniform in [0, 1)).</summary>
    public string Sample { get; set; } = "";

    /// <summary>Per layer, the kernel the batched path ran, e.g. "Sparse 300x784, 4,788 weights".</summary>
    public List<string> BlockKernels { get; set; } = new();

    /// <summary>Per layer, the kernel the single-row path ran.</summary>
    public List<string> RowKernels { get; set; } = new();
}
