namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options for <see cref="MaskSelector"/>: how many weights to prune and where.</summary>
/// <remarks>Every default is in <see cref="AdaptivePruningDefaults"/>.</remarks>
public sealed class MaskSelectionOptions
{
    /// <summary>How the target is shared among layers. Default <see cref="AdaptivePruningDefaults.Scope"/>.</summary>
    public PruningScope Scope { get; set; } = AdaptivePruningDefaults.Scope;

    /// <summary>
    /// Target fraction of ALL the network's weights that is pruned afterwards, in [0, 1); already-pruned weights
    /// count towards it and stay pruned. Default <see cref="AdaptivePruningDefaults.Sparsity"/>. Ignored when <see cref="ScoreThreshold"/> is set.
    /// </summary>
    public double Sparsity { get; set; } = AdaptivePruningDefaults.Sparsity;

    /// <summary>
    /// When set, prune instead every weight whose score (divided by its layer's mean when the criterion needs
    /// layer normalisation) is below this value, floors permitting; <see cref="Scope"/> then plays no part. Default null.
    /// </summary>
    public double? ScoreThreshold { get; set; }

    /// <summary>Each prunable layer keeps at least this fraction of its weights, in [0, 1]. Default <see cref="AdaptivePruningDefaults.MinKeptFraction"/>.</summary>
    public double MinKeptFraction { get; set; } = AdaptivePruningDefaults.MinKeptFraction;

    /// <summary>Each prunable layer keeps at least this many weights; at least 1, so no layer is ever emptied. Default <see cref="AdaptivePruningDefaults.MinKeptPerLayer"/>.</summary>
    public int MinKeptWeightsPerLayer { get; set; } = AdaptivePruningDefaults.MinKeptPerLayer;

    /// <summary>
    /// Whether the output layer's weights may be pruned (as in Han et al.; the floors still apply). When false its
    /// mask is left as it is and the hidden layers prune more so the network-wide target is still met. Default <see cref="AdaptivePruningDefaults.PruneOutputLayer"/>.
    /// </summary>
    public bool PruneOutputLayer { get; set; } = AdaptivePruningDefaults.PruneOutputLayer;

    /// <summary>Throws <see cref="System.ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    internal void Validate()
    {
        OptionChecks.Defined(Scope, nameof(Scope));
        OptionChecks.HalfOpenFraction(Sparsity, nameof(Sparsity));
        OptionChecks.NotNaN(ScoreThreshold, nameof(ScoreThreshold));
        OptionChecks.Fraction(MinKeptFraction, nameof(MinKeptFraction));
        OptionChecks.AtLeast(MinKeptWeightsPerLayer, 1, nameof(MinKeptWeightsPerLayer), "so that no layer is ever emptied");
    }
}
