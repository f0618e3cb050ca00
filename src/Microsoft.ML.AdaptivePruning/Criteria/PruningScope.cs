namespace Microsoft.ML.AdaptivePruning;

/// <summary>How a pruning target is shared among layers.</summary>
public enum PruningScope
{
    /// <summary>One ranking across all layers, so redundant layers lose more than sensitive ones.</summary>
    Global,

    /// <summary>Every layer is pruned to (as nearly as possible) the same fraction.</summary>
    PerLayer,
}
