using System;
using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Computes a task metric with ML.NET's own evaluators from raw network outputs, so the loop judges a model
/// by exactly the numbers <c>mlContext.*.Evaluate</c> would give the user.
/// </summary>
internal static class MetricEvaluator
{
    private static readonly MLContext Context = new(seed: 0);

    /// <param name="task">The task, which picks the evaluator.</param>
    /// <param name="metric">The metric to return; it must belong to the task.</param>
    /// <param name="outputs">Raw outputs row-major: one logit, K logits, or one value per row.</param>
    /// <param name="targets">0/1, class index, or value per row.</param>
    /// <param name="classCount">Number of classes (multiclass only).</param>
    public static double Evaluate(PruningTask task, TaskMetric metric, float[] outputs, float[] targets, int classCount)
    {
        if (targets.Length == 0) throw new InvalidOperationException("The validation data has no labelled rows to evaluate on.");
        lock (Context)
        {
            return task switch
            {
                PruningTask.BinaryClassification => Binary(metric, outputs, targets),
                PruningTask.MulticlassClassification => Multiclass(metric, outputs, targets, classCount),
                _ => Regression(metric, outputs, targets),
            };
        }
    }

    private static double Binary(TaskMetric metric, float[] outputs, float[] targets)
    {
        var rows = new List<BinaryRow>(targets.Length);
        for (int r = 0; r < targets.Length; r++)
        {
            float logit = outputs[r];
            rows.Add(new BinaryRow { Label = targets[r] > 0.5f, Score = logit, Probability = 1f / (1f + MathF.Exp(-logit)), PredictedLabel = logit > 0 });
        }
        return Pick(metric, Context.BinaryClassification.Evaluate(Context.Data.LoadFromEnumerable(rows)));
    }

    private static double Multiclass(TaskMetric metric, float[] outputs, float[] targets, int classCount)
    {
        var rows = new List<MulticlassRow>(targets.Length);
        for (int r = 0; r < targets.Length; r++)
        {
            float[] probabilities = Softmax(outputs.AsSpan(r * classCount, classCount));
            rows.Add(new MulticlassRow { Label = (uint)targets[r], Score = probabilities, PredictedLabel = (uint)ArgMax(probabilities) });
        }
        SchemaDefinition definition = SchemaDefinition.Create(typeof(MulticlassRow));
        // LoadFromEnumerable reads key-typed uint fields as 0-based indices (it stores index + 1).
        definition[nameof(MulticlassRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        definition[nameof(MulticlassRow.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        definition[nameof(MulticlassRow.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classCount);
        return Pick(metric, Context.MulticlassClassification.Evaluate(Context.Data.LoadFromEnumerable(rows, definition)));
    }

    private static double Regression(TaskMetric metric, float[] outputs, float[] targets)
    {
        var rows = new List<RegressionRow>(targets.Length);
        for (int r = 0; r < targets.Length; r++) rows.Add(new RegressionRow { Label = targets[r], Score = outputs[r] });
        return Pick(metric, Context.Regression.Evaluate(Context.Data.LoadFromEnumerable(rows)));
    }

    /// <summary>
    /// The metric of data already scored by a transformer of this library (its Score, Probability and PredictedLabel
    /// columns), through the task's evaluator, exactly as <c>mlContext.*.Evaluate(model.Transform(data))</c> gives it.
    /// </summary>
    public static double EvaluateScored(PruningTask task, TaskMetric metric, IDataView scored, string labelColumnName)
    {
        lock (Context)
        {
            return task switch
            {
                PruningTask.BinaryClassification => Pick(metric, Context.BinaryClassification.Evaluate(scored, labelColumnName)),
                PruningTask.MulticlassClassification => Pick(metric, Context.MulticlassClassification.Evaluate(scored, labelColumnName)),
                _ => Pick(metric, Context.Regression.Evaluate(scored, labelColumnName)),
            };
        }
    }

    private static double Pick(TaskMetric metric, CalibratedBinaryClassificationMetrics m) => metric switch
    {
        TaskMetric.Auc => m.AreaUnderRocCurve,
        TaskMetric.Accuracy => m.Accuracy,
        TaskMetric.F1Score => m.F1Score,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a binary metric."),
    };

    private static double Pick(TaskMetric metric, MulticlassClassificationMetrics m) => metric switch
    {
        TaskMetric.MacroAccuracy => m.MacroAccuracy,
        TaskMetric.MicroAccuracy => m.MicroAccuracy,
        TaskMetric.LogLoss => m.LogLoss,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a multiclass metric."),
    };

    private static double Pick(TaskMetric metric, RegressionMetrics m) => metric switch
    {
        TaskMetric.Rmse => m.RootMeanSquaredError,
        TaskMetric.RSquared => m.RSquared,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Not a regression metric."),
    };

    /// <summary>The first index of the largest value, as the scoring's PredictedLabel picks it.</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++) if (values[k] > values[best]) best = k;
        return best;
    }

    internal static float[] Softmax(ReadOnlySpan<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = MathF.Max(max, v);
        var result = new float[logits.Length];
        float sum = 0;
        for (int k = 0; k < logits.Length; k++) sum += result[k] = MathF.Exp(logits[k] - max);
        for (int k = 0; k < logits.Length; k++) result[k] /= sum;
        return result;
    }

    private sealed class BinaryRow
    {
        public bool Label { get; set; }
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassRow
    {
        public uint Label { get; set; }
        public float[] Score { get; set; } = Array.Empty<float>();
        public uint PredictedLabel { get; set; }
    }

    private sealed class RegressionRow
    {
        public float Label { get; set; }
        public float Score { get; set; }
    }
}
