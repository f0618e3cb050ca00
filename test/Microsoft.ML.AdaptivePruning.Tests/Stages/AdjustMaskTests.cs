using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>Adjust fine-tunes under the masks: pruned weights stay exactly zero, and only regrowth moves them.</summary>
[TestFixture]
public class AdjustMaskTests
{
    [TestCase(OptimizerKind.Adam, 0.0)]
    [TestCase(OptimizerKind.Adam, 1e-3)]
    [TestCase(OptimizerKind.Sgd, 1e-3)]
    public void MasksPersistThroughFineTuning(OptimizerKind optimizer, double weightDecay)
    {
        var ml = new MLContext(seed: 21);
        NeuralNetworkTransformer pruned = ml.Transforms.Prune(StageTestData.DenseDigits, 0.8).Fit(StageTestData.DigitsTrain);
        var adjust = ml.Transforms.Adjust(pruned, new AdjustOptions
        {
            Epochs = 4,
            Patience = 100,
            LearningRate = optimizer == OptimizerKind.Sgd ? 1e-2 : 1e-3,
            BatchSize = 32,
            Optimizer = optimizer,
            Momentum = 0.9,
            WeightDecay = weightDecay,
            Metric = TaskMetric.LogLoss,
            ValidationData = StageTestData.DigitsTest,
        });
        NeuralNetworkTransformer adjusted = adjust.Fit(StageTestData.DigitsTrain);

        // Adjust measured its best epoch inside the training session; the exported network must be that same network,
        // which it is not if pruned weights drifted in the session and were only zeroed on export.
        double exported = ml.MulticlassClassification.Evaluate(adjusted.Transform(StageTestData.DigitsTest)).LogLoss;
        Assert.That(adjusted.Report.MetricAfter, Is.EqualTo(exported).Within(1e-4));

        // Without an improving epoch Adjust hands back its input, and the test would prove nothing.
        Assert.That(adjust.History, Has.Count.EqualTo(4));
        Assert.That(adjust.History.Any(e => e.Improved), Is.True);
        StageTestData.AssertPrunedPositionsStayZero(pruned.Network, adjusted.Network);
        for (int l = 0; l < pruned.Network.Layers.Count; l++)
        {
            DenseLayer before = pruned.Network.Dense(l), after = adjusted.Network.Dense(l);
            Assert.That(after.Mask, Is.EqualTo(before.Mask), $"layer {l}: no regrowth was asked for, so the mask must not move");
            Assert.That(after.NonzeroWeightCount, Is.LessThanOrEqualTo(before.KeptWeightCount), $"layer {l}");
            Assert.That(Enumerable.Range(0, before.Weights.Length).Any(k => before.Mask![k] && after.Weights[k] != before.Weights[k]), Is.True,
                $"layer {l}: the kept weights were not trained");
        }
    }

    [Test]
    public void RegrowthRevivesPrunedWeightsAndKeepsTheSparsity()
    {
        var ml = new MLContext(seed: 22);
        NeuralNetworkTransformer pruned = ml.Transforms.Prune(StageTestData.DenseDigits, 0.9).Fit(StageTestData.DigitsTrain);
        var adjust = ml.Transforms.Adjust(pruned, new AdjustOptions
        {
            Epochs = 3,
            Patience = 100,
            LearningRate = 1e-3,
            BatchSize = 32,
            RegrowFraction = 0.2,
            RegrowThreshold = 1.0,
            ValidationData = StageTestData.DigitsTest,
        });
        NeuralNetworkTransformer adjusted = adjust.Fit(StageTestData.DigitsTrain);

        Assert.That(adjust.History.Sum(e => e.RevivedWeights), Is.GreaterThan(0));
        // The returned network is the best epoch's; it must be one after a regrowth for revived positions to show.
        Assert.That(adjust.History.Any(e => e.Improved && e.RevivedWeights > 0), Is.True);
        Assert.That(adjusted.Report.Notes.Last(), Does.Contain("regrown"));

        int revived = 0;
        for (int l = 0; l < pruned.Network.Layers.Count; l++)
        {
            DenseLayer before = pruned.Network.Dense(l), after = adjusted.Network.Dense(l);
            Assert.That(after.Mask, Is.Not.Null);
            Assert.That(after.KeptWeightCount, Is.EqualTo(before.KeptWeightCount), $"layer {l}: regrowth must hold the layer's sparsity");
            revived += Enumerable.Range(0, before.Weights.Length).Count(k => !before.Mask![k] && after.Mask![k]);
            for (int k = 0; k < after.Weights.Length; k++)
            {
                if (!after.Mask![k]) Assert.That(after.Weights[k], Is.EqualTo(0f), $"layer {l} weight {k} is masked but not zero");
            }
        }
        Assert.That(revived, Is.GreaterThan(0), "no pruned position is kept after regrowth");
    }
}
