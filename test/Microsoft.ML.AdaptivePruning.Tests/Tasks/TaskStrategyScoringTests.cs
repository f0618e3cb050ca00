using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Tasks;

/// <summary>
/// Each task's post-processing, run on what the ONNX step would hand it, produces ML.NET's standard columns, and the
/// task's evaluator on raw outputs gives exactly what ML.NET's evaluator gives on those columns.
/// </summary>
[TestFixture]
public class TaskStrategyScoringTests
{
    private static readonly float[] Logits = { 2.5f, -0.5f, 0.25f, -3f, 1f, -1.5f, 0.75f };
    private static readonly bool[] Labels = { true, false, false, false, true, true, true };

    [Test]
    public void BinaryPostProcessingGivesScoreProbabilityAndPredictedLabelAndTheSameMetrics()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = ml.Data.LoadFromEnumerable(Logits.Select((l, r) => new RawRow { RawScore = new[] { l }, Label = Labels[r] }));
        IDataView scored = PostProcess(ml, PruningTask.BinaryClassification, raw, labelColumnName: null, outputSize: 1);

        Assert.That(scored.Schema.GetColumnOrNull(ScoringNames.RawScore), Is.Null, "the temporary ONNX column is dropped");
        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.Schema["Probability"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.Schema["PredictedLabel"].Type, Is.EqualTo(BooleanDataViewType.Instance));
        float[] probabilities = scored.GetColumn<float>("Probability").ToArray();
        Assert.That(probabilities, Is.EqualTo(Logits.Select(l => 1 / (1 + Math.Exp(-l)))).Within(1e-6));
        Assert.That(scored.GetColumn<bool>("PredictedLabel"), Is.EqualTo(Logits.Select(l => l > 0)));

