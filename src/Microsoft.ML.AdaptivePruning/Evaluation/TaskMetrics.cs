using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Which metrics fit which task, their direction, and the defaults.</summary>
public static class TaskMetrics
{
    /// <summary>The metric used when none is chosen: AUC, micro accuracy or R².</summary>
    public static TaskMetric Default(PruningTask task) => task switch
    {
        PruningTask.BinaryClassification => TaskMetric.Auc,
        PruningTask.MulticlassClassification => TaskMetric.MicroAccuracy,
        PruningTask.Regression => TaskMetric.RSquared,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task."),
    };

    /// <summary>The task a metric belongs to.</summary>
    public static PruningTask TaskOf(TaskMetric metric) => metric switch
    {
        TaskMetric.Auc or TaskMetric.Accuracy or TaskMetric.F1Score => PruningTask.BinaryClassification,
        TaskMetric.MacroAccuracy or TaskMetric.MicroAccuracy or TaskMetric.LogLoss => PruningTask.MulticlassClassification,
        TaskMetric.Rmse or TaskMetric.RSquared => PruningTask.Regression,
        _ => throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric."),
    };

    /// <summary>True when a larger value is better.</summary>
    public static bool HigherIsBetter(TaskMetric metric) => metric is not (TaskMetric.LogLoss or TaskMetric.Rmse);

    /// <summary>How much worse <paramref name="candidate"/> is than <paramref name="reference"/>, in the metric's units (negative = better).</summary>
    public static double Drop(TaskMetric metric, double reference, double candidate) =>
        HigherIsBetter(metric) ? reference - candidate : candidate - reference;

    /// <summary>The chosen metric, or the task's default; throws naming <paramref name="optionName"/> when it does not fit the task.</summary>
    public static TaskMetric Resolve(PruningTask task, TaskMetric? metric, string optionName = "Metric")
    {
        if (metric is null) return Default(task);
        if (TaskOf(metric.Value) != task)
            throw new ArgumentOutOfRangeException(optionName, metric.Value, $"{optionName} {metric.Value} is a {TaskOf(metric.Value)} metric and does not fit a {task} task.");
        return metric.Value;
    }
}
