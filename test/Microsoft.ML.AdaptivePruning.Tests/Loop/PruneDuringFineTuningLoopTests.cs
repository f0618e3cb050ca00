using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>
/// The loop with pruning during fine-tuning keeps its guarantees: every accepted step reached its target and kept the
/// masks of the step before it, the result is within budget re-measured through Transform, and one seed gives one network.
/// </summary>
public class PruneDuringFineTuningLoopTests
{
    private const double MaxDrop = 0.03;

    private static AdaptivePruneOptions Options(List<(PruningIteration Iteration, NeuralNetwork Network)> accepted)
    {
        AdaptivePruneOptions options = DigitsLoop.Options(MaxDrop);
        options.PruningIncrements = 8;
        options.FineTuneEpochs = 1;
        options.CheckpointObserver = (iteration, network) => { if (iteration.Accepted) accepted.Add((iteration, network.Clone())); };
        return options;
    }

    [Test]
    public void AcceptedStepsReachTheirTargetKeepEarlierMasksAndTheBudgetHolds()
    {
        var accepted = new List<(PruningIteration Iteration, NeuralNetwork Network)>();
        using NeuralNetworkTransformer model = DigitsLoop.Fit(Options(accepted));

        Assert.That(accepted.Count, Is.GreaterThan(2), "the baseline and at least two accepted steps");
        long denseWeights = DigitsLoop.Dense.Network.Layers.Sum(l => (long)l.Weights.Length);
        foreach ((PruningIteration iteration, NeuralNetwork network) in accepted.Skip(1))
        {
            // The ramp's last cut is the step's target; removing dead units afterwards can only remove more.
            double sparsity = 1 - network.Layers.Sum(l => (long)l.NonzeroWeightCount) / (double)denseWeights;
            Assert.That(sparsity, Is.GreaterThanOrEqualTo(iteration.TargetSparsity - 2.0 / denseWeights), $"iteration {iteration.Iteration} reached its target");
        }
        // Steps start from the best checkpoint, so between accepted steps of the same shape nothing pruned comes back.
        for (int i = 2; i < accepted.Count; i++)
        {
            if (accepted[i].Network.Spec.ToString() != accepted[i - 1].Network.Spec.ToString()) continue;
            StageTestData.AssertPrunedPositionsStayZero(accepted[i - 1].Network, accepted[i].Network);
        }
        DigitsLoop.AssertWithinBudgetOnValidation(model, MaxDrop);
    }

    [Test]
    public void TheSameSeedGivesTheSameNetwork()
    {
        using NeuralNetworkTransformer first = DigitsLoop.Fit(Options(new()));
        using NeuralNetworkTransformer second = DigitsLoop.Fit(Options(new()));

        Assert.That(second.Report.Trajectory.Select(t => t.Decision), Is.EqualTo(first.Report.Trajectory.Select(t => t.Decision)));
        Assert.That(second.Network.Spec.ToString(), Is.EqualTo(first.Network.Spec.ToString()));
        for (int l = 0; l < first.Network.Layers.Count; l++)
            Assert.That(second.Network.Layers[l].Weights, Is.EqualTo(first.Network.Layers[l].Weights), $"layer {l}'s weights");
        Assert.That(first.Report.NonzeroParameters, Is.LessThan(first.Report.DenseParameters));
    }
}
