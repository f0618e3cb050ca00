namespace Microsoft.ML.AdaptivePruning;

/// <summary>How <see cref="ManagedNetworkEngine"/> stores and multiplies each layer's weights.</summary>
/// <remarks>
/// <see cref="Automatic"/> is what scoring uses; the other two fix one layout for every layer, so a benchmark or a test
/// can set the engine's choice against each alternative.
/// </remarks>
public enum KernelLayout
{
    /// <summary>Per layer, the layout the measured cost model says is fastest for its density and shape.</summary>
    Automatic,

    /// <summary>Every layer as its full dense matrix, zeros included: what a dense scorer does.</summary>
    Dense,

    /// <summary>Every layer as compressed sparse columns over its nonzero weights only (inputs that are zero in a row are skipped).</summary>
    Sparse,
}
