namespace Microsoft.ML.AdaptivePruning;

/// <summary>The constraint by which a sweep chooses the model it returns. Every rule picks a trial of the Pareto front.</summary>
public enum SweepSelectionRule
{
    /// <summary>The best validation metric; among equals, the fewest nonzero parameters.</summary>
    BestMetric,

    /// <summary>
    /// The fewest nonzero parameters among trials whose validation metric is at least as good as
    /// <see cref="SweepSelection.MetricTarget"/> (at least it for higher-is-better metrics, at most it for lower-is-better).
    /// </summary>
    SmallestMeetingMetric,

    /// <summary>The best validation metric among trials with at most <see cref="SweepSelection.MaxParameters"/> nonzero parameters.</summary>
    BestMetricWithinParameters,

    /// <summary>
    /// The fewest nonzero parameters among trials whose validation metric is within <see cref="SweepSelection.MaxDropFromBest"/>
    /// of the best trial's. The default.
    /// </summary>
    SmallestWithinDropOfBest,
}
