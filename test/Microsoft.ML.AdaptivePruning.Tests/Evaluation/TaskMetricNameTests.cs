using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Evaluation;

/// <summary>Metric names follow ML.NET's metrics classes; the earlier names still compile, parse and mean the same metric.</summary>
[TestFixture]
public class TaskMetricNameTests
{
    [Test]
    public void ObsoleteAliasesAreTheSameMetrics()
    {
#pragma warning disable CS0618 // The point of the test: code written against the earlier names keeps working.
        Assert.That(TaskMetric.Auc, Is.EqualTo(TaskMetric.AreaUnderRocCurve));
        Assert.That(TaskMetric.Rmse, Is.EqualTo(TaskMetric.RootMeanSquaredError));
        Assert.That((int)TaskMetric.Auc, Is.EqualTo(0), "the value a saved or serialized option holds is unchanged");
        Assert.That((int)TaskMetric.Rmse, Is.EqualTo(6));
        Assert.That(TaskMetrics.Name(TaskMetric.Auc), Is.EqualTo("AreaUnderRocCurve"));
        Assert.That(TaskMetrics.Name(TaskMetric.Rmse), Is.EqualTo("RootMeanSquaredError"));
        Assert.That(TaskMetrics.TaskOf(TaskMetric.Auc), Is.EqualTo(PruningTask.BinaryClassification));
        Assert.That(TaskMetrics.HigherIsBetter(TaskMetric.Rmse), Is.False);
        float[] logits = { -2, 1, -1, 2 };
        float[] targets = { 0, 0, 1, 1 };
        Assert.That(MetricEvaluator.Evaluate(PruningTask.BinaryClassification, TaskMetric.Auc, logits, targets, 1), Is.EqualTo(0.75).Within(1e-9));
        Assert.That(new AdaptivePruneOptions { Task = PruningTask.Regression, Metric = TaskMetric.Rmse }.Metric, Is.EqualTo(TaskMetric.RootMeanSquaredError));
#pragma warning restore CS0618
    }

    [Test]
    public void NamesAreMlNetsPropertyNamesWhateverEnumToStringReturns()
    {
        Assert.That(TaskMetrics.All.Select(TaskMetrics.Name), Is.EqualTo(new[]
        {
            nameof(Microsoft.ML.Data.CalibratedBinaryClassificationMetrics.AreaUnderRocCurve),
            nameof(Microsoft.ML.Data.CalibratedBinaryClassificationMetrics.Accuracy),
            nameof(Microsoft.ML.Data.CalibratedBinaryClassificationMetrics.F1Score),
            nameof(Microsoft.ML.Data.MulticlassClassificationMetrics.MacroAccuracy),
            nameof(Microsoft.ML.Data.MulticlassClassificationMetrics.MicroAccuracy),
            nameof(Microsoft.ML.Data.MulticlassClassificationMetrics.LogLoss),
            nameof(Microsoft.ML.Data.RegressionMetrics.RootMeanSquaredError),
            nameof(Microsoft.ML.Data.RegressionMetrics.RSquared),
        }), "one entry per metric, although Enum.GetValues lists the aliased values twice");
        Assert.That(Enum.GetValues<TaskMetric>(), Has.Length.EqualTo(10));
        Assert.That(TaskMetrics.Name((TaskMetric)99), Is.EqualTo("99"));
    }

    [TestCase("AreaUnderRocCurve", TaskMetric.AreaUnderRocCurve)]
    [TestCase("areaunderroccurve", TaskMetric.AreaUnderRocCurve)]
    [TestCase("Auc", TaskMetric.AreaUnderRocCurve)]
    [TestCase(" AUC ", TaskMetric.AreaUnderRocCurve)]
    [TestCase("RootMeanSquaredError", TaskMetric.RootMeanSquaredError)]
    [TestCase("rmse", TaskMetric.RootMeanSquaredError)]
    [TestCase("RSquared", TaskMetric.RSquared)]
    [TestCase("logloss", TaskMetric.LogLoss)]
    public void ParsingAcceptsCurrentAndEarlierNamesInAnyCase(string text, TaskMetric expected)
    {
        Assert.That(TaskMetrics.TryParse(text, out TaskMetric parsed), Is.True);
        Assert.That(parsed, Is.EqualTo(expected));
    }

    [TestCase("0")]
    [TestCase("6")]
    [TestCase("Auc, Accuracy")]
    [TestCase("")]
    [TestCase(null)]
    [TestCase("Precision")]
    public void ParsingRefusesNumbersListsAndUnknownNames(string? text)
    {
        Assert.That(TaskMetrics.TryParse(text, out _), Is.False);
    }

    [Test]
    public void MessagesAndDescriptionsUseTheNewNames()
    {
        var wrongTask = Assert.Throws<ArgumentOutOfRangeException>(() => TaskMetrics.Resolve(PruningTask.Regression, TaskMetric.AreaUnderRocCurve))!;
        Assert.That(wrongTask.Message, Does.StartWith("Metric AreaUnderRocCurve is a BinaryClassification metric and does not fit a Regression task."));
        Assert.That(SweepSelection.SmallestMeeting(40).Describe(TaskMetric.RootMeanSquaredError), Does.Contain("validation RootMeanSquaredError <= 40"));
        Assert.That(SweepSelection.BestMetric().Describe(TaskMetric.AreaUnderRocCurve), Is.EqualTo("best validation AreaUnderRocCurve"));
    }
}
