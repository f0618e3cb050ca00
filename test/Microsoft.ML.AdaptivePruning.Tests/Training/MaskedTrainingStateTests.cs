using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// The masks hold inside training, where an exported network cannot show a fault: DenseLayer's constructor and
/// <c>TrainingSession.Export</c> re-zero pruned weights, so these tests read the libtorch weights, their gradients and
/// the optimizer's moments of a live session, before any export.
/// </summary>
[TestFixture]
public class MaskedTrainingStateTests
{
    private const int BatchSize = 32;

    private static IEnumerable<TestCaseData> Optimizers()
    {
        yield return new TestCaseData(OptimizerKind.Adam, 0.0).SetName("Adam");
        yield return new TestCaseData(OptimizerKind.Adam, 1e-3).SetName("AdamWithWeightDecay");
        yield return new TestCaseData(OptimizerKind.Sgd, 1e-3).SetName("SgdWithMomentumAndWeightDecay");
    }

    [TestCaseSource(nameof(Optimizers))]
    public void AnEpochLeavesEveryMaskedWeightItsGradientAndItsMomentsAtExactlyZero(OptimizerKind optimizer, double weightDecay)
    {
        (NeuralNetwork network, StageData data) = MaskedDigits(keep: 0.3, seed: 61);
        using var session = new TrainingSession(network, Settings(optimizer, weightDecay), data.Scaling);
        bool[][] masks = Masks(network);
        IReadOnlyList<float[]> start = session.WeightValues();

        session.TrainEpoch(data.Train, shuffleSeed: 1, default, null);

        AssertMaskedStateIsZero(session, masks, optimizer, "after one epoch", checkGradients: true);
        AssertKeptStateMoved(session, masks, start, optimizer);
    }

    [TestCaseSource(nameof(Optimizers))]
    public void SetMasksZeroesNewlyPrunedWeightsAndTheirMoments(OptimizerKind optimizer, double weightDecay)
    {
        (NeuralNetwork network, StageData data) = MaskedDigits(keep: 0.5, seed: 62);
        using var session = new TrainingSession(network, Settings(optimizer, weightDecay), data.Scaling);
        session.TrainEpoch(data.Train, shuffleSeed: 1, default, null);
        bool[][] before = Masks(network);
        bool[][] after = PruneHalfOfTheKept(before, seed: 63);
        // Without live state at the positions about to be pruned, the assertions below would hold trivially.
        Assert.That(CountNonzeroAt(session.WeightValues(), NewlyPruned(before, after)), Is.GreaterThan(0));
        Assert.That(CountNonzeroAt(session.WeightMoments().Select(m => m.First).ToArray(), NewlyPruned(before, after)), Is.GreaterThan(0));

        session.SetMasks(after);
        AssertMaskedStateIsZero(session, after, optimizer, "right after SetMasks", checkGradients: false);

        session.TrainEpoch(data.Train, shuffleSeed: 2, default, null);
        AssertMaskedStateIsZero(session, after, optimizer, "one epoch after SetMasks", checkGradients: true);
    }

