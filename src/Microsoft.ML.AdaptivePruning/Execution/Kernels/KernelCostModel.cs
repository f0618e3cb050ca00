using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Picks a layer's kernel layout from its density and shape, with crossovers measured on this code.</summary>
/// <remarks>
/// Both layouts first drop the units with no weight and the inputs no weight reads, so what is left to compare is the
/// density of the remaining block: a dense kernel costs its rows times its columns whatever the density, the sparse
/// kernel costs its nonzeros (plus a little per input). Sparse wins below a density that is the ratio of the two
/// per-weight costs, and that ratio differs between one row (a vectorised dot per unit against one eight-wide gather,
/// multiply and add per eight kept weights, <see cref="SparseSlices{T}"/>) and a block of rows (both kernels then run
/// every weight through the vector unit: the dense one over eight rows per load, the sparse one over all 64 rows of a
/// feature-major block).
///
/// How the constants were measured: <c>dotnet run -c Release --project examples/AdaptivePruning.Examples -- micro
/// --filter *SparseEngineBenchmarks* --job short</c> runs a 784-300-100-10 network with every layer forced dense
/// (<see cref="KernelLayout.Dense"/>), forced sparse (<see cref="KernelLayout.Sparse"/>) and chosen by this model,
/// at 0-99% sparsity and 1/64/256 rows. The crossovers sit below the lowest density at which forced-sparse beat
/// forced-dense in that run, so the engine picks sparse only where sparse measured faster: never slower than dense.
/// In the run of the feature-major block kernel (2 December 2026) forced sparse tied with dense at 50% for blocks and
/// ran 3-4x faster at 90%; the block crossover sits at half the tie, a 2x margin for the run's noise. One row on the
/// slices (2 December 2026, 13:32 UTC, load 1.4, and 14:13 UTC, load 24-26) tied with dense at 90% sparsity (0.95x and
/// 1.09x of dense's time on inputs with no zeros) and took half dense's time at 95% (0.53x, 0.49x): the tie is at
/// about 10% density, so the single-row crossover stayed below it, at 8%, until the quiet run below. On this machine (AMD EPYC, Zen 3, no
/// AVX-512) an AVX2 gather of eight floats costs about 4 ns, so a kept weight cost about ten times a dense one. The
/// slices now load their eight inputs as scalars (2.6-3.0 ns a step, 2 December 2026, README's kernel section), and
/// forced sparse then ran 1.2-1.6x dense at 90% in loaded runs. The quiet run (2 December 2026, 21:06-21:07 UTC,
/// load 0.0-0.7, <c>micro --filter '*SparseEngineBenchmarks*(Sparsity: 0.9*, Batch: 1)' --job short</c>) confirmed it:
/// at 90% sparsity forced sparse took 9.0 µs against dense's 19.2 (0.47x), about 0.34 ns per kept weight against
/// 0.067 ns per dense weight, which puts the tie near 20% density. The single-row crossover is 12%: 90%-sparse
/// layers (compacted density about 10%) go sparse, with a 1.6x margin below the estimated tie.
///
/// The row walk's costs (<see cref="RowColumnsCostPerInput"/>, <see cref="RowColumnsCostPerWeight"/>) come from
/// <c>micro --filter *SparseRowWalkBenchmarks* --job short</c> (2 December 2026, 13:41 UTC, load 1.0-1.2): a 784x300
/// layer at 95/98/99% on rows with 0/50/80% zeros. Slices took 3.4-4.7 ns per step whatever the row held; the column
/// walk took about 1.5 ns per nonzero input plus 0.8 ns per weight read (10.3, 4.9 and 2.9 µs on rows without zeros
/// against 5.0, 2.5 and 1.4 µs on the slices; 2.3, 1.3 and 0.9 µs against 6.3, 2.3 and 1.5 µs on rows 80% zeros).
/// In slice steps of 4 ns: 0.4 per nonzero input, 0.2 per weight (kept when the steps became cheaper: the re-run at
/// load 25-32 was too noisy to re-fit them).
/// </remarks>
internal static class KernelCostModel
{
    /// <summary>
    /// FLOPs per row at or below which a network the layers would leave on ONNX Runtime (dense convolutions) scores
    /// faster in the engine's blocks, spread over two or more cores, than ONNX Runtime runs its graph one row per call.
    /// </summary>
    /// <remarks>
    /// ML.NET's ApplyOnnxModel runs the graph once per row, so ONNX Runtime pays its per-node cost (a dozen nodes for
    /// a LeNet) on every row, while the engine scores 64-row blocks on every core. That fixed cost dominates small
    /// networks and vanishes in large ones, where ONNX Runtime's convolution (MLAS, both cores) is faster per FLOP
    /// than the engine's im2col. Two runs of <c>conv-engine .data/mnist</c> (3 December 2026, 07:52 and 07:56-07:59 UTC
    /// with <c>--scaled</c>, 2 cores, under the CPU lock) measured the engine on 2 threads against ONNX Runtime on dense
    /// LeNet shapes: 1.20x, 1.20x, 1.24x, 1.50x and 2.29x at 0.40-0.53 MFLOPs per row; 0.96x at 0.85, 1.04x at 1.32,
    /// 0.75x at 1.88, 1.15x at 2.75 and 0.71-0.86x at 4.63 (the full LeNet-5). Below 0.6 MFLOPs the engine won every
    /// time. Once convolutions with few filters took the direct path (<see cref="ConvolutionKernel.TakesDirectPath"/>),
    /// two more runs of <c>conv-engine .data/mnist --scaled</c> (3 December 2026, 11:59 and 12:02 UTC) gave 1.91x and
    /// 1.28x at 0.85 MFLOPs, 1.81x and 1.20x at 1.32, 1.12x and 1.56x at 1.88, 0.99x and 0.85x at 2.75, 0.78x and
    /// 0.82x at 4.63. With the direct path's sums then kept in registers (about 2x per convolution), two more runs
    /// (12:30 and 12:32 UTC) gave 2.00x and 2.20x at 0.85 MFLOPs, 2.39x and 2.03x at 1.32, 1.37x and 1.75x at 1.88,
    /// 1.40x and 1.33x at 2.75, and 1.23x, 0.94x, 1.56x and 1.39x at 4.63 (the dense LeNet-5 appears twice per run).
    /// The engine now wins every measurement to 2.75 MFLOPs and all but one at 4.63, so the crossover sits at 3, above
    /// the last shape it always won and below the one it once lost; ONNX Runtime's rate moves by up to 1.7x between
    /// identical rows. On one core the engine only ties (0.98x at 0.53 MFLOPs, session 9), so the rule needs two.
    /// </remarks>
    internal const long SmallNetworkEngineBelowFlops = 3_000_000;

