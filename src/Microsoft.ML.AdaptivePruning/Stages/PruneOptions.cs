using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of <see cref="PruneEstimator"/>: what to remove, by which criterion, where and how much.</summary>
public sealed class PruneOptions
{
    /// <summary>The feature column (used when the criterion needs gradients).</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The label column (used when the criterion needs gradients).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>The built-in criterion. Default <see cref="PruningCriterion.Magnitude"/>.</summary>
    public PruningCriterion Criterion { get; set; } = PruningCriterion.Magnitude;

    /// <summary>A user-supplied criterion; when set it replaces <see cref="Criterion"/>.</summary>
    public IPruningCriterion? CustomCriterion { get; set; }

    /// <summary>Single weights (masks) or whole hidden units (a physically smaller network). Default <see cref="PruningGranularity.Weight"/>.</summary>
    public PruningGranularity Granularity { get; set; } = PruningGranularity.Weight;

    /// <summary>One ranking across layers, or one per layer. Default <see cref="PruningScope.Global"/>.</summary>
    public PruningScope Scope { get; set; } = PruningScope.Global;

    /// <summary>
    /// Target fraction in [0, 1): of all weights for <see cref="PruningGranularity.Weight"/> (weights already pruned count),
    /// of hidden units for <see cref="PruningGranularity.Neuron"/>. Default 0.5.
    /// </summary>
    public double Sparsity { get; set; } = 0.5;

    /// <summary>Instead of a sparsity, prune every weight whose criterion score is below this value (Weight granularity only).</summary>
    public double? Threshold { get; set; }

    /// <summary>Each layer keeps at least this fraction of its weights or units, so no layer is ever emptied. Default 0.01.</summary>
    public double MinKeptFraction { get; set; } = 0.01;

    /// <summary>Training batches over which gradient-based criteria accumulate |dL/dw|. Default 16.</summary>
    public int GradientBatches { get; set; } = 16;

    /// <summary>Rows per batch when gradients are measured. Default 128.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public void Validate()
    {
        if (!Enum.IsDefined(Criterion)) throw new ArgumentOutOfRangeException(nameof(Criterion), Criterion, "Unknown criterion.");
        if (!Enum.IsDefined(Granularity)) throw new ArgumentOutOfRangeException(nameof(Granularity), Granularity, "Unknown granularity.");
        if (!Enum.IsDefined(Scope)) throw new ArgumentOutOfRangeException(nameof(Scope), Scope, "Unknown scope.");
        if (!(Sparsity >= 0 && Sparsity < 1))
            throw new ArgumentOutOfRangeException(nameof(Sparsity), Sparsity, "Sparsity must be in [0, 1).");
        if (Threshold is double t && (double.IsNaN(t) || double.IsInfinity(t)))
            throw new ArgumentOutOfRangeException(nameof(Threshold), t, "Threshold must be a finite number.");
        if (Threshold is not null && Granularity == PruningGranularity.Neuron)
            throw new ArgumentException("Threshold applies to Weight granularity only; use Sparsity for Neuron granularity.", nameof(Threshold));
        if (!(MinKeptFraction >= 0 && MinKeptFraction <= 1))
            throw new ArgumentOutOfRangeException(nameof(MinKeptFraction), MinKeptFraction, "MinKeptFraction must be in [0, 1].");
        if (GradientBatches <= 0) throw new ArgumentOutOfRangeException(nameof(GradientBatches), GradientBatches, "GradientBatches must be positive.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
    }

    internal PruneOptions Clone() => (PruneOptions)MemberwiseClone();
}