    [TestCaseSource(nameof(Optimizers))]
    public void RevivedWeightsRestartFromZeroWithFreshMomentsAndThenTrain(OptimizerKind optimizer, double weightDecay)
    {
        (NeuralNetwork network, StageData data) = MaskedDigits(keep: 0.3, seed: 64);
        using var session = new TrainingSession(network, Settings(optimizer, weightDecay), data.Scaling);
        session.TrainEpoch(data.Train, shuffleSeed: 1, default, null);
        bool[][] before = Masks(network);
        // Swap a fifth of each layer's kept weights for pruned ones, as regrowth does.
        bool[][] after = Swap(before, fraction: 0.2, seed: 65);
        bool[][] revived = NewlyPruned(after, before);
        Assert.That(revived.Sum(r => r.Count(x => x)), Is.GreaterThan(0));

        IReadOnlyList<(float[] First, float[]? Second)> momentsBefore = session.WeightMoments();
        session.SetMasks(after);
        Assert.That(CountNonzeroAt(session.WeightValues(), revived), Is.Zero, "revived weights restart from zero");
        IReadOnlyList<(float[] First, float[]? Second)> momentsAfter = session.WeightMoments();
        for (int l = 0; l < after.Length; l++)
        {
            int[] keptInBoth = Enumerable.Range(0, after[l].Length).Where(k => after[l][k] && before[l][k]).ToArray();
            Assert.That(keptInBoth.Select(k => momentsAfter[l].First[k]), Is.EqualTo(keptInBoth.Select(k => momentsBefore[l].First[k])), $"layer {l}: a weight kept by both masks keeps its first moment");
            Assert.That(keptInBoth.Count(k => momentsAfter[l].First[k] != 0f), Is.GreaterThan(keptInBoth.Length / 2), $"layer {l}: those moments are live");
            if (optimizer == OptimizerKind.Adam)
                Assert.That(keptInBoth.Select(k => momentsAfter[l].Second![k]), Is.EqualTo(keptInBoth.Select(k => momentsBefore[l].Second![k])), $"layer {l}: and its second moment");
        }
        Assert.That(CountNonzeroAt(session.WeightMoments().Select(m => m.First).ToArray(), revived), Is.Zero, "revived weights start with a zero first moment");
        if (optimizer == OptimizerKind.Adam)
            Assert.That(CountNonzeroAt(session.WeightMoments().Select(m => m.Second!).ToArray(), revived), Is.Zero, "revived weights start with a zero second moment");
        AssertMaskedStateIsZero(session, after, optimizer, "right after regrowth", checkGradients: false);

        session.TrainEpoch(data.Train, shuffleSeed: 2, default, null);
        int revivedCount = revived.Sum(r => r.Count(x => x));
        Assert.That(CountNonzeroAt(session.WeightValues(), revived), Is.GreaterThan(revivedCount / 2), "revived weights are trained again");
        AssertMaskedStateIsZero(session, after, optimizer, "one epoch after regrowth", checkGradients: true);
    }

    [TestCaseSource(nameof(Optimizers))]
    public void TightenMasksZeroesTheNewlyPrunedStateAndKeepsTheKeptWeightsMoments(OptimizerKind optimizer, double weightDecay)
    {
        (NeuralNetwork network, StageData data) = MaskedDigits(keep: 0.5, seed: 67);
        using var session = new TrainingSession(network, Settings(optimizer, weightDecay), data.Scaling);
        session.TrainEpoch(data.Train, shuffleSeed: 1, default, null);
        bool[][] before = Masks(network);
        bool[][] after = PruneHalfOfTheKept(before, seed: 68);
        Assert.That(CountNonzeroAt(session.WeightMoments().Select(m => m.First).ToArray(), NewlyPruned(before, after)), Is.GreaterThan(0));
        IReadOnlyList<(float[] First, float[]? Second)> momentsBefore = session.WeightMoments();
        IReadOnlyList<float[]> weightsBefore = session.WeightValues();

        session.TightenMasks(after);

        AssertMaskedStateIsZero(session, after, optimizer, "right after TightenMasks", checkGradients: false);
        // Pruning during fine-tuning continues the run: a weight that stays keeps its value and its optimizer state
        // (SetMasks, which regrowth uses, keeps them too).
        IReadOnlyList<(float[] First, float[]? Second)> momentsAfter = session.WeightMoments();
        IReadOnlyList<float[]> weightsAfter = session.WeightValues();
        for (int l = 0; l < after.Length; l++)
        {
            int[] kept = Enumerable.Range(0, after[l].Length).Where(k => after[l][k]).ToArray();
            Assert.That(kept.Select(k => weightsAfter[l][k]), Is.EqualTo(kept.Select(k => weightsBefore[l][k])), $"layer {l}: kept weights");
            Assert.That(kept.Select(k => momentsAfter[l].First[k]), Is.EqualTo(kept.Select(k => momentsBefore[l].First[k])), $"layer {l}: kept first moments");
            Assert.That(kept.Count(k => momentsAfter[l].First[k] != 0f), Is.GreaterThan(kept.Length / 2), $"layer {l}: the kept moments are live");
            if (optimizer == OptimizerKind.Adam)
                Assert.That(kept.Select(k => momentsAfter[l].Second![k]), Is.EqualTo(kept.Select(k => momentsBefore[l].Second![k])), $"layer {l}: kept second moments");
        }

        session.TrainEpoch(data.Train, shuffleSeed: 2, default, null);
        AssertMaskedStateIsZero(session, after, optimizer, "one epoch after TightenMasks", checkGradients: true);
    }

