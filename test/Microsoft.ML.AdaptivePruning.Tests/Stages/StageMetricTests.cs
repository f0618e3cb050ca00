using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>The metric a stage is judged by: it must fit the task, follow its direction and agree with ML.NET's evaluators.</summary>
[TestFixture]
public class StageMetricTests
{
    [TestCase(TaskMetric.RootMeanSquaredError)]
    [TestCase(TaskMetric.AreaUnderRocCurve)]
    public void AMetricOfAnotherTaskIsRejectedWhenTheStageIsCreated(TaskMetric metric)
    {
        var ml = new MLContext(seed: 51);
        var optimize = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.TaskOptimize(StageTestData.DenseDigits, new TaskOptimizeOptions { Metric = metric }));
        var adjust = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.Transforms.Adjust(StageTestData.DenseDigits, new AdjustOptions { Metric = metric }));

        foreach (ArgumentOutOfRangeException ex in new[] { optimize!, adjust! })
        {
            Assert.That(ex.ParamName, Is.EqualTo("Metric"));
            Assert.That(ex.Message, Does.Contain(TaskMetrics.Name(metric)).And.Contain(nameof(PruningTask.MulticlassClassification)));
        }
    }

    [Test]
    public void LogLossAgreesWithMlNetAndIsLowerIsBetter()
    {
        var ml = new MLContext(seed: 52);
        Assert.That(TaskMetrics.HigherIsBetter(TaskMetric.LogLoss), Is.False);

        // Nothing to remove and no budget: TaskOptimize only measures, so its figure is the incoming network's.
        NeuralNetworkTransformer measured = ml.Transforms.TaskOptimize(StageTestData.DenseDigits,
            new TaskOptimizeOptions { Metric = TaskMetric.LogLoss, RemoveLayers = false, ValidationData = StageTestData.DigitsTest })
            .Fit(StageTestData.DigitsTrain);
        double expected = ml.MulticlassClassification.Evaluate(measured.Transform(StageTestData.DigitsTest)).LogLoss;
        Assert.That(measured.Report.MetricName, Is.EqualTo("LogLoss"));
        Assert.That(measured.Report.MetricAfter, Is.EqualTo(expected).Within(1e-4));

        var adjust = ml.Transforms.Adjust(StageTestData.DenseDigits, new AdjustOptions
        {
            Metric = TaskMetric.LogLoss, Epochs = 3, Patience = 100, LearningRate = 1e-3, BatchSize = 32, ValidationData = StageTestData.DigitsTest,
        });
        NeuralNetworkTransformer adjusted = adjust.Fit(StageTestData.DigitsTrain);
        Assert.That(adjusted.Report.MetricBefore, Is.EqualTo(expected).Within(1e-4), "Adjust starts from the same network on the same data");
        // An epoch counts as an improvement exactly when its log-loss is lower than the best so far.
        double best = adjusted.Report.MetricBefore;
        foreach (AdjustEpoch epoch in adjust.History)
        {
            Assert.That(epoch.Improved, Is.EqualTo(epoch.Metric < best), $"epoch {epoch.Epoch}: {epoch.Metric} vs best {best}");
            if (epoch.Improved) best = epoch.Metric;
        }
        Assert.That(adjusted.Report.MetricAfter, Is.EqualTo(best));
        Assert.That(ml.MulticlassClassification.Evaluate(adjusted.Transform(StageTestData.DigitsTest)).LogLoss, Is.EqualTo(best).Within(1e-4));
    }

    [Test]
    public void BinaryF1ScoreAgreesWithMlNet()
    {
        var ml = new MLContext(seed: 53);
        NeuralNetworkTransformer measured = ml.Transforms.TaskOptimize(StageTestData.SmallBreastCancer,
            new TaskOptimizeOptions { Metric = TaskMetric.F1Score, RemoveLayers = false, ValidationData = StageTestData.BreastCancerTest })
            .Fit(StageTestData.BreastCancerTrain);

        double expected = ml.BinaryClassification.Evaluate(measured.Transform(StageTestData.BreastCancerTest)).F1Score;
        Assert.That(measured.Report.MetricName, Is.EqualTo("F1Score"));
        Assert.That(expected, Is.GreaterThan(0.5), "the small network must actually find malignant rows");
        Assert.That(measured.Report.MetricAfter, Is.EqualTo(expected).Within(1e-6));
        Assert.That(measured.Network.Spec.ToString(), Is.EqualTo("30-4-1"));
    }

    [Test]
    public void ReportsNameTheBinaryDefaultAsMlNetDoes()
    {
        var ml = new MLContext(seed: 54);
        NeuralNetworkTransformer measured = ml.Transforms.TaskOptimize(StageTestData.SmallBreastCancer,
            new TaskOptimizeOptions { RemoveLayers = false, ValidationData = StageTestData.BreastCancerTest })
            .Fit(StageTestData.BreastCancerTrain);

        // Enum.ToString could print the obsolete alias "Auc"; reports always use the ML.NET property name.
        Assert.That(measured.Report.MetricName, Is.EqualTo(nameof(Microsoft.ML.Data.CalibratedBinaryClassificationMetrics.AreaUnderRocCurve)));
        Assert.That(measured.Report.ToString(), Does.Contain("AreaUnderRocCurve"));
        double expected = ml.BinaryClassification.Evaluate(measured.Transform(StageTestData.BreastCancerTest)).AreaUnderRocCurve;
        Assert.That(measured.Report.MetricAfter, Is.EqualTo(expected).Within(1e-6));
    }
}
