namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The rule every budgeted decision uses: the drop from the reference, plus a margin of standard errors of that drop
/// (how precisely the validation rows measure it), must stay within the budget.
/// </summary>
internal static class MetricBudget
{
    /// <summary>drop + margin x standard error; with a margin, an unmeasurable error (NaN) gives NaN, which no budget admits.</summary>
    public static double JudgedDrop(TaskMetric metric, double reference, double candidate, double margin, double standardError)
    {
        double measured = TaskMetrics.Drop(metric, reference, candidate);
        return margin > 0 ? measured + margin * standardError : measured;
    }

    /// <summary>Whether a judged drop is within <paramref name="maxMetricDrop"/> (NaN never is).</summary>
    public static bool Within(double judgedDrop, double maxMetricDrop) => judgedDrop <= maxMetricDrop;
}
