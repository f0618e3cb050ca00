using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Tasks;

/// <summary>What each task accepts as a label, how it reads targets, and how it describes one scored row.</summary>
[TestFixture]
public class TaskStrategyDataTests
{
    [Test]
    public void TheLookupGivesEachTaskItsOwnStrategyAndEveryMetricExactlyOneTask()
    {
        foreach (PruningTask task in Enum.GetValues<PruningTask>())
            Assert.That(TaskStrategy.For(task).Task, Is.EqualTo(task));
        Assert.That(TaskStrategy.All.Select(s => s.Task), Is.EqualTo(Enum.GetValues<PruningTask>()));
        foreach (TaskMetric metric in TaskMetrics.All)
        {
            Assert.That(TaskStrategy.All.Count(s => s.Metrics.Contains(metric)), Is.EqualTo(1), TaskMetrics.Name(metric));
            Assert.That(TaskStrategy.Of(metric).Metrics, Does.Contain(metric));
        }
        foreach (TaskStrategy strategy in TaskStrategy.All)
            Assert.That(strategy.Metrics, Does.Contain(strategy.DefaultMetric));
        var unknown = Assert.Throws<ArgumentOutOfRangeException>(() => TaskStrategy.For((PruningTask)42))!;
        Assert.That(unknown.ParamName, Is.EqualTo("task"));
    }

    [Test]
    public void EachTaskAcceptsOnlyItsLabelType()
    {
        var key = new KeyDataViewType(typeof(uint), 3);
        DataViewType[] types = { BooleanDataViewType.Instance, NumberDataViewType.Single, key, NumberDataViewType.Double, new KeyDataViewType(typeof(ulong), 3) };
        Assert.That(types.Select(TaskStrategy.For(PruningTask.BinaryClassification).AcceptsLabel), Is.EqualTo(new[] { true, false, false, false, false }));
        Assert.That(types.Select(TaskStrategy.For(PruningTask.Regression).AcceptsLabel), Is.EqualTo(new[] { false, true, false, false, false }));
        Assert.That(types.Select(TaskStrategy.For(PruningTask.MulticlassClassification).AcceptsLabel), Is.EqualTo(new[] { false, false, true, false, false }));
    }

    [Test]
    public void OutputWidthIsTheClassCountOnlyForMulticlass()
    {
        TaskStrategy multiclass = TaskStrategy.For(PruningTask.MulticlassClassification);
        Assert.That(multiclass.ClassCount(new KeyDataViewType(typeof(uint), 4), "Label"), Is.EqualTo(4));
        Assert.That(multiclass.OutputSize(4), Is.EqualTo(4));
        Assert.That(multiclass.AllowsOutputSize(7), Is.True);
        var oneClass = Assert.Throws<ArgumentOutOfRangeException>(() => multiclass.ClassCount(new KeyDataViewType(typeof(uint), 1), "Digit"))!;
        Assert.That(oneClass.Message, Does.StartWith("Label column 'Digit' has 1 class(es); multiclass classification needs at least 2."));
        foreach (PruningTask task in new[] { PruningTask.BinaryClassification, PruningTask.Regression })
        {
            Assert.That(TaskStrategy.For(task).OutputSize(4), Is.EqualTo(1));
            Assert.That(TaskStrategy.For(task).AllowsOutputSize(1), Is.True);
            Assert.That(TaskStrategy.For(task).AllowsOutputSize(2), Is.False);
        }
    }

    [Test]
    public void TargetsAreReadAsTheLossNeedsThemWithMissingLabelsAsNaN()
    {
        var ml = new MLContext(seed: 5);
        IDataView data = ml.Data.LoadFromEnumerable(new[]
        {
            new LabelRow { Flag = true, Value = 2.5f, Class = 3 },
            new LabelRow { Flag = false, Value = float.NaN, Class = 0 },
            new LabelRow { Flag = true, Value = float.PositiveInfinity, Class = 1 },
        }, KeyDefinition());
        Assert.That(Targets(data, PruningTask.BinaryClassification, nameof(LabelRow.Flag)), Is.EqualTo(new[] { 1f, 0f, 1f }));
        Assert.That(Targets(data, PruningTask.Regression, nameof(LabelRow.Value)), Is.EqualTo(new[] { 2.5f, float.NaN, float.NaN }), "a non-finite label is missing");
        // LoadFromEnumerable stores a key field as index + 1, so the fields 3, 0, 1 are the keys 4, 1, 2: class indices 3, 0, 1.
        Assert.That(Targets(data, PruningTask.MulticlassClassification, nameof(LabelRow.Class)), Is.EqualTo(new[] { 3f, 0f, 1f }));
    }

