using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>PruneEstimator on a trained digits network: neuron surgery, floors, and every built-in criterion.</summary>
[TestFixture]
public class PruneEstimatorTests
{
    private static NeuralNetwork Dense => StageTestData.DenseDigits.Network;

    [Test]
    public void NeuronPruningHalvesEveryHiddenLayerAndMatchesTheMaskedEquivalent()
    {
        var ml = new MLContext(seed: 31);
        NeuralNetworkTransformer pruned = ml.Transforms.Prune(StageTestData.DenseDigits, 0.5, granularity: PruningGranularity.Neuron, scope: PruningScope.PerLayer)
            .Fit(StageTestData.DigitsTrain);

        Assert.That(pruned.Network.Spec.HiddenLayers, Is.EqualTo(new[] { 32, 16 }));
        Assert.That(pruned.Report.ArchitectureBefore, Is.EqualTo("64-64-32-10"));
        Assert.That(pruned.Report.ArchitectureAfter, Is.EqualTo("64-32-16-10"));
        Assert.That(pruned.Report.TotalParameters, Is.EqualTo(65 * 32 + 33 * 16 + 17 * 10));
        Assert.That(pruned.Report.FlopsPerRow, Is.LessThan(pruned.Report.DenseFlopsPerRow / 2));

        int[][] kept = KeptUnits(Dense, pruned.Network);
        NeuralNetwork masked = NeuronSurgery.MaskedEquivalent(Dense, kept);
        List<float[]> rows = StageTestData.Features(StageTestData.DigitsTest, 60);
        foreach (float[] row in rows)
            Assert.That(pruned.Network.Forward(row), Is.EqualTo(masked.Forward(row)).Within(1e-4));

        // Scoring through ONNX inside ML.NET gives the softmax of the managed forward pass.
        List<float[]> scores = StageTestData.Vectors(pruned.Transform(StageTestData.DigitsTest), "Score", rows.Count);
        for (int r = 0; r < rows.Count; r++)
            Assert.That(scores[r], Is.EqualTo(Softmax(pruned.Network.Forward(rows[r]))).Within(1e-4), $"row {r}");
        double accuracy = ml.MulticlassClassification.Evaluate(pruned.Transform(StageTestData.DigitsTest)).MicroAccuracy;
        Assert.That(accuracy, Is.GreaterThan(0.3), "half the units by magnitude should leave a working classifier");
    }

    [Test]
    public void GlobalScopeNeverEmptiesALayer([Values(0.01, 0.05)] double minKeptFraction)
    {
        var ml = new MLContext(seed: 32);
        NeuralNetworkTransformer pruned = ml.Transforms.Prune(StageTestData.DenseDigits, new PruneOptions { Sparsity = 0.99, MinKeptFraction = minKeptFraction })
            .Fit(StageTestData.DigitsTrain);

        foreach (DenseLayer layer in pruned.Network.Layers)
        {
            int floor = Math.Max(1, (int)Math.Ceiling(minKeptFraction * layer.Weights.Length - 1e-9));
            Assert.That(layer.KeptWeightCount, Is.GreaterThanOrEqualTo(floor), $"{layer.OutputSize}x{layer.InputSize}");
            Assert.That(layer.NonzeroWeightCount, Is.GreaterThanOrEqualTo(1), $"{layer.OutputSize}x{layer.InputSize}");
        }
        long total = pruned.Network.Layers.Sum(l => (long)l.Weights.Length);
        long kept = pruned.Network.Layers.Sum(l => (long)l.KeptWeightCount);
        long floors = pruned.Network.Layers.Sum(l => (long)Math.Max(1, Math.Ceiling(minKeptFraction * l.Weights.Length - 1e-9)));
        // The target is met exactly unless the floors forbid it, and then the floors are all that is kept.
        Assert.That(kept, Is.EqualTo(Math.Max(total - (long)Math.Round(0.99 * total), floors)));
    }

