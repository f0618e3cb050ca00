using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>The real adaptive loop on digits under each stop rule: it stops because the rule holds, on a network that meets it.</summary>
public class StopRuleEndToEndTests
{
    private const double Budget = 0.03;

    /// <summary>The first accepted iteration that meets <paramref name="rule"/> is the last one: the loop stopped as soon as it held.</summary>
    private static void AssertStoppedWhenTheRuleFirstHeld(NeuralNetworkTransformer model, Func<PruningIteration, bool> rule)
    {
        Assert.That(DigitsLoop.StopReason(model), Is.EqualTo("target met"));
        PruningIteration first = model.Report.Trajectory.Skip(1).First(t => t.Accepted && rule(t));
        Assert.That(first.Iteration, Is.EqualTo(model.Report.Trajectory[^1].Iteration), "the loop went on after the rule held");
        Assert.That(model.Report.Trajectory.Skip(1).Where(t => t.Accepted).SkipLast(1).Any(rule), Is.False);
    }

    [Test]
    public void MaxParametersStopsOnTheFirstNetworkSmallEnough()
    {
        long dense = DigitsLoop.Dense.Network.NonzeroParameterCount;
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        options.MaxParameters = dense / 4;
        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        Assert.That(model.Network.NonzeroParameterCount, Is.LessThanOrEqualTo(dense / 4));
        Assert.That(model.Report.NonzeroParameters, Is.EqualTo(model.Network.NonzeroParameterCount));
        AssertStoppedWhenTheRuleFirstHeld(model, t => t.NonzeroParameters <= dense / 4);
        DigitsLoop.AssertWithinBudgetOnValidation(model, Budget);
        model.Dispose();
    }

    [Test]
    public void MaxFlopsStopsOnTheFirstNetworkCheapEnough()
    {
        // Only removing units lowers the dense FLOP count, so this runs at neuron granularity.
        long dense = DigitsLoop.Dense.Network.FlopsPerRow;
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        options.Granularity = PruningGranularity.Neuron;
        options.MaxFlops = dense / 2;
        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        Assert.That(model.Network.FlopsPerRow, Is.LessThanOrEqualTo(dense / 2));
        Assert.That(model.Report.FlopsPerRow, Is.EqualTo(model.Network.FlopsPerRow));
        Assert.That(model.Network.Spec.HiddenLayers.Sum(), Is.LessThan(DigitsLoop.Dense.Network.Spec.HiddenLayers.Sum()), "units were removed");
        Assert.That(DigitsLoop.StopReason(model), Is.EqualTo("target met"));
        DigitsLoop.AssertWithinBudgetOnValidation(model, Budget);
        model.Dispose();
    }

    [Test]
    public void MaxLatencyIsMeasuredOnEachAcceptedNetwork()
    {
        // Any network meets a latency of seconds per row, so the loop stops on its first accepted step;
        // none meets 100 ns per row, so that loop runs until another rule ends it.
        AdaptivePruneOptions loose = DigitsLoop.Options(Budget);
        loose.MaxLatency = TimeSpan.FromSeconds(1);
        NeuralNetworkTransformer met = DigitsLoop.Fit(loose);
        AssertStoppedWhenTheRuleFirstHeld(met, _ => true);
        Assert.That(met.Report.Trajectory.Count, Is.EqualTo(2), "the first step is accepted and meets the latency");
        DigitsLoop.AssertWithinBudgetOnValidation(met, Budget);

        AdaptivePruneOptions tight = DigitsLoop.Options(Budget);
        tight.MaxLatency = TimeSpan.FromTicks(1);
        tight.MaxIterations = 3;
        NeuralNetworkTransformer unmet = DigitsLoop.Fit(tight);
        Assert.That(DigitsLoop.StopReason(unmet), Is.Not.EqualTo("target met"), "a latency no network meets never stops the loop");
        Assert.That(unmet.Report.Trajectory.Skip(1).Count(t => t.Accepted), Is.GreaterThanOrEqualTo(2), "accepted steps were measured and found too slow");
        met.Dispose();
        unmet.Dispose();
    }

    [Test]
    public void TargetSparsityStopsOnceItIsReached()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        options.TargetSparsity = 0.7;
        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        AssertStoppedWhenTheRuleFirstHeld(model, t => t.Sparsity >= 0.7 - 1e-9);
        double sparsity = 1 - (double)model.Network.Layers.Sum(l => (long)l.NonzeroWeightCount) / DigitsLoop.Dense.Network.Layers.Sum(l => (long)l.Weights.Length);
        Assert.That(sparsity, Is.GreaterThanOrEqualTo(0.7 - 1e-9), "the returned network itself is at the target");
        DigitsLoop.AssertWithinBudgetOnValidation(model, Budget);
        model.Dispose();
    }
}
