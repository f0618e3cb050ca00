using System;
using System.Linq;
using Microsoft.ML;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// Regression's target scaling, checked value by value: the measured mean and deviation, standardising targets, and
/// folding the scaling out of the output layer and back in, which must be exact inverses.
/// </summary>
[TestFixture]
public class TargetScalingTests
{
    private static TargetScaling Measure(MLContext ml, params float[] targets)
    {
        IDataView data = TrainingData.Load(ml, targets.Select(t => new FloatRow { Features = new[] { t }, Label = t }).ToArray(), 1);
        return TargetScaling.Measure(new BatchStream(data, TrainingColumns.Check(data.Schema, PruningTask.Regression, "Features", "Label")), batchSize: 2);
    }

    [Test]
    public void Measure_GivesThePopulationMeanAndDeviation_AndOneForConstantTargets()
    {
        var ml = new MLContext(seed: 1);
        TargetScaling scaling = Measure(ml, 2f, 4f, 9f);
        Assert.That(scaling.Mean, Is.EqualTo(5f));
        Assert.That(scaling.Std, Is.EqualTo((float)Math.Sqrt((9 + 1 + 16) / 3.0)).Within(1e-6f));

        TargetScaling constant = Measure(ml, 7f, 7f, 7f);
        Assert.That(constant.Mean, Is.EqualTo(7f));
        Assert.That(constant.Std, Is.EqualTo(1f), "a zero deviation would divide by zero");
    }

    [Test]
    public void IsIdentity_OnlyForMeanZeroAndDeviationOne()
    {
        Assert.That(TargetScaling.Identity.IsIdentity, Is.True);
        Assert.That(new TargetScaling(0f, 2f).IsIdentity, Is.False);
        Assert.That(new TargetScaling(1f, 1f).IsIdentity, Is.False);
    }

    [Test]
    public void Normalize_StandardisesEveryTarget_EvenWithAZeroMean()
    {
        float[] targets = { 4f, -2f, 0f };
        new TargetScaling(0f, 2f).Normalize(targets);
        Assert.That(targets, Is.EqualTo(new[] { 2f, -1f, 0f }));
        targets = new[] { 4f, -2f };
        new TargetScaling(1f, 1f).Normalize(targets);
        Assert.That(targets, Is.EqualTo(new[] { 3f, -3f }));
    }

    [Test]
    public void FoldingOutAndBackIn_RewritesEveryWeightAndBias_AndRestoresThem()
    {
        var scaling = new TargetScaling(3f, 2f);
        var layer = new DenseLayer(2, 2, new[] { 2f, -4f, 6f, 8f }, new[] { 5f, -1f });

        scaling.ToNormalized(layer);
        Assert.That(layer.Weights, Is.EqualTo(new[] { 1f, -2f, 3f, 4f }));
        Assert.That(layer.Bias, Is.EqualTo(new[] { 1f, -2f }));

        scaling.ToRaw(layer);
        Assert.That(layer.Weights, Is.EqualTo(new[] { 2f, -4f, 6f, 8f }));
        Assert.That(layer.Bias, Is.EqualTo(new[] { 5f, -1f }));
    }

    [Test]
    public void Identity_LeavesALayerBitForBit()
    {
        // -0 survives only untouched: -0 * 1 + 0 and (-0 - 0) / 1 + ... give +0 in at least one direction.
        var layer = new DenseLayer(1, 1, new[] { -0f }, new[] { -0f });
        TargetScaling.Identity.ToRaw(layer);
        TargetScaling.Identity.ToNormalized(layer);
        Assert.That(float.IsNegative(layer.Bias[0]), Is.True);
        Assert.That(float.IsNegative(layer.Weights[0]), Is.True);
    }
}
