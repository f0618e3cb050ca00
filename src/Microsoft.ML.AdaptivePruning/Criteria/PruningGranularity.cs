namespace Microsoft.ML.AdaptivePruning;

/// <summary>What one pruning decision removes.</summary>
public enum PruningGranularity
{
    /// <summary>Single weights (unstructured): shapes stay, weights are masked to zero.</summary>
    Weight,

    /// <summary>Whole hidden units (structured): the network becomes physically smaller and cheaper to run.</summary>
    Neuron,
}
