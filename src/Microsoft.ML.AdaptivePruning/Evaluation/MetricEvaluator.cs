using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Computes a task metric with ML.NET's own evaluators from raw network outputs, so the loop judges a model
/// by exactly the numbers <c>mlContext.*.Evaluate</c> would give the user.
/// </summary>
/// <remarks>Each task's <see cref="TaskStrategy"/> builds the scored view and picks the metric; this class owns the one shared MLContext.</remarks>
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
        TaskStrategy strategy = TaskStrategy.For(task);
        lock (Context) return strategy.Evaluate(Context, metric, outputs, targets, classCount);
    }

    /// <summary>
    /// The metric of data already scored by a transformer of this library (its Score, Probability and PredictedLabel
    /// columns), through the task's evaluator, exactly as <c>mlContext.*.Evaluate(model.Transform(data))</c> gives it.
    /// </summary>
    public static double EvaluateScored(PruningTask task, TaskMetric metric, IDataView scored, string labelColumnName)
    {
        TaskStrategy strategy = TaskStrategy.For(task);
        lock (Context) return strategy.EvaluateScored(Context, metric, scored, labelColumnName);
    }
}
