using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>The loop with an uncertainty margin on real data: what it measures, and what it then accepts.</summary>
public class UncertaintyMarginTests
{
    private static uint[] Predicted(MLContext ml, ITransformer model, IDataView data, string column) =>
        ml.Data.CreateEnumerable<KeyRow>(ml.Transforms.CopyColumns("Key", column).Fit(model.Transform(data)).Transform(model.Transform(data)), reuseRowObject: false)
            .Select(r => r.Key).ToArray();

    private sealed class KeyRow
    {
        public uint Key { get; set; }
    }

    [Test]
    public void EveryAcceptedStepClearsTheBudgetByItsMeasuredErrorAndTheErrorIsThePairedOne()
    {
        var ml = new MLContext(seed: 6);
        IDataView train = StageTestData.DigitsTrain, validation = StageTestData.DigitsTest;
        NeuralNetworkTransformer dense = StageTestData.DenseDigits;
        const double budget = 0.03, margin = 1;
        NeuralNetworkTransformer pruned = ml.Transforms.AdaptivePrune(new AdaptivePruneOptions
        {
            InitialModel = dense,
            ValidationData = validation,
            MaxMetricDrop = budget,
            UncertaintyMargin = margin,
            FineTuneStop = FineTuneStop.Annealed,
            FineTuneEpochs = 2,
            BatchSize = 32,
            MaxIterations = 6,
        }).Fit(train);
        CompressionReport report = pruned.Report;

        PruningIteration[] accepted = report.Trajectory.Where(t => t.Accepted && t.Iteration > 0).ToArray();
        Assert.That(accepted, Is.Not.Empty, "the test needs at least one accepted step");
        Assert.That(report.CompressionRatio, Is.GreaterThan(1.5));
        foreach (PruningIteration step in report.Trajectory.Where(t => t.Iteration > 0 && !t.Decision.StartsWith("failed", StringComparison.Ordinal)))
            Assert.That(step.DropStandardError, Is.GreaterThan(0), $"iteration {step.Iteration} was measured");
        foreach (PruningIteration step in accepted)
            Assert.That(report.MetricBefore - step.Metric + margin * step.DropStandardError, Is.LessThanOrEqualTo(budget + 1e-12), $"iteration {step.Iteration}");

        // The chosen network's error, recomputed from its and the dense network's predictions on the validation rows:
        // only rows where exactly one of them is right count.
        PruningIteration chosen = accepted.OrderByDescending(t => t.Sparsity).First();
        uint[] truth = Predicted(ml, dense, validation, "Label");
        uint[] densePredicted = Predicted(ml, dense, validation, "PredictedLabel");
        uint[] prunedPredicted = Predicted(ml, pruned, validation, "PredictedLabel");
        int n = truth.Length, lost = 0, gained = 0;
        for (int r = 0; r < n; r++)
        {
            bool denseRight = densePredicted[r] == truth[r], prunedRight = prunedPredicted[r] == truth[r];
            if (denseRight && !prunedRight) lost++;
            if (!denseRight && prunedRight) gained++;
        }
        double paired = Math.Sqrt(lost + gained - Math.Pow(lost - gained, 2) / n) / n;
        TestContext.Out.WriteLine($"{accepted.Length} accepted, {report.CompressionRatio:0.0}x; chosen s.e. {chosen.DropStandardError:0.0000}, paired formula {paired:0.0000} ({lost} lost, {gained} gained of {n})");
        Assert.That(lost + gained, Is.GreaterThan(0), "the pruned network must differ from the dense one somewhere");
        Assert.That(chosen.DropStandardError, Is.EqualTo(paired).Within(0.25 * paired), $"{lost} lost, {gained} gained of {n}");
    }

    [Test]
    public void ANegativeMarginIsRejectedByName()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AdaptivePruneOptions { UncertaintyMargin = -1 }.Validate())!;
        Assert.That(error.ParamName, Is.EqualTo(nameof(AdaptivePruneOptions.UncertaintyMargin)));
    }
}