    [Test]
    public void TightenMasksRefusesAMaskThatRevivesAWeight()
    {
        (NeuralNetwork network, StageData data) = MaskedDigits(keep: 0.3, seed: 69);
        using var session = new TrainingSession(network, Settings(OptimizerKind.Adam, 0), data.Scaling);
        bool[][] swapped = Swap(Masks(network), fraction: 0.2, seed: 70);

        var error = Assert.Throws<ArgumentException>(() => session.TightenMasks(swapped));
        Assert.That(error!.Message, Does.Contain("revives weight").And.Contain("layer 0"));
    }

    [Test]
    public void TheFineTunerHandsBackRegrownWeightsAtTheirRestartValueOfZero()
    {
        // One epoch that keeps its best: train, regrow, score, export. Nothing trains after the regrowth, so a revived
        // weight must be exactly the zero it restarted from; it is not, if pruned weights drifted in libtorch while
        // they were masked (Export zeroes only positions that are still masked, and revived ones no longer are). An
        // annealed run no longer regrows after its last epoch (see the next test), so it cannot show this.
        (NeuralNetworkTransformer pruned, AdjustEstimator adjust) = RegrowingAdjust(epochs: 1, keepLastEpoch: false);
        NeuralNetworkTransformer adjusted = adjust.Fit(StageTestData.DigitsTrain);

        bool[][] before = Masks(pruned.Network), after = Masks(adjusted.Network);
        bool[][] revived = NewlyPruned(after, before);
        Assert.That(revived.Sum(r => r.Count(x => x)), Is.EqualTo(adjust.History.Single().RevivedWeights).And.GreaterThan(0));
        Assert.That(CountNonzeroAt(adjusted.Network.Layers.Select(l => l.Weights).ToArray(), revived), Is.Zero);
    }

    [Test]
    public void AnAnnealedRunRegrowsBetweenEpochs_NotAfterItsLast()
    {
        // A weight revived after the last epoch would be judged at zero, with a kept weight given up for it.
        (_, AdjustEstimator adjust) = RegrowingAdjust(epochs: 3, keepLastEpoch: true);
        adjust.Fit(StageTestData.DigitsTrain);

        Assert.That(adjust.History.Select(e => e.RevivedWeights).ToArray(), Has.Length.EqualTo(3));
        Assert.That(adjust.History.Take(2).Sum(e => e.RevivedWeights), Is.GreaterThan(0), "the first two epochs regrow");
        Assert.That(adjust.History[^1].RevivedWeights, Is.Zero, "the last epoch does not");
    }

    /// <summary>The digits network pruned 80%, and an Adjust over it that regrows up to a fifth of each layer per epoch.</summary>
    private static (NeuralNetworkTransformer Pruned, AdjustEstimator Adjust) RegrowingAdjust(int epochs, bool keepLastEpoch)
    {
        var ml = new MLContext(seed: 66);
        NeuralNetworkTransformer pruned = ml.Transforms.Prune(StageTestData.DenseDigits, 0.8).Fit(StageTestData.DigitsTrain);
        AdjustEstimator adjust = ml.Transforms.Adjust(pruned, new AdjustOptions
        {
            Epochs = epochs, KeepLastEpoch = keepLastEpoch, LearningRate = 1e-3, BatchSize = BatchSize,
            RegrowFraction = 0.2, RegrowThreshold = 1.0, ValidationData = StageTestData.DigitsTest,
        });
        return (pruned, adjust);
    }

