using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Which metrics fit which task, their direction, their names, and the defaults.</summary>
public static class TaskMetrics
{
    /// <summary>Every name a metric can be read from (current and obsolete), case-insensitively.</summary>
    private static readonly Dictionary<string, TaskMetric> ByName =
        Enum.GetNames<TaskMetric>().ToDictionary(n => n, Enum.Parse<TaskMetric>, StringComparer.OrdinalIgnoreCase);

    /// <summary>The metric used when none is chosen: AUC, micro accuracy or R².</summary>
    public static TaskMetric Default(PruningTask task) => TaskStrategy.For(task).DefaultMetric;

    /// <summary>The task a metric belongs to.</summary>
    public static PruningTask TaskOf(TaskMetric metric) => TaskStrategy.Of(metric).Task;

    /// <summary>True when a larger value is better.</summary>
    public static bool HigherIsBetter(TaskMetric metric) => metric is not (TaskMetric.LogLoss or TaskMetric.RootMeanSquaredError);

    /// <summary>How much worse <paramref name="candidate"/> is than <paramref name="reference"/>, in the metric's units (negative = better).</summary>
    public static double Drop(TaskMetric metric, double reference, double candidate) =>
        HigherIsBetter(metric) ? reference - candidate : candidate - reference;

    /// <summary>The chosen metric, or the task's default; throws naming <paramref name="optionName"/> when it does not fit the task.</summary>
    public static TaskMetric Resolve(PruningTask task, TaskMetric? metric, string optionName = "Metric")
    {
        if (metric is null) return Default(task);
        if (TaskOf(metric.Value) != task)
            throw new ArgumentOutOfRangeException(optionName, metric.Value, $"{optionName} {Name(metric.Value)} is a {TaskOf(metric.Value)} metric and does not fit a {task} task.");
        return metric.Value;
    }

    /// <summary>The name a metric is printed with: the ML.NET metrics property it reports, e.g. "AreaUnderRocCurve".</summary>
    /// <remarks>
    /// Use this rather than <c>ToString()</c>: an obsolete alias shares its value with the current name, and
    /// <c>Enum.ToString</c> does not promise which of the two it returns. A value outside the enum prints as its number.
    /// </remarks>
    public static string Name(TaskMetric metric) => metric switch
    {
        TaskMetric.AreaUnderRocCurve => nameof(TaskMetric.AreaUnderRocCurve),
        TaskMetric.Accuracy => nameof(TaskMetric.Accuracy),
        TaskMetric.F1Score => nameof(TaskMetric.F1Score),
        TaskMetric.MacroAccuracy => nameof(TaskMetric.MacroAccuracy),
        TaskMetric.MicroAccuracy => nameof(TaskMetric.MicroAccuracy),
        TaskMetric.LogLoss => nameof(TaskMetric.LogLoss),
        TaskMetric.RootMeanSquaredError => nameof(TaskMetric.RootMeanSquaredError),
        TaskMetric.RSquared => nameof(TaskMetric.RSquared),
        _ => ((int)metric).ToString(CultureInfo.InvariantCulture),
    };

    /// <summary>Every metric once, in the order of the enum; unlike <c>Enum.GetValues</c>, aliases are not listed twice.</summary>
    public static IReadOnlyList<TaskMetric> All { get; } = Enum.GetValues<TaskMetric>().Distinct().ToArray();

    /// <summary>Reads a metric from its name, current or obsolete ("AreaUnderRocCurve" or "Auc"), ignoring case.</summary>
    /// <remarks>Numbers and comma-separated lists, which <c>Enum.TryParse</c> would accept, are refused.</remarks>
    public static bool TryParse(string? name, out TaskMetric metric)
    {
        metric = default;
        return name is not null && ByName.TryGetValue(name.Trim(), out metric);
    }
}
