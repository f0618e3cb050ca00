namespace Microsoft.ML.AdaptivePruning;

/// <summary>The built-in importance criteria; a higher score means more important, so the lowest scores are pruned first.</summary>
public enum PruningCriterion
{
    /// <summary>Weight magnitude |w| (Han et al., 2015). Needs no gradients.</summary>
    Magnitude,

    /// <summary>Mean absolute gradient |dL/dw| collected during training.</summary>
    Gradient,

    /// <summary>First-order Taylor estimate of the loss change |w · mean(dL/dw)| (Molchanov et al.).</summary>
    Taylor,

    /// <summary>Uniform random scores: the baseline every other criterion should beat.</summary>
    Random,
}
