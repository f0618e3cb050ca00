using System;
using System.Collections.Generic;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A task whose ML.NET evaluator returns <typeparamref name="TMetrics"/>: raw outputs and already-scored data go
/// through the same evaluator and the same metric picking, so the loop's numbers are the user's numbers.
/// </summary>
internal abstract class TaskStrategy<TMetrics> : TaskStrategy
{
    /// <summary>The label column of the views <see cref="ScoredView"/> builds.</summary>
    protected const string LabelColumn = "Label";

    public sealed override double Evaluate(MLContext mlContext, TaskMetric metric, float[] outputs, float[] targets, int classCount) =>
        Pick(metric, Evaluator(mlContext, ScoredView(mlContext, outputs, targets, classCount), LabelColumn));

    public sealed override double EvaluateScored(MLContext mlContext, TaskMetric metric, IDataView scored, string labelColumnName) =>
        Pick(metric, Evaluator(mlContext, scored, labelColumnName));

    public sealed override IReadOnlyList<KeyValuePair<string, double>> EvaluateScoredReport(MLContext mlContext, IDataView scored, string labelColumnName) =>
        Report(Evaluator(mlContext, scored, labelColumnName));

    /// <summary>The figures of <paramref name="metrics"/> a report lists, by property name.</summary>
    protected abstract IReadOnlyList<KeyValuePair<string, double>> Report(TMetrics metrics);

    /// <summary>Raw outputs and targets as a view with <see cref="LabelColumn"/> and the task's standard scoring columns.</summary>
    protected abstract IDataView ScoredView(MLContext mlContext, float[] outputs, float[] targets, int classCount);

    /// <summary>ML.NET's evaluator for the task.</summary>
    protected abstract TMetrics Evaluator(MLContext mlContext, IDataView scored, string labelColumnName);

    /// <summary>The value of <paramref name="metric"/> among <paramref name="metrics"/>.</summary>
    protected abstract double Pick(TaskMetric metric, TMetrics metrics);

    /// <summary>The error for a metric of another task; <see cref="TaskMetrics.Resolve"/> refuses those earlier, with the option's name.</summary>
    protected ArgumentOutOfRangeException NotOurs(TaskMetric metric, string kind) =>
        new(nameof(metric), TaskMetrics.Name(metric), $"Not a {kind} metric.");
}