    [TestCase(PruningCriterion.Gradient)]
    [TestCase(PruningCriterion.Taylor)]
    public void GradientCriteriaUseTheDataAndReachTheSparsity(PruningCriterion criterion)
    {
        var ml = new MLContext(seed: 33);
        NeuralNetwork byGradients = ml.Transforms.Prune(StageTestData.DenseDigits, 0.5, criterion).Fit(StageTestData.DigitsTrain).Network;
        NeuralNetwork byMagnitude = ml.Transforms.Prune(StageTestData.DenseDigits, 0.5).Fit(StageTestData.DigitsTrain).Network;

        long total = byGradients.Layers.Sum(l => (long)l.Weights.Length);
        Assert.That(byGradients.Layers.Sum(l => (long)l.KeptWeightCount), Is.EqualTo(total - (long)Math.Round(0.5 * total)));
        Assert.That(byGradients.WeightSparsity, Is.EqualTo(0.5).Within(1e-3));
        Assert.That(Masks(byGradients), Is.Not.EqualTo(Masks(byMagnitude)), "the gradient statistics must change the choice");
    }

    [Test]
    public void GradientAndTaylorChooseDifferently()
    {
        var ml = new MLContext(seed: 34);
        NeuralNetwork gradient = ml.Transforms.Prune(StageTestData.DenseDigits, 0.5, PruningCriterion.Gradient).Fit(StageTestData.DigitsTrain).Network;
        NeuralNetwork taylor = ml.Transforms.Prune(StageTestData.DenseDigits, 0.5, PruningCriterion.Taylor).Fit(StageTestData.DigitsTrain).Network;
        Assert.That(Masks(taylor), Is.Not.EqualTo(Masks(gradient)));
    }

    [Test]
    public void RandomCriterionFollowsTheContextSeed()
    {
        bool[] first = RandomMask(seed: 5), again = RandomMask(seed: 5), other = RandomMask(seed: 6);

        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
        Assert.That(first.Count(k => !k), Is.EqualTo(other.Count(k => !k)), "a different seed moves the mask, not the sparsity");
    }

    private static bool[] RandomMask(int seed) =>
        Masks(new MLContext(seed).Transforms.Prune(StageTestData.DenseDigits, 0.5, PruningCriterion.Random).Fit(StageTestData.DigitsTrain).Network);

    private static bool[] Masks(NeuralNetwork network) => network.Layers.SelectMany(StageTestData.KeepMask).ToArray();

    /// <summary>
    /// Recovers which dense units a neuron-pruned network kept by matching every kept unit's bias and incoming weights
    /// (over the inputs the previous layer kept) to a dense unit, so the check does not trust the pruner's own bookkeeping.
    /// </summary>
    private static int[][] KeptUnits(NeuralNetwork dense, NeuralNetwork pruned)
    {
        var kept = new int[pruned.Spec.HiddenLayers.Count][];
        int[] inputs = Enumerable.Range(0, dense.Spec.InputSize).ToArray();
        for (int h = 0; h < kept.Length; h++)
        {
            DenseLayer full = dense.Dense(h), cut = pruned.Dense(h);
            kept[h] = Enumerable.Range(0, cut.OutputSize).Select(r =>
            {
                int[] matches = Enumerable.Range(0, full.OutputSize)
                    .Where(j => full.Bias[j] == cut.Bias[r] && inputs.Select((i, c) => full[j, i] == cut[r, c]).All(same => same))
                    .ToArray();
                Assert.That(matches, Has.Length.EqualTo(1), $"hidden layer {h}, unit {r}");
                return matches[0];
            }).ToArray();
            Assert.That(kept[h], Is.Ordered.Ascending.And.Unique);
            inputs = kept[h];
        }
        return kept;
    }

    private static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        float[] e = logits.Select(v => MathF.Exp(v - max)).ToArray();
        float sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
