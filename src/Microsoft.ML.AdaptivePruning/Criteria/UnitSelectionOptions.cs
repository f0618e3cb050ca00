namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options for <see cref="UnitSelector"/>: how many hidden units to remove and where.</summary>
public sealed class UnitSelectionOptions
{
    /// <summary>How the target is shared among hidden layers. Default <see cref="PruningScope.Global"/>.</summary>
    public PruningScope Scope { get; set; } = PruningScope.Global;

    /// <summary>
    /// Fraction of hidden units to remove, in [0, 1): of all hidden units under <see cref="PruningScope.Global"/>,
    /// of each hidden layer under <see cref="PruningScope.PerLayer"/> (where a value that would remove every unit
    /// of a layer is an error). Default 0.5. Output units are never removed.
    /// </summary>
    public double Sparsity { get; set; } = 0.5;

    /// <summary>Each hidden layer keeps at least this fraction of its units, in [0, 1]. Default 0.01.</summary>
    public double MinKeptFraction { get; set; } = 0.01;

    /// <summary>Each hidden layer keeps at least this many units; at least 1. Default 1.</summary>
    public int MinKeptUnitsPerLayer { get; set; } = 1;

    /// <summary>Throws <see cref="System.ArgumentOutOfRangeException"/> naming the first bad option.</summary>
    internal void Validate()
    {
        SelectionRules.CheckScope(Scope, nameof(Scope));
        SelectionRules.CheckSparsity(Sparsity, nameof(Sparsity));
        SelectionRules.CheckFraction(MinKeptFraction, nameof(MinKeptFraction));
        SelectionRules.CheckMinimum(MinKeptUnitsPerLayer, nameof(MinKeptUnitsPerLayer));
    }
}
