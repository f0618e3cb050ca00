using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Evaluation;

/// <summary>The weighted metrics the bootstrap resamples must agree with ML.NET's evaluators on the unweighted rows.</summary>
public class RowOutcomesTests
{
    private const int Rows = 400;

    private static (float[] Outputs, float[] Targets) Synthetic(PruningTask task, int classCount, int seed)
    {
        var random = new Random(seed);
        var targets = new float[Rows];
        var outputs = new float[task == PruningTask.MulticlassClassification ? Rows * classCount : Rows];
        for (int r = 0; r < Rows; r++)
        {
            switch (task)
            {
                case PruningTask.BinaryClassification:
                    targets[r] = random.Next(2);
                    // Informative but noisy, with some exact ties to exercise the AUC's tie rule.
                    outputs[r] = MathF.Round((targets[r] * 2 - 1) + (float)(random.NextDouble() * 3 - 1.5), 1);
                    break;
                case PruningTask.MulticlassClassification:
                    targets[r] = random.Next(classCount);
                    for (int k = 0; k < classCount; k++) outputs[r * classCount + k] = (float)(random.NextDouble() * 2) + (k == (int)targets[r] ? 1.2f : 0);
                    break;
                default:
                    targets[r] = (float)(random.NextDouble() * 10);
                    outputs[r] = targets[r] + (float)(random.NextDouble() * 4 - 2);
                    break;
            }
        }
        return (outputs, targets);
    }

    [TestCase(TaskMetric.AreaUnderRocCurve)]
    [TestCase(TaskMetric.Accuracy)]
    [TestCase(TaskMetric.F1Score)]
    [TestCase(TaskMetric.MicroAccuracy)]
    [TestCase(TaskMetric.MacroAccuracy)]
    [TestCase(TaskMetric.LogLoss)]
    [TestCase(TaskMetric.RootMeanSquaredError)]
    [TestCase(TaskMetric.RSquared)]
    public void UnitWeightsReproduceMLNetsEvaluator(TaskMetric metric)
    {
        PruningTask task = TaskMetrics.TaskOf(metric);
        int classCount = task == PruningTask.MulticlassClassification ? 4 : 1;
        (float[] outputs, float[] targets) = Synthetic(task, classCount, seed: 3);
        double expected = MetricEvaluator.Evaluate(task, metric, outputs, targets, classCount);
        double actual = RowOutcomes.Create(task, outputs, targets, classCount).Metric(metric, Enumerable.Repeat(1, Rows).ToArray());
        Assert.That(actual, Is.EqualTo(expected).Within(1e-5), $"{metric}: ours {actual}, ML.NET {expected}");
    }

    [Test]
    public void DoubledRowsWeighTwice()
    {
        // Accuracy over rows {right, wrong, wrong} with the right row counted three times: 3 of 5.
        var outcomes = RowOutcomes.Create(PruningTask.BinaryClassification, new float[] { 2, 2, -2 }, new float[] { 1, 0, 1 }, 1);
        Assert.That(outcomes.Metric(TaskMetric.Accuracy, new[] { 3, 1, 1 }), Is.EqualTo(0.6).Within(1e-12));
        Assert.That(outcomes.Metric(TaskMetric.Accuracy, new[] { 0, 1, 1 }), Is.EqualTo(0.0), "a row drawn zero times does not count");
    }

    [Test]
    public void WrongNumberOfWeightsNamesBothCounts()
    {
        var outcomes = RowOutcomes.Create(PruningTask.Regression, new float[] { 1, 2 }, new float[] { 1, 2 }, 1);
        var error = Assert.Throws<ArgumentException>(() => outcomes.Metric(TaskMetric.RootMeanSquaredError, new[] { 1 }))!;
        Assert.That(error.Message, Does.Contain("2").And.Contain("1"));
    }
}
