using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Compression reports built from real (seeded random) networks for the rendering tests.</summary>
internal static class SampleReports
{
    /// <summary>Dense 64-32-16-10, pruned 80% by magnitude, then hidden layer 0 cut to 20 units.</summary>
    public static (NeuralNetwork Dense, NeuralNetwork Compressed) Networks()
    {
        NeuralNetwork dense = TinyNetworks.Random(7, PruningTask.MulticlassClassification, 64, new[] { 32, 16 }, 10);
        NeuralNetwork masked = MaskSelector.Select(dense, PruningCriteria.Create(PruningCriterion.Magnitude), null, new Random(0),
            new MaskSelectionOptions { Sparsity = 0.8 }).ApplyTo(dense);
        NeuralNetwork compressed = NeuronSurgery.RemoveUnits(masked, new[] { Enumerable.Range(0, 20).ToArray(), Enumerable.Range(0, 16).ToArray() });
        return (dense, compressed);
    }

    /// <summary>A single-stage report: no trajectory, no sensitivity.</summary>
    public static CompressionReport SingleStage()
    {
        (NeuralNetwork dense, NeuralNetwork compressed) = Networks();
        return CompressionReport.Create(dense, compressed, "MacroAccuracy", 0.95, 0.93);
    }

    /// <summary>
    /// A loop report: baseline, accepted steps at 2x, 4x and 8x, a rollback at 16x, a failed step, an accepted 12x,
    /// plus per-layer sensitivity and notes.
    /// </summary>
    public static CompressionReport Loop()
    {
        CompressionReport report = SingleStage();
        long dense = report.DenseParameters;
        report.SerializedBytes = 12_345;
        report.Trajectory.AddRange(new[]
        {
            Iteration(0, 0, dense, dense, 0.95, 0, "baseline"),
            Iteration(1, 0.5, dense, dense / 2, 0.952, 0.5, "accept"),
            Iteration(2, 0.75, dense, dense / 4, 0.948, 0.5, "accept"),
            Iteration(3, 0.875, dense, dense / 8, 0.945, 0.5, "accept"),
            Iteration(4, 0.94, dense, dense / 16, 0.90, 0.5, "rollback (drop 0.05 > 0.01)"),
            Iteration(5, 0.9, dense, dense / 8, 0.945, 0.25, "failed: the optimizer diverged"),
            Iteration(6, 0.92, dense, dense / 12, 0.942, 0.25, "accept"),
        });
        report.Sensitivity.AddRange(new[]
        {
            Sensitivity(0, "32x64", new[] { 0.0, 0.01, 0.03, 0.08 }, 1.4),
            Sensitivity(1, "16x32", new[] { 0.0, 0.0, 0.01, 0.02 }, 0.9),
            Sensitivity(2, "10x16", new[] { 0.01, 0.05, 0.2, 0.4 }, 1.8),
        });
        report.Notes.Add("Prune: magnitude, weights, global, 80%");
        report.Notes.Add("TaskOptimize: removed 12 units | hidden layer 0");
        return report;
    }

    private static PruningIteration Iteration(int iteration, double target, long dense, long nonzero, double metric, double step, string decision) => new()
    {
        Iteration = iteration,
        TargetSparsity = target,
        Sparsity = 1 - (double)nonzero / dense,
        NonzeroParameters = nonzero,
        Parameters = dense,
        Metric = metric,
        Step = step,
        Decision = decision,
        ElapsedSeconds = iteration * 1.5,
    };

    private static LayerSensitivity Sensitivity(int layer, string shape, double[] drops, double weight) => new()
    {
        Layer = layer,
        Shape = shape,
        Sparsities = new List<double> { 0.5, 0.8, 0.9, 0.95 },
        Drops = drops.ToList(),
        Weight = weight,
    };
}