    [Test]
    public void RegrowthInASessionWithoutItsDeadInputs_RevivesLiveOnesOnly_EvenAtAZeroThreshold()
    {
        (NeuralNetwork network, StageData data) = MaskedDigits(keep: 0.3, seed: 71);
        // Inputs 0-15 read by no kept weight, so the session trains without them; of the live ones only every 20th
        // weight is pruned, fewer than the regrowth budget, so a zero threshold would reach the dead columns.
        var first = (DenseLayer)network.Layers[0];
        bool[] mask = Enumerable.Range(0, first.Weights.Length).Select(k => k % first.InputSize >= 16 && k % 20 != 0).ToArray();
        first.SetMask(mask);
        var options = new AdjustOptions { Epochs = 3, KeepLastEpoch = true, LearningRate = 1e-3, BatchSize = BatchSize, RegrowFraction = 0.2, RegrowThreshold = 0 };

        FineTuneResult result = new FineTuner(data, options, TaskMetric.MicroAccuracy).Run(network, new PipelineHost(new MLContext(71), "test"), null, 71, default);

        Assert.That(result.History.Sum(e => e.RevivedWeights), Is.GreaterThan(0), "weights of live inputs regrew");
        bool[] after = result.Network.Layers[0].Mask!;
        for (int k = 0; k < after.Length; k++)
            if (k % first.InputSize < 16) Assert.That(after[k], Is.False, $"weight {k} reads dead input {k % first.InputSize}");
    }

    private static TrainingSettings Settings(OptimizerKind optimizer, double weightDecay) =>
        new(optimizer == OptimizerKind.Sgd ? 1e-2 : 1e-3, optimizer, Momentum: 0.9, weightDecay, BatchSize, "cpu");

    /// <summary>A seeded random 64-32-16-10 digits network with each weight kept with probability <paramref name="keep"/>.</summary>
    private static (NeuralNetwork Network, StageData Data) MaskedDigits(double keep, int seed)
    {
        NeuralNetwork network = TinyNetworks.Random(seed, PruningTask.MulticlassClassification, 64, new[] { 32, 16 }, 10);
        // A stream apart from the weights', or the mask would keep only the weights below some value.
        var random = new Random(~seed);
        foreach (DenseLayer layer in network.Layers)
            layer.SetMask(Enumerable.Range(0, layer.Weights.Length).Select(_ => random.NextDouble() < keep).ToArray());
        StageData data = StageData.Create(StageTestData.DigitsTrain, StageTestData.DigitsTest, 0.1, PruningTask.MulticlassClassification,
            "Features", "Label", BatchSize, seed);
        return (network, data);
    }

    private static bool[][] Masks(NeuralNetwork network) => network.Layers.Select(StageTestData.KeepMask).ToArray();

    private static bool[][] PruneHalfOfTheKept(bool[][] masks, int seed)
    {
        var random = new Random(seed);
        return masks.Select(m => m.Select(keep => keep && random.NextDouble() < 0.5).ToArray()).ToArray();
    }

    /// <summary>Moves <paramref name="fraction"/> of each layer's kept weights to pruned positions, keeping the count.</summary>
    private static bool[][] Swap(bool[][] masks, double fraction, int seed)
    {
        var random = new Random(seed);
        return masks.Select(mask =>
        {
            bool[] result = (bool[])mask.Clone();
            int[] kept = Enumerable.Range(0, mask.Length).Where(k => mask[k]).OrderBy(_ => random.Next()).ToArray();
            int[] pruned = Enumerable.Range(0, mask.Length).Where(k => !mask[k]).OrderBy(_ => random.Next()).ToArray();
            int count = Math.Min(pruned.Length, (int)(fraction * kept.Length));
            for (int i = 0; i < count; i++)
            {
                result[kept[i]] = false;
                result[pruned[i]] = true;
            }
            return result;
        }).ToArray();
    }

