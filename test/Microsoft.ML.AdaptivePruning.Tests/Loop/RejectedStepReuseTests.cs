using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>
/// Reusing a rejected step (<see cref="AdaptivePruneOptions.ReuseRejectedSteps"/>): the controller hands the rejected
/// network to the next step, the revival gives back the right weights at zero, and the surgery that the alignment
/// relies on reports which units it kept.
/// </summary>
public class RejectedStepReuseTests
{
    /// <summary>
    /// Metric 0.9 up to sparsity 0.9, a near miss (0.88) to 0.95, a collapse (0.5) beyond; every result is a new network
    /// whose origin is its start, and a recovery changes nothing.
    /// </summary>
    private sealed class OriginRunner : IPruningStepRunner
    {
        public List<Checkpoint> Starts { get; } = new();

        public Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, CancellationToken cancellation)
        {
            Starts.Add(from);
            double metric = targetSparsity <= 0.9 ? 0.9 : targetSparsity <= 0.95 ? 0.88 : 0.5;
            // A reused start keeps its origin; a fresh one begins a new step at this start.
            StepOrigin origin = from.Sparsity > targetSparsity && from.Origin is StepOrigin o ? o : StepOrigin.At(from.Network);
            return new Checkpoint(AdaptiveControllerTests.Tiny.Clone(), targetSparsity, metric, 0, origin);
        }

