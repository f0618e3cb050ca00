namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options for <see cref="MaskSelector"/>: how many weights to prune and where.</summary>
public sealed class MaskSelectionOptions
{
    /// <summary>How the target is shared among layers. Default <see cref="PruningScope.Global"/>.</summary>
    public PruningScope Scope { get; set; } = PruningScope.Global;

    /// <summary>
    /// Target fraction of ALL the network's weights that is pruned afterwards, in [0, 1); already-pruned weights
    /// count towards it and stay pruned. Default 0.5. Ignored when <see cref="ScoreThreshold"/> is set.
    /// </summary>
    public double Sparsity { get; set; } = 0.5;

    /// <summary>
    /// When set, prune instead every weight whose score (divided by its layer's mean when the criterion needs
    /// layer normalisation) is below this value, floors permitting; <see cref="Scope"/> then plays no part. Default null.
    /// </summary>
    public double? ScoreThreshold { get; set; }

    /// <summary>Each prunable layer keeps at least this fraction of its weights, in [0, 1]. Default 0.01.</summary>
    public double MinKeptFraction { get; set; } = 0.01;

    /// <summary>Each prunable layer keeps at least this many weights; at least 1, so no layer is ever emptied. Default 1.</summary>
    public int MinKeptWeightsPerLayer { get; set; } = 1;

    /// <summary>
    /// Whether the output layer's weights may be pruned (as in Han et al.; the floors still apply). When false its
    /// mask is left as it is and the hidden layers prune more so the network-wide target is still met. Default true.
    /// </summary>
    public bool PruneOutputLayer { get; set; } = true;

    /// <summary>Throws <see cref="System.ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    internal void Validate()
    {
        SelectionRules.CheckScope(Scope, nameof(Scope));
        SelectionRules.CheckSparsity(Sparsity, nameof(Sparsity));
        if (ScoreThreshold is double threshold && double.IsNaN(threshold))
            throw new System.ArgumentOutOfRangeException(nameof(ScoreThreshold), threshold, $"{nameof(ScoreThreshold)} must be a number; got NaN.");
        SelectionRules.CheckFraction(MinKeptFraction, nameof(MinKeptFraction));
        SelectionRules.CheckMinimum(MinKeptWeightsPerLayer, nameof(MinKeptWeightsPerLayer));
    }
}
