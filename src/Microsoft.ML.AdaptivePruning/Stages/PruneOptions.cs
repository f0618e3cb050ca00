namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of <see cref="PruneEstimator"/>: what to remove, by which criterion, where and how much.</summary>
/// <remarks>
/// The columns and batch size (from <see cref="ColumnOptionsBase"/>) are read only when the criterion needs gradients;
/// every default is in <see cref="AdaptivePruningDefaults"/>.
/// </remarks>
public sealed class PruneOptions : ColumnOptionsBase
{
    /// <summary>The built-in criterion. Default <see cref="AdaptivePruningDefaults.Criterion"/>.</summary>
    public PruningCriterion Criterion { get; set; } = AdaptivePruningDefaults.Criterion;

    /// <summary>A user-supplied criterion; when set it replaces <see cref="Criterion"/>.</summary>
    public IPruningCriterion? CustomCriterion { get; set; }

    /// <summary>Single weights (masks) or whole hidden units (a physically smaller network). Default <see cref="AdaptivePruningDefaults.Granularity"/>.</summary>
    public PruningGranularity Granularity { get; set; } = AdaptivePruningDefaults.Granularity;

    /// <summary>One ranking across layers, or one per layer. Default <see cref="AdaptivePruningDefaults.Scope"/>.</summary>
    public PruningScope Scope { get; set; } = AdaptivePruningDefaults.Scope;

    /// <summary>
    /// Target fraction in [0, 1): of all weights for <see cref="PruningGranularity.Weight"/> (weights already pruned count),
    /// of hidden units for <see cref="PruningGranularity.Neuron"/>. Default <see cref="AdaptivePruningDefaults.Sparsity"/>.
    /// </summary>
    public double Sparsity { get; set; } = AdaptivePruningDefaults.Sparsity;

    /// <summary>Instead of a sparsity, prune every weight whose criterion score is below this value (Weight granularity only).</summary>
    public double? Threshold { get; set; }

    /// <summary>Each layer keeps at least this fraction of its weights or units, so no layer is ever emptied. Default <see cref="AdaptivePruningDefaults.MinKeptFraction"/>.</summary>
    public double MinKeptFraction { get; set; } = AdaptivePruningDefaults.MinKeptFraction;

    /// <summary>Training batches over which gradient-based criteria accumulate |dL/dw|. Default <see cref="AdaptivePruningDefaults.GradientBatches"/>.</summary>
    public int GradientBatches { get; set; } = AdaptivePruningDefaults.GradientBatches;

    /// <summary>The TorchSharp device gradient-based criteria compute their gradients on. Default <see cref="AdaptivePruningDefaults.Device"/>.</summary>
    /// <remarks>Magnitude and random criteria read the weights only, so they ignore it.</remarks>
    public string Device { get; set; } = AdaptivePruningDefaults.Device;

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public override void Validate()
    {
        OptionChecks.Defined(Criterion, nameof(Criterion));
        OptionChecks.Defined(Granularity, nameof(Granularity));
        OptionChecks.Defined(Scope, nameof(Scope));
        OptionChecks.HalfOpenFraction(Sparsity, nameof(Sparsity));
        OptionChecks.Finite(Threshold, nameof(Threshold));
        if (Threshold is not null && Granularity == PruningGranularity.Neuron)
            throw new System.ArgumentException($"Threshold applies to Weight granularity only; use Sparsity for Neuron granularity (got {OptionChecks.Show(Threshold)}).", nameof(Threshold));
        OptionChecks.Fraction(MinKeptFraction, nameof(MinKeptFraction));
        OptionChecks.Positive(GradientBatches, nameof(GradientBatches));
        TorchDevices.Parse(Device);
        ValidateColumns();
    }

    internal PruneOptions Clone() => (PruneOptions)MemberwiseClone();
}