        public Checkpoint Recover(Checkpoint candidate, int iteration, CancellationToken cancellation) => candidate;
    }

    private static ControllerSettings Settings(bool reuse) => new()
    {
        Metric = TaskMetric.MicroAccuracy, MaxMetricDrop = 0.01, InitialStep = 0.5, MinStep = 0.05, MaxIterations = 30, RecoveryBand = 5, ReuseRejectedSteps = reuse,
    };

    private static Checkpoint Baseline => new(AdaptiveControllerTests.Tiny.Clone(), 0, 0.9);

    [Test]
    public void AfterANearMissTheNextStepStartsFromTheRejectedNetworkOnlyWhenAsked()
    {
        foreach (bool reuse in new[] { false, true })
        {
            var runner = new OriginRunner();
            LoopOutcome outcome = new AdaptiveController(Settings(reuse)).Run(runner, Baseline, CancellationToken.None);
            PruningIteration[] steps = outcome.Trajectory.Skip(1).ToArray();
            Assert.That(steps.Any(s => s.Decision.StartsWith("rollback", StringComparison.Ordinal) && !s.Decision.Contains("recovery", StringComparison.Ordinal)),
                "the loop rolls back a collapse");
            int reused = 0;
            for (int i = 1; i < runner.Starts.Count; i++)
            {
                // Only a recovered near miss is worth building on; a collapse is not.
                bool afterNearMiss = steps[i - 1].Decision.StartsWith("rollback", StringComparison.Ordinal) && steps[i - 1].Decision.Contains("after recovery", StringComparison.Ordinal);
                Checkpoint start = runner.Starts[i];
                bool fromRejected = start.Sparsity > steps[i].TargetSparsity;
                Assert.That(fromRejected, Is.EqualTo(reuse && afterNearMiss), $"step {i + 1} (reuse {reuse}): started from {start.Sparsity} for target {steps[i].TargetSparsity}");
                Assert.That(steps[i].Decision.Contains("from the rejected", StringComparison.Ordinal), Is.EqualTo(fromRejected), steps[i].Decision);
                if (fromRejected) reused++;
            }
            Assert.That(reused > 0, Is.EqualTo(reuse));
            // Whatever the start, only steps within the budget are kept.
            Assert.That(outcome.Best.Metric, Is.EqualTo(0.9));
        }
    }

    [Test]
    public void ARejectedStepIsNotReusedOnceTheBestCheckpointHasMovedOn()
    {
        // The rejected step's origin is an older checkpoint: its weights do not line up with the best one.
        var settings = Settings(reuse: true);
        var policy = new AdaptiveSchedulePolicy(settings);
        var best = new Checkpoint(AdaptiveControllerTests.Tiny.Clone(), 0.5, 0.9);
        var older = new Checkpoint(AdaptiveControllerTests.Tiny.Clone(), 0.2, 0.9);
        var rejected = new Checkpoint(AdaptiveControllerTests.Tiny.Clone(), 0.9, 0.5, 0, StepOrigin.At(older.Network));
        var aligned = rejected with { Origin = StepOrigin.At(best.Network) };
        policy.Next(best);
        Assert.That(policy.After(StepVerdict.RolledBack), Is.Null);
        policy.Next(best);
        Assert.That(policy.StartFrom(best, aligned), Is.SameAs(best), "a rollback that was no near miss is not reused");
        Assert.That(policy.After(StepVerdict.NearMiss), Is.Null);
        policy.Next(best);
        Assert.That(policy.StartFrom(best, rejected), Is.SameAs(best));
        Assert.That(policy.StartFrom(best, aligned), Is.SameAs(aligned));
        Assert.That(policy.After(StepVerdict.Failed), Is.Null);
        policy.Next(best);
        Assert.That(policy.StartFrom(best, aligned), Is.SameAs(best), "a failed step has no network to reuse");
    }

    [Test]
    public void RemovingDeadUnitsReportsTheSourceIndicesOfTheUnitsKeptOverEveryPass()
    {
        // Hidden-2 unit 0 reaches nothing; once it goes, hidden-1 unit 1 (which only fed it) reaches nothing either.
        var spec = new NetworkSpec(PruningTask.Regression, 2, new[] { 3, 2 }, 1);
        var net = new NeuralNetwork(spec, new[]
        {
            new DenseLayer(2, 3, new[] { 1f, 1f, 1f, -1f, 0.5f, 2f }, new[] { 0f, 0f, 0.1f }),
            new DenseLayer(3, 2, new[] { 0.5f, 2f, 0.3f, 1f, 0f, 0.7f }, new[] { 0.3f, 0.1f }),
            new DenseLayer(2, 1, new[] { 0f, 1f }, new[] { 0f }),
        });
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed, out int[][] kept);
        Assert.That(removed, Is.EqualTo(2));
        Assert.That(kept[0], Is.EqualTo(new[] { 0, 2 }));
        Assert.That(kept[1], Is.EqualTo(new[] { 1 }));
        NeuralNetwork aligned = NeuronSurgery.RemoveUnits(net, kept);
        Assert.That(aligned.Spec.ToString(), Is.EqualTo(clean.Spec.ToString()));
        for (int l = 0; l < clean.Layers.Count; l++)
            Assert.That(aligned.Layers[l].Weights, Is.EqualTo(clean.Layers[l].Weights), $"layer {l} lines up weight for weight");
    }

    [Test]
    public void OriginsComposeOverSuccessiveCuts()
    {
        var start = TinyNetworks.Random(1, PruningTask.Regression, 4, new[] { 5, 4 }, 1);
        StepOrigin origin = StepOrigin.At(start).Then(new[] { new[] { 0, 2, 3, 4 }, new[] { 1, 3 } }).Then(new[] { new[] { 1, 3 }, new[] { 1 } });
        Assert.That(origin.Start, Is.SameAs(start));
        Assert.That(origin.KeptUnits[0], Is.EqualTo(new[] { 2, 4 }));
        Assert.That(origin.KeptUnits[1], Is.EqualTo(new[] { 3 }));
    }

    [TestCase(PruningCriterion.Magnitude, 7)]
    [TestCase(PruningCriterion.Magnitude, 40)]
    [TestCase(PruningCriterion.Random, 12)]
    public void RevivalGivesBackTheHighestRankedLostWeightsAtTheirValuesInTheStart(PruningCriterion criterionKind, int revive)
    {
        NeuralNetwork start = TinyNetworks.Random(3, PruningTask.MulticlassClassification, 8, new[] { 6, 5 }, 3);
        var random = new Random(9);
        foreach (NetworkLayer layer in start.Layers)
            layer.SetMask(layer.Weights.Select(_ => random.NextDouble() > 0.2).ToArray());
        // The rejected step: more weights masked, the rest moved by fine-tuning, hidden unit 2 of the first layer removed.
        NeuralNetwork rejectedFull = start.Clone();
        foreach (NetworkLayer layer in rejectedFull.Layers)
        {
            bool[] mask = layer.Mask!.Select(keep => keep && random.NextDouble() > 0.6).ToArray();
            for (int k = 0; k < layer.Weights.Length; k++) layer.Weights[k] += 0.01f * (float)(random.NextDouble() - 0.5);
            layer.SetMask(mask);
        }
        int[][] kept = { new[] { 0, 1, 3, 4, 5 }, new[] { 0, 1, 2, 3, 4 } };
        NeuralNetwork rejected = NeuronSurgery.RemoveUnits(rejectedFull, kept);
        NeuralNetwork aligned = NeuronSurgery.RemoveUnits(start, kept);
        IPruningCriterion criterion = PruningCriteria.Create(criterionKind);

        NeuralNetwork revived = WeightRevival.Revive(rejected, aligned, revive, criterion, null, new Random(5));

        var candidates = new List<(int Layer, int Index, float Score, bool Back)>();
        var scoring = new Random(5);
        int given = 0;
        for (int l = 0; l < rejected.Layers.Count; l++)
        {
            NetworkLayer before = rejected.Layers[l], after = revived.Layers[l], had = aligned.Layers[l];
            float[] score = criterion.ScoreWeights(aligned, l, null, scoring);
            if (criterion.NeedsLayerNormalization) score = SelectionRules.DivideByLayerMean(score, had.Mask);
            for (int k = 0; k < before.Weights.Length; k++)
            {
                bool lost = had.Mask![k] && had.Weights[k] != 0 && !before.Mask![k];
                bool back = after.Mask![k] && !before.Mask![k];
                Assert.That(after.Weights[k], Is.EqualTo(back ? had.Weights[k] : before.Weights[k]), "revived weights take the start's values, the others are untouched");
                Assert.That(after.Mask![k], Is.EqualTo(before.Mask![k] || back));
                if (back) Assert.That(lost, $"layer {l} weight {k} came back though the start did not have it");
                if (lost) candidates.Add((l, k, score[k], back));
                if (back) given++;
            }
            Assert.That(after.Bias, Is.EqualTo(before.Bias));
        }
        Assert.That(given, Is.EqualTo(Math.Min(revive, candidates.Count)), "as many as asked, or every candidate");
        if (criterionKind == PruningCriterion.Magnitude && candidates.Any(c => !c.Back))
        {
            float lowestBack = candidates.Where(c => c.Back).Min(c => c.Score);
            float highestLeft = candidates.Where(c => !c.Back).Max(c => c.Score);
            Assert.That(lowestBack, Is.GreaterThanOrEqualTo(highestLeft), "the highest-ranked lost weights come back first");
        }
    }
}
