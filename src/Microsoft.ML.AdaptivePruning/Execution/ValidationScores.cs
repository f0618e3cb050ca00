namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A network's raw outputs and the targets on a set of rows, from one forward pass. Every metric and the per-row
/// outcomes the uncertainty margin needs are computed from it, so a decision never scores the same rows twice.
/// </summary>
/// <param name="Task">The task the outputs belong to.</param>
/// <param name="Outputs">Raw outputs row-major: one logit, K logits, or one value (raw units) per row.</param>
/// <param name="Targets">0/1, class index, or value per row.</param>
/// <param name="ClassCount">Number of classes (multiclass only).</param>
internal sealed record ValidationScores(PruningTask Task, float[] Outputs, float[] Targets, int ClassCount)
{
    /// <summary>The metric, through ML.NET's evaluator for the task.</summary>
    public double Metric(TaskMetric metric) => MetricEvaluator.Evaluate(Task, metric, Outputs, Targets, ClassCount);

    /// <summary>What the network did on each row, for the paired bootstrap.</summary>
    public RowOutcomes Outcomes() => RowOutcomes.Create(Task, Outputs, Targets, ClassCount);
}
