namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options for <see cref="UnitSelector"/>: how many hidden units to remove and where.</summary>
/// <remarks>Every default is in <see cref="AdaptivePruningDefaults"/>.</remarks>
public sealed class UnitSelectionOptions
{
    /// <summary>How the target is shared among hidden layers. Default <see cref="AdaptivePruningDefaults.Scope"/>.</summary>
    public PruningScope Scope { get; set; } = AdaptivePruningDefaults.Scope;

    /// <summary>
    /// Fraction of hidden units to remove, in [0, 1): of all hidden units under <see cref="PruningScope.Global"/>,
    /// of each hidden layer under <see cref="PruningScope.PerLayer"/> (where a value that would remove every unit
    /// of a layer is an error). Default <see cref="AdaptivePruningDefaults.Sparsity"/>. Output units are never removed.
    /// </summary>
    public double Sparsity { get; set; } = AdaptivePruningDefaults.Sparsity;

    /// <summary>Each hidden layer keeps at least this fraction of its units, in [0, 1]. Default <see cref="AdaptivePruningDefaults.MinKeptFraction"/>.</summary>
    public double MinKeptFraction { get; set; } = AdaptivePruningDefaults.MinKeptFraction;

    /// <summary>Each hidden layer keeps at least this many units; at least 1. Default <see cref="AdaptivePruningDefaults.MinKeptPerLayer"/>.</summary>
    public int MinKeptUnitsPerLayer { get; set; } = AdaptivePruningDefaults.MinKeptPerLayer;

    /// <summary>Throws <see cref="System.ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    internal void Validate()
    {
        OptionChecks.Defined(Scope, nameof(Scope));
        OptionChecks.HalfOpenFraction(Sparsity, nameof(Sparsity));
        OptionChecks.Fraction(MinKeptFraction, nameof(MinKeptFraction));
        OptionChecks.AtLeast(MinKeptUnitsPerLayer, 1, nameof(MinKeptUnitsPerLayer), "so that no layer is ever emptied");
    }
}
