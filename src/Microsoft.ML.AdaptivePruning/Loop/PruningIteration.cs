using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One iteration of the adaptive loop, as it happened. Also what <see cref="IProgress{T}"/> receives.</summary>
public sealed class PruningIteration
{
    /// <summary>1-based iteration number (0 is the dense baseline).</summary>
    public int Iteration { get; set; }

    /// <summary>The sparsity this step aimed at (fraction of the dense network's weights, or hidden units for Neuron granularity).</summary>
    public double TargetSparsity { get; set; }

    /// <summary>Fraction of the dense network's weights that are zero or removed after the step.</summary>
    public double Sparsity { get; set; }

    /// <summary>Nonzero parameters after the step.</summary>
    public long NonzeroParameters { get; set; }

    /// <summary>Parameters of the current shapes after the step.</summary>
    public long Parameters { get; set; }

    /// <summary>Validation metric after fine-tuning.</summary>
    public double Metric { get; set; }

    /// <summary>
    /// Standard error of the drop from the dense baseline, paired over the validation rows; measured only when
    /// <see cref="AdaptivePruneOptions.UncertaintyMargin"/> is above 0, otherwise 0.
    /// </summary>
    public double DropStandardError { get; set; }

    /// <summary>The step size used (fraction of the remaining weights removed).</summary>
    public double Step { get; set; }

    /// <summary>
    /// True for the dense baseline and every accepted step: the networks the loop may return. Read this rather than
    /// <see cref="Decision"/>, whose text says more ("accept after recovery (drop was …)").
    /// </summary>
    public bool Accepted { get; set; }

    /// <summary>"baseline", "accept", "accept after recovery (…)", "rollback (…)" or "failed: …".</summary>
    public string Decision { get; set; } = "";

    /// <summary>Seconds since the loop started.</summary>
    public double ElapsedSeconds { get; set; }

    /// <summary>
    /// An upper estimate of the seconds the loop has left: the mean time per iteration so far times the iterations
    /// MaxIterations still allows, and never more than what is left of TimeBudget. The adaptive schedule usually stops
    /// sooner on its own. Null for the baseline (no iteration timed yet).
    /// </summary>
    public double? EstimatedRemainingSeconds { get; set; }

    /// <summary>A log line, ending with the time so far and the estimate of what remains.</summary>
    public override string ToString() =>
        $"iteration {Iteration}: target {TargetSparsity:P2}, sparsity {Sparsity:P2}, {NonzeroParameters:N0} nonzero parameters, metric {Metric:0.#####}, step {Step:0.###}, {Decision} [{ElapsedSeconds:0.0} s elapsed{(EstimatedRemainingSeconds is double left ? $", at most ~{left:0} s left" : "")}]";
}
