using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Tasks;

/// <summary>A strategy's report of scored data lists the figures of ML.NET's own evaluator, under their property names, in one evaluation.</summary>
[TestFixture]
public class TaskStrategyReportTests
{
    private sealed class RegressionRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    [Test]
    public void RegressionReportsTheEvaluatorsRSquaredMeanAbsoluteAndRootMeanSquaredError()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView scored = mlContext.Data.LoadFromEnumerable(new[]
        {
            new RegressionRow { Label = 1, Score = 1.5f }, new RegressionRow { Label = 2, Score = 1.0f },
            new RegressionRow { Label = 3, Score = 3.5f }, new RegressionRow { Label = 5, Score = 4.0f },
        });
        RegressionMetrics expected = mlContext.Regression.Evaluate(scored, "Label");

        var report = TaskStrategy.For(PruningTask.Regression).EvaluateScoredReport(mlContext, scored, "Label");

        Assert.That(report.Select(p => p.Key), Is.EqualTo(new[] { "RSquared", "MeanAbsoluteError", "RootMeanSquaredError" }));
        Assert.That(report.Select(p => p.Value), Is.EqualTo(new[] { expected.RSquared, expected.MeanAbsoluteError, expected.RootMeanSquaredError }));
        Assert.That(expected.MeanAbsoluteError, Is.EqualTo(0.75).Within(1e-9), "the data are scored as written");
    }

    [Test]
    public void BinaryReportsTheEvaluatorsAccuracyCurvesF1AndLogLoss()
    {
        var mlContext = new MLContext(seed: 1);
        IDataView scored = mlContext.Data.LoadFromEnumerable(new[]
        {
            new BinaryRow { Label = true, Score = 2, Probability = 0.88f, PredictedLabel = true },
            new BinaryRow { Label = false, Score = 0.5f, Probability = 0.62f, PredictedLabel = true },
            new BinaryRow { Label = false, Score = -1, Probability = 0.27f, PredictedLabel = false },
            new BinaryRow { Label = true, Score = -0.2f, Probability = 0.45f, PredictedLabel = false },
        });
        CalibratedBinaryClassificationMetrics expected = mlContext.BinaryClassification.Evaluate(scored, "Label");

        var report = TaskStrategy.For(PruningTask.BinaryClassification).EvaluateScoredReport(mlContext, scored, "Label");

        Assert.That(report.Select(p => p.Key), Is.EqualTo(new[] { "Accuracy", "AreaUnderRocCurve", "AreaUnderPrecisionRecallCurve", "F1Score", "LogLoss" }));
        Assert.That(report.Select(p => p.Value), Is.EqualTo(new[]
            { expected.Accuracy, expected.AreaUnderRocCurve, expected.AreaUnderPrecisionRecallCurve, expected.F1Score, expected.LogLoss }));
        Assert.That(expected.Accuracy, Is.EqualTo(0.5).Within(1e-9), "two of the four rows are predicted right");
    }
}
