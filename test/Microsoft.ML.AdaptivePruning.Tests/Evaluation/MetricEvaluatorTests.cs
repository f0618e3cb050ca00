using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Evaluation;

public class MetricEvaluatorTests
{
    [Test]
    public void MulticlassAccuracyCountsArgmaxOfLogits()
    {
        // LoadFromEnumerable treats key-typed uint fields as 0-based; a +1 shift made every prediction wrong once.
        // Three rows, three classes: rows 0 and 1 predicted right, row 2 wrong.
        float[] logits = { 5, 0, 0, 0, 5, 0, 5, 0, 0 };
        float[] targets = { 0, 1, 2 };
        double accuracy = MetricEvaluator.Evaluate(PruningTask.MulticlassClassification, TaskMetric.MicroAccuracy, logits, targets, 3);
        Assert.That(accuracy, Is.EqualTo(2.0 / 3).Within(1e-9));
    }

    [Test]
    public void BinaryAucIsOneForPerfectRanking()
    {
        float[] logits = { -2, -1, 1, 2 };
        float[] targets = { 0, 0, 1, 1 };
        Assert.That(MetricEvaluator.Evaluate(PruningTask.BinaryClassification, TaskMetric.AreaUnderRocCurve, logits, targets, 1), Is.EqualTo(1.0).Within(1e-9));
        Assert.That(MetricEvaluator.Evaluate(PruningTask.BinaryClassification, TaskMetric.Accuracy, new float[] { 1, -1, 1, 2 }, targets, 1), Is.EqualTo(0.75).Within(1e-9), "3 of 4 logits have the right sign");
    }

    [Test]
    public void RegressionRSquaredIsOneForExactPredictions()
    {
        float[] values = { 1, 2, 3, 4 };
        Assert.That(MetricEvaluator.Evaluate(PruningTask.Regression, TaskMetric.RSquared, values, values, 1), Is.EqualTo(1.0).Within(1e-9));
        Assert.That(MetricEvaluator.Evaluate(PruningTask.Regression, TaskMetric.RootMeanSquaredError, new float[] { 2, 3, 4, 5 }, values, 1), Is.EqualTo(1.0).Within(1e-6));
    }
}