    [Test]
    public void MissingKeyIsAMissingMulticlassTarget()
    {
        var ml = new MLContext(seed: 6);
        IDataView text = ml.Data.LoadFromEnumerable(new[] { new TextRow { Name = "a" }, new TextRow { Name = "b" }, new TextRow { Name = "zzz" } });
        // Keys learnt from "a" and "b" only: "zzz" maps to key 0, ML.NET's missing value.
        var keys = ml.Transforms.Conversion.MapValueToKey("Label", nameof(TextRow.Name)).Fit(ml.Data.TakeRows(text, 2));
        Assert.That(Targets(keys.Transform(text), PruningTask.MulticlassClassification, "Label"), Is.EqualTo(new[] { 0f, 1f, float.NaN }));
    }

    [Test]
    public void RowOutcomesDescribeWhatEachTasksMetricsCount()
    {
        TaskStrategy binary = TaskStrategy.For(PruningTask.BinaryClassification);
        Assert.That(binary.Outcome(new[] { -1f, 2f }, 1, 0, 1), Is.EqualTo(new RowOutcome(Correct: false, PredictedPositive: true, Loss: 0, Score: 2f)));
        Assert.That(binary.Outcome(new[] { -1f, 2f }, 0, 0, 1), Is.EqualTo(new RowOutcome(Correct: true, PredictedPositive: false, Loss: 0, Score: -1f)));

        RowOutcome multiclass = TaskStrategy.For(PruningTask.MulticlassClassification).Outcome(new[] { 9f, 9f, 9f, 0f, 1f, 0f }, 1, 2, 3);
        double p2 = Math.Exp(0) / (Math.Exp(0) + Math.Exp(1) + Math.Exp(0));
        Assert.That(multiclass.Correct, Is.False, "row 1 predicts class 1, its label is 2");
        Assert.That(multiclass.Loss, Is.EqualTo(-Math.Log(p2)).Within(1e-6));

        RowOutcome regression = TaskStrategy.For(PruningTask.Regression).Outcome(new[] { 0f, 3.5f }, 1, 1.5f, 1);
        Assert.That(regression, Is.EqualTo(new RowOutcome(Correct: false, PredictedPositive: false, Loss: 4, Score: 3.5f)));
    }

    [Test]
    public void OnlyRegressionScalesItsTargets()
    {
        var ml = new MLContext(seed: 7);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { 1f, 3f, 5f }.Select(v => new FeatureRow { Features = new[] { v }, Value = v, Flag = v > 2 }));
        TargetScaling regression = TaskStrategy.For(PruningTask.Regression).MeasureScaling(Stream(data, PruningTask.Regression, nameof(FeatureRow.Value)), 2);
        Assert.That(regression.Mean, Is.EqualTo(3f));
        Assert.That(regression.Std, Is.EqualTo((float)Math.Sqrt(8.0 / 3)).Within(1e-6));
        TargetScaling binary = TaskStrategy.For(PruningTask.BinaryClassification).MeasureScaling(Stream(data, PruningTask.BinaryClassification, nameof(FeatureRow.Flag)), 2);
        Assert.That(binary, Is.EqualTo(TargetScaling.Identity));

        // Identity leaves layers and targets untouched, so the training session applies the scaling whatever the task.
        var layer = new DenseLayer(1, 1, new[] { -0f }, new[] { -0f });
        TargetScaling.Identity.ToRaw(layer);
        Assert.That(float.IsNegative(layer.Bias[0]), Is.True, "-0 + 0 would have been +0");
        float[] targets = { 1, 0 };
        TargetScaling.Identity.Normalize(targets);
        Assert.That(targets, Is.EqualTo(new[] { 1f, 0f }));
        regression.Normalize(targets);
        Assert.That(targets, Is.EqualTo(new[] { (1 - 3) / regression.Std, -3 / regression.Std }));
    }

    private static BatchStream Stream(IDataView data, PruningTask task, string label) =>
        new(data, TrainingColumns.Check(data.Schema, task, nameof(FeatureRow.Features), label));

    private static float[] Targets(IDataView data, PruningTask task, string label)
    {
        DataViewSchema.Column column = data.Schema[label];
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { column });
        Func<float> read = TaskStrategy.For(task).TargetReader(cursor, column);
        var targets = new System.Collections.Generic.List<float>();
        while (cursor.MoveNext()) targets.Add(read());
        return targets.ToArray();
    }

    private static SchemaDefinition KeyDefinition()
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(LabelRow));
        definition[nameof(LabelRow.Class)].ColumnType = new KeyDataViewType(typeof(uint), 4);
        return definition;
    }

    private sealed class LabelRow
    {
        public bool Flag { get; set; }
        public float Value { get; set; }
        public uint Class { get; set; }
    }

    private sealed class TextRow
    {
        public string Name { get; set; } = "";
    }

    private sealed class FeatureRow
    {
        [VectorType(1)]
        public float[] Features { get; set; } = Array.Empty<float>();
        public float Value { get; set; }
        public bool Flag { get; set; }
    }
}
