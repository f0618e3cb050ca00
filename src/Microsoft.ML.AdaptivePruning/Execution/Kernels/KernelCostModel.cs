namespace Microsoft.ML.AdaptivePruning;

/// <summary>Picks a layer's kernel layout from its density and shape, with crossovers measured on this code.</summary>
/// <remarks>
/// Both layouts first drop the units with no weight and the inputs no weight reads, so what is left to compare is the
/// density of the remaining block: a dense kernel costs its rows times its columns whatever the density, the sparse
/// kernel costs its nonzeros (plus a little per unit). Sparse wins below a density that is the ratio of the two
/// per-weight costs, and that ratio differs between one row (a vectorised dot per unit against one indexed load per
/// weight) and a block of rows (the dense kernel reuses each weight for four rows through the vector unit, the sparse
/// one only through the scalar unit).
///
/// How the constants were measured: <c>dotnet run -c Release --project examples/AdaptivePruning.Examples -- micro
/// --filter *SparseEngineBenchmarks* --job short</c> runs a 784-300-100-10 network with every layer forced dense
/// (<see cref="KernelLayout.Dense"/>), forced sparse (<see cref="KernelLayout.Sparse"/>) and chosen by this model,
/// at 0-99% sparsity and 1/64/256 rows. The crossovers sit below the lowest density at which forced-sparse beat
/// forced-dense in that run, so the engine picks sparse only where sparse measured faster: never slower than dense.
/// The README's Benchmarks section has the figures.
/// </remarks>
internal static class KernelCostModel
{
    /// <summary>One row: the sparse kernel is faster below this density of the compacted block.</summary>
    internal const double SingleRowSparseBelowDensity = 0.08;

    /// <summary>A block of rows: the sparse kernel is faster below this density of the compacted block.</summary>
    internal const double BlockSparseBelowDensity = 0.07;

    /// <summary>The layout a layer of this pattern runs fastest in: <see cref="KernelLayout.Dense"/> or <see cref="KernelLayout.Sparse"/>.</summary>
    public static KernelLayout Choose(SparsityPattern pattern, bool batched)
        => pattern.CompactedDensity < (batched ? BlockSparseBelowDensity : SingleRowSparseBelowDensity)
            ? KernelLayout.Sparse
            : KernelLayout.Dense;
}