        CalibratedBinaryClassificationMetrics expected = ml.BinaryClassification.Evaluate(scored);
        float[] targets = Labels.Select(b => b ? 1f : 0f).ToArray();
        AssertMetrics(PruningTask.BinaryClassification, scored, Logits, targets, 1, new Dictionary<TaskMetric, double>
        {
            [TaskMetric.AreaUnderRocCurve] = expected.AreaUnderRocCurve,
            [TaskMetric.Accuracy] = expected.Accuracy,
            [TaskMetric.F1Score] = expected.F1Score,
        });
        Assert.That(expected.Accuracy, Is.EqualTo(5.0 / 7).Within(1e-9), "rows 0, 1, 3, 4 and 6 have the sign of their label");
    }

    [Test]
    public void RegressionPostProcessingGivesAScalarScoreAndTheSameMetrics()
    {
        var ml = new MLContext(seed: 2);
        float[] values = { 1.5f, -0.5f, 0.5f, -2f, 1f, 0f, 2f };
        IDataView raw = ml.Data.LoadFromEnumerable(Logits.Select((l, r) => new RegressionRawRow { RawScore = new[] { l }, Label = values[r] }));
        IDataView scored = PostProcess(ml, PruningTask.Regression, raw, labelColumnName: null, outputSize: 1);

        Assert.That(scored.Schema.GetColumnOrNull(ScoringNames.RawScore), Is.Null);
        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.GetColumn<float>("Score"), Is.EqualTo(Logits));

        RegressionMetrics expected = ml.Regression.Evaluate(scored);
        AssertMetrics(PruningTask.Regression, scored, Logits, values, 1, new Dictionary<TaskMetric, double>
        {
            [TaskMetric.RootMeanSquaredError] = expected.RootMeanSquaredError,
            [TaskMetric.RSquared] = expected.RSquared,
        });
        double rmse = Math.Sqrt(Logits.Zip(values, (p, y) => (double)(p - y) * (p - y)).Average());
        Assert.That(expected.RootMeanSquaredError, Is.EqualTo(rmse).Within(1e-6));
    }

    [Test]
    public void MulticlassPostProcessingGivesAPredictedLabelKeyWithTheLabelsValuesAndTheSameMetrics()
    {
        var ml = new MLContext(seed: 3);
        string[] names = { "cat", "dog", "eel" };
        float[][] logits =
        {
            new[] { 2f, 0f, -1f }, new[] { 0f, 1f, 3f }, new[] { 1f, 1.5f, 1f }, new[] { -1f, 2f, 0f }, new[] { 0.5f, 0f, 0.25f },
        };
        int[] classes = { 0, 2, 0, 1, 2 };
        // The ONNX graph ends with the Softmax, so post-processing sees probabilities.
        IDataView raw = ml.Data.LoadFromEnumerable(
            logits.Select((l, r) => new MulticlassRawRow { Score = MulticlassClassificationTask.Softmax(l), Name = names[classes[r]] }),
            ScoreDefinition(3));
        IDataView keyed = ml.Transforms.Conversion.MapValueToKey("Label", nameof(MulticlassRawRow.Name), keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue)
            .Fit(raw).Transform(raw);
        IDataView scored = PostProcess(ml, PruningTask.MulticlassClassification, keyed, "Label", outputSize: 3);

        Assert.That(scored.Schema.GetColumnOrNull(ScoringNames.PredictedIndex), Is.Null, "the arg-max index is temporary");
        Assert.That(scored.Schema["PredictedLabel"].Type, Is.EqualTo(new KeyDataViewType(typeof(uint), 3)));
        uint[] predicted = scored.GetColumn<uint>("PredictedLabel").ToArray();
        Assert.That(predicted, Is.EqualTo(new uint[] { 1, 3, 2, 2, 1 }), "keys are the 1-based arg-max indices");
        string[] back = ml.Transforms.Conversion.MapKeyToValue("PredictedName", "PredictedLabel").Fit(scored).Transform(scored)
            .GetColumn<ReadOnlyMemory<char>>("PredictedName").Select(m => m.ToString()).ToArray();
        Assert.That(back, Is.EqualTo(new[] { "cat", "eel", "dog", "dog", "cat" }), "PredictedLabel converts back with the label's values");

        MulticlassClassificationMetrics expected = ml.MulticlassClassification.Evaluate(scored);
        AssertMetrics(PruningTask.MulticlassClassification, scored, logits.SelectMany(l => l).ToArray(), classes.Select(c => (float)c).ToArray(), 3,
            new Dictionary<TaskMetric, double>
            {
                [TaskMetric.MicroAccuracy] = expected.MicroAccuracy,
                [TaskMetric.MacroAccuracy] = expected.MacroAccuracy,
                [TaskMetric.LogLoss] = expected.LogLoss,
            });
        Assert.That(expected.MicroAccuracy, Is.EqualTo(3.0 / 5).Within(1e-9), "rows 0, 1 and 3 are right");
    }

    [TestCase(PruningTask.BinaryClassification, "AdaptivePruning.RawScore", false)]
    [TestCase(PruningTask.Regression, "AdaptivePruning.RawScore", false)]
    [TestCase(PruningTask.MulticlassClassification, "Score", true)]
    public void OnnxOutputAndFinalOperatorFollowTheTask(PruningTask task, string output, bool softmax)
    {
        Assert.That(TaskStrategy.For(task).OnnxOutputName, Is.EqualTo(output));
        Assert.That(OnnxModelWriter.OutputName(task), Is.EqualTo(output));
        Assert.That(TaskStrategy.For(task).OnnxSoftmax, Is.EqualTo(softmax));
    }

    [TestCase(PruningTask.BinaryClassification, new[] { "Score", "Probability", "PredictedLabel" })]
    [TestCase(PruningTask.MulticlassClassification, new[] { "Score", "PredictedLabel" })]
    [TestCase(PruningTask.Regression, new[] { "Score" })]
    public void ScoreShapeAddsExactlyTheColumnsPostProcessingProduces(PruningTask task, string[] columns)
    {
        var ml = new MLContext(seed: 4);
        var input = new SchemaShape(Array.Empty<SchemaShape.Column>());
        SchemaShape shape = TaskStrategy.For(task).ScoreShape(ml, input);
        Assert.That(shape.Select(c => c.Name), Is.EquivalentTo(columns));
        SchemaShape.Column score = shape.Single(c => c.Name == "Score");
        Assert.That(score.ItemType, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(score.Kind, Is.EqualTo(task == PruningTask.MulticlassClassification ? SchemaShape.Column.VectorKind.Vector : SchemaShape.Column.VectorKind.Scalar));
        if (task == PruningTask.MulticlassClassification) Assert.That(shape.Single(c => c.Name == "PredictedLabel").IsKey, Is.True);
    }

    private static IDataView PostProcess(MLContext ml, PruningTask task, IDataView raw, string? labelColumnName, int outputSize)
    {
        var spec = new NetworkSpec(task, 2, new[] { 3 }, outputSize);
        IDataView current = raw;
        foreach (IEstimator<ITransformer> step in TaskStrategy.For(task).PostProcessing(ml, spec, raw.Schema, labelColumnName))
            current = step.Fit(current).Transform(current);
        return current;
    }

    /// <summary>The task's evaluator on raw outputs, and on the scored view, equals ML.NET's evaluator on that view, metric by metric.</summary>
    private static void AssertMetrics(PruningTask task, IDataView scored, float[] outputs, float[] targets, int classCount, Dictionary<TaskMetric, double> expected)
    {
        TaskStrategy strategy = TaskStrategy.For(task);
        Assert.That(strategy.Metrics, Is.EquivalentTo(expected.Keys), "every metric of the task is checked");
        var ml = new MLContext(seed: 0);
        foreach ((TaskMetric metric, double value) in expected)
        {
            Assert.That(strategy.Evaluate(ml, metric, outputs, targets, classCount), Is.EqualTo(value).Within(1e-6), $"{metric} from raw outputs");
            Assert.That(strategy.EvaluateScored(ml, metric, scored, "Label"), Is.EqualTo(value), $"{metric} of the scored view");
        }
        foreach (TaskMetric other in TaskMetrics.All.Except(strategy.Metrics))
            Assert.Throws<ArgumentOutOfRangeException>(() => strategy.Evaluate(ml, other, outputs, targets, classCount), $"{other} is not a {task} metric");
    }

    private static SchemaDefinition ScoreDefinition(int classCount)
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(MulticlassRawRow));
        definition[nameof(MulticlassRawRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classCount);
        return definition;
    }

    private sealed class RawRow
    {
        [ColumnName(ScoringNames.RawScore), VectorType(1)]
        public float[] RawScore { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }

    private sealed class RegressionRawRow
    {
        [ColumnName(ScoringNames.RawScore), VectorType(1)]
        public float[] RawScore { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }

    private sealed class MulticlassRawRow
    {
        public float[] Score { get; set; } = Array.Empty<float>();

        public string Name { get; set; } = "";
    }
}
