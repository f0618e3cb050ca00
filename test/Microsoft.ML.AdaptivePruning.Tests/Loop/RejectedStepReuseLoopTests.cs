using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>The real loop on digits with <see cref="AdaptivePruneOptions.ReuseRejectedSteps"/>: its guarantees hold.</summary>
public class RejectedStepReuseLoopTests
{
    private static AdaptivePruneOptions Options()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(maxMetricDrop: 0.01);
        options.ReuseRejectedSteps = true;
        options.MaxIterations = 12;
        return options;
    }

    [Test]
    public void AReusedStepReachesItsTargetStaysWithinBudgetAndRepeatsForTheSeed()
    {
        NeuralNetworkTransformer first = DigitsLoop.Fit(Options());
        PruningIteration[] reused = first.Report.Trajectory.Where(t => t.Decision.Contains("from the rejected", StringComparison.Ordinal)).ToArray();
        Assert.That(reused, Is.Not.Empty, "some near miss was reused: " + string.Join(" | ", first.Report.Trajectory.Select(t => $"{t.TargetSparsity:P1} {t.Decision}")));
        foreach (PruningIteration step in reused)
            Assert.That(step.Sparsity, Is.EqualTo(step.TargetSparsity).Within(0.005), $"iteration {step.Iteration} gave back weights to its target: {step.Decision}");
        DigitsLoop.AssertWithinBudgetOnValidation(first, 0.01);

        NeuralNetworkTransformer second = DigitsLoop.Fit(Options());
        Assert.That(second.Report.Trajectory.Select(t => t.Decision), Is.EqualTo(first.Report.Trajectory.Select(t => t.Decision)));
        for (int l = 0; l < first.Network.Layers.Count; l++)
            Assert.That(second.Network.Layers[l].Weights, Is.EqualTo(first.Network.Layers[l].Weights), $"layer {l}: the same seed gives the same network");
    }
}