    /// <summary>Whether <paramref name="network"/> is small enough that the engine on this machine's cores outruns ONNX Runtime whatever its layers' kernels.</summary>
    internal static bool EngineOutrunsOnnxRuntime(NeuralNetwork network) =>
        Environment.ProcessorCount >= 2 && network.SparseFlopsPerRow <= SmallNetworkEngineBelowFlops;

    /// <summary>One row: the sparse kernel is faster below this density of the compacted block.</summary>
    internal const double SingleRowSparseBelowDensity = 0.12;

    /// <summary>A block of rows: the sparse kernel is faster below this density of the compacted block.</summary>
    internal const double BlockSparseBelowDensity = 0.25;

    /// <summary>One row of a sparse layer: the column walk's cost per nonzero input of the row, in steps of the slices (one eight-wide gather, multiply and add).</summary>
    internal const double RowColumnsCostPerInput = 0.4;

    /// <summary>One row of a sparse layer: the column walk's cost per kept weight it reads (a scalar load, multiply, add and store), in steps of the slices.</summary>
    internal const double RowColumnsCostPerWeight = 0.2;

    /// <summary>
    /// The count of nonzero inputs below which one row of a sparse layer runs faster on its columns than on its
    /// slices: the columns cost each nonzero input and the weights it reads (on average the layer's kept weights over
    /// its inputs), the slices cost <paramref name="sliceSteps"/> whatever the row holds.
    /// </summary>
    public static int RowColumnsBelowNonzeroInputs(int inputs, long nonzeros, int sliceSteps)
    {
        if (inputs == 0) return 0;
        double perInput = RowColumnsCostPerInput + RowColumnsCostPerWeight * nonzeros / inputs;
        return (int)Math.Min(inputs + 1L, (long)Math.Ceiling(sliceSteps / perInput));
    }

    /// <summary>The layout a layer of this pattern runs fastest in: <see cref="KernelLayout.Dense"/> or <see cref="KernelLayout.Sparse"/>.</summary>
    public static KernelLayout Choose(SparsityPattern pattern, bool batched)
        => pattern.CompactedDensity < (batched ? BlockSparseBelowDensity : SingleRowSparseBelowDensity)
            ? KernelLayout.Sparse
            : KernelLayout.Dense;
}
