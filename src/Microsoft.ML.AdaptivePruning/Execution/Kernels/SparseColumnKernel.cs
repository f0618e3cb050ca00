using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A linear part over the nonzero weights only: slices of eight units for one row, compressed sparse columns (CSC)
/// for feature-major blocks of rows.
/// </summary>
/// <remarks>
/// <para>
/// One row runs on <see cref="SparseSlices{T}"/>: eight units' sums in one vector register, eight kept weights per
/// gather of their inputs, where the column walk costs a load, a multiply, an add and a store per weight; a row that is
/// mostly zeros (blank pixels, ReLU outputs) runs on the columns of its nonzero inputs instead
/// (<see cref="SparseRowWalk"/>). A block runs feature-major (<see cref="LayerKernel.BlockIsFeatureMajor"/>) on
/// <see cref="SparseColumns{T}"/>: each kept weight is one multiply-add across the block's 64 rows in vector
/// registers, and an input that is zero in every row of the block is skipped. <see cref="SparseWeights{T}"/> holds both.
/// </para>
/// <para>
/// Every unit sums from its bias, one input after the other in input order, with a separate multiply and add, as
/// <see cref="DenseLayer"/>'s forward pass does: skipping a zero input leaves such a sum unchanged (w·0 adds +0 to a
/// finite sum), so one row, a block and the plain forward pass give the same bits.
/// </para>
/// </remarks>
internal sealed class SparseColumnKernel : LayerKernel
{
    private readonly SparseWeights<float> _weights;
    private readonly float[] _bias;

    public SparseColumnKernel(int inputSize, int outputSize, ReadOnlySpan<float> rowMajorWeights, ReadOnlySpan<float> bias, SparsityPattern pattern)
        : base(inputSize, outputSize)
    {
        _weights = new SparseWeights<float>(inputSize, outputSize, rowMajorWeights, pattern.Nonzeros);
        _bias = bias.ToArray();
    }

    public override KernelLayout Layout => KernelLayout.Sparse;

    public override long StoredWeightCount => _weights.Count;

    public override string Description => $"Sparse {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    public override bool BlockIsFeatureMajor => true;

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        // Checked once here, so the walk reads without bounds checks: every index stored is below the sizes checked.
        if (input.Length < InputSize || output.Length < OutputSize) throw new ArgumentException("Row shorter than the layer.");
        _bias.CopyTo(output);
        _weights.AddRow(input, output);
    }

    /// <summary>Row by row through the single-row path (the engine runs blocks feature-major instead).</summary>
    public override void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch)
    {
        for (int row = 0; row < rowCount; row++)
            Forward(inputs.Slice(row * InputSize, InputSize), outputs.Slice(row * OutputSize, OutputSize), scratch);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void ForwardFeatureMajor(ReadOnlySpan<float> inputs, Span<float> outputs)
    {
        if (inputs.Length < InputSize * FeatureMajorBlock || outputs.Length < OutputSize * FeatureMajorBlock)
            throw new ArgumentException("Block shorter than the layer.");
        for (int u = 0; u < OutputSize; u++) outputs.Slice(u * FeatureMajorBlock, FeatureMajorBlock).Fill(_bias[u]);
        _weights.AddBlock(inputs, outputs);
    }
}