    /// <summary>Positions kept in <paramref name="before"/> and pruned in <paramref name="after"/>.</summary>
    private static bool[][] NewlyPruned(bool[][] before, bool[][] after) =>
        before.Select((mask, l) => mask.Select((keep, k) => keep && !after[l][k]).ToArray()).ToArray();

    private static int CountNonzeroAt(IReadOnlyList<float[]> values, bool[][] positions) =>
        values.Select((layer, l) => layer.Where((v, k) => positions[l][k] && v != 0f).Count()).Sum();

    private static void AssertMaskedStateIsZero(TrainingSession session, bool[][] masks, OptimizerKind optimizer, string when, bool checkGradients)
    {
        bool[][] pruned = masks.Select(m => m.Select(keep => !keep).ToArray()).ToArray();
        Assert.That(pruned.Sum(p => p.Count(x => x)), Is.GreaterThan(0), "the network has pruned weights");
        IReadOnlyList<(float[] First, float[]? Second)> moments = session.WeightMoments();
        Assert.Multiple(() =>
        {
            Assert.That(CountNonzeroAt(session.WeightValues(), pruned), Is.Zero, $"{when}: pruned libtorch weights that are not zero");
            if (checkGradients)
                Assert.That(CountNonzeroAt(session.WeightGradients().Select(g => g!).ToArray(), pruned), Is.Zero, $"{when}: pruned weights with a gradient");
            string first = optimizer == OptimizerKind.Adam ? "Adam first moment" : "SGD momentum buffer";
            Assert.That(CountNonzeroAt(moments.Select(m => m.First).ToArray(), pruned), Is.Zero, $"{when}: pruned weights with a {first}");
            if (optimizer == OptimizerKind.Adam)
                Assert.That(CountNonzeroAt(moments.Select(m => m.Second!).ToArray(), pruned), Is.Zero, $"{when}: pruned weights with an Adam second moment");
            else
                Assert.That(moments.All(m => m.Second is null), Is.True, "SGD keeps no second moment");
        });
    }

    /// <summary>The zeros above mean something only if the kept weights did train: they moved, and have gradients and moments.</summary>
    private static void AssertKeptStateMoved(TrainingSession session, bool[][] masks, IReadOnlyList<float[]> start, OptimizerKind optimizer)
    {
        IReadOnlyList<float[]> now = session.WeightValues();
        IReadOnlyList<(float[] First, float[]? Second)> moments = session.WeightMoments();
        IReadOnlyList<float[]?> gradients = session.WeightGradients();
        for (int l = 0; l < masks.Length; l++)
        {
            int kept = masks[l].Count(x => x);
            int moved = Enumerable.Range(0, masks[l].Length).Count(k => masks[l][k] && now[l][k] != start[l][k]);
            Assert.That(moved, Is.GreaterThan(kept / 2), $"layer {l}: kept weights did not train");
            Assert.That(Enumerable.Range(0, masks[l].Length).Count(k => masks[l][k] && gradients[l]![k] != 0f), Is.GreaterThan(0), $"layer {l}: no kept gradient");
            Assert.That(Enumerable.Range(0, masks[l].Length).Count(k => masks[l][k] && moments[l].First[k] != 0f), Is.GreaterThan(kept / 2), $"layer {l}: no kept first moment");
            if (optimizer == OptimizerKind.Adam)
                Assert.That(Enumerable.Range(0, masks[l].Length).Count(k => masks[l][k] && moments[l].Second![k] != 0f), Is.GreaterThan(kept / 2), $"layer {l}: no kept second moment");
        }
    }
}
