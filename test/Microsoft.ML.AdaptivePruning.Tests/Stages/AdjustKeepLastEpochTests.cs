using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>KeepLastEpoch: every epoch on a cosine learning rate, validation looked at once, the last epoch returned.</summary>
public class AdjustKeepLastEpochTests
{
    [Test]
    public void RunsEveryEpochOnACosineRateAndMeasuresTheLastOnce()
    {
        var ml = new MLContext(seed: 4);
        NeuralNetworkTransformer pruned = ml.Transforms.Prune(StageTestData.DenseDigits, 0.9).Fit(StageTestData.DigitsTrain);
        var adjust = ml.Transforms.Adjust(pruned, new AdjustOptions
        {
            Epochs = 4,
            // Both would end a best-epoch run after the first epoch; the annealed run must ignore them.
            Patience = 1,
            StopAtMetric = 0.0,
            LearningRate = 2e-3,
            MinLearningRate = 1e-5,
            BatchSize = 32,
            KeepLastEpoch = true,
            ValidationData = StageTestData.DigitsTest,
        });
        NeuralNetworkTransformer adjusted = adjust.Fit(StageTestData.DigitsTrain);

        Assert.That(adjust.History, Has.Count.EqualTo(4), "every epoch runs");
        double[] rates = adjust.History.Select(e => e.LearningRate).ToArray();
        for (int e = 0; e < 4; e++)
            Assert.That(rates[e], Is.EqualTo(1e-5 + (2e-3 - 1e-5) * (1 + Math.Cos(Math.PI * e / 4)) / 2).Within(1e-12), $"epoch {e + 1}'s rate");
        Assert.That(adjust.History.Take(3).All(e => double.IsNaN(e.Metric)), Is.True, "validation is not looked at before the last epoch");

        // The report's metric is the returned network's on validation, measured once.
        double returned = ml.MulticlassClassification.Evaluate(adjusted.Transform(StageTestData.DigitsTest)).MicroAccuracy;
        Assert.That(adjust.History[^1].Metric, Is.EqualTo(returned).Within(1e-6));
        Assert.That(adjusted.Report.MetricAfter, Is.EqualTo(returned).Within(1e-6));
        StageTestData.AssertPrunedPositionsStayZero(pruned.Network, adjusted.Network);
    }
}
