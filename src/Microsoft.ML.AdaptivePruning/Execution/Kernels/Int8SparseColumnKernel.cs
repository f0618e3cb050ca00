using System;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// An int8 layer's linear part as compressed sparse columns over its nonzero int8 values: y_j = b_j + s_j · Σ_i q_ij x_i,
/// the sum taken over the integers and scaled once per unit, so no float copy of the weights exists.
/// </summary>
/// <remarks>
/// <para>
/// The same layouts as <see cref="SparseColumnKernel"/> (<see cref="SparseWeights{T}"/>: one row on slices of eight
/// units, one gather per eight kept values, or on the columns when the row is mostly zeros; a block feature-major on
/// the columns, one multiply-add across the 64 rows per kept value), but each stored weight is one sbyte beside its
/// index (5 bytes against the float kernel's 8), widened to float exactly as it is used (eight at a time in the slices).
/// </para>
/// <para>
/// Rounding: every unit sums q·x from +0 in input order, then multiplies by its scale and adds its bias, identically in
/// one row and in a block, so the two give the same bits. Against the float forward pass (b + Σ (q·s)·x) the scale is
/// applied once instead of per term: both are within n·2⁻²⁴·(|b| + Σ|q·s·x|) of the exact sum (n the terms), so they
/// differ by at most twice that; the tests hold the kernel to that bound.
/// </para>
/// </remarks>
internal sealed class Int8SparseColumnKernel : LayerKernel
{
    private readonly SparseWeights<sbyte> _weights;
    private readonly float[] _scales;    // [OutputSize]
    private readonly float[] _bias;      // [OutputSize]

    public Int8SparseColumnKernel(int inputSize, int outputSize, ReadOnlySpan<sbyte> rowMajorValues, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, SparsityPattern pattern)
        : base(inputSize, outputSize)
    {
        _weights = new SparseWeights<sbyte>(inputSize, outputSize, rowMajorValues, pattern.Nonzeros);
        _scales = scales.ToArray();
        _bias = bias.ToArray();
    }

    public override KernelLayout Layout => KernelLayout.Sparse;

    public override long StoredWeightCount => _weights.Count;

    public override string Description => $"Int8 sparse {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    public override bool BlockIsFeatureMajor => true;

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        // Checked once here, so the walk reads without bounds checks: every index stored is below the sizes checked.
        if (input.Length < InputSize || output.Length < OutputSize) throw new ArgumentException("Row shorter than the layer.");
        output.Slice(0, OutputSize).Clear();
        _weights.AddRow(input, output);
        Int8Scaling.ScaleAndAddBias(output.Slice(0, OutputSize), _scales, _bias);
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
        // Cleared unit by unit, as the float kernel fills its biases, so both prepare their sums alike: with one Clear
        // of the whole block (77 KB for 300 units) the int8 kernel alone took 1.4-1.6x the float kernel's time at 98%
        // sparsity in two timings on a machine at load 24, an effect this change could not be shown to remove at load 31.
        for (int u = 0; u < OutputSize; u++) outputs.Slice(u * FeatureMajorBlock, FeatureMajorBlock).Fill(0f);
        // The int8 value is widened to float once per block (exactly: |q| <= 127).
        _weights.AddBlock(inputs, outputs);
        Int8Scaling.ScaleAndAddBias(outputs, OutputSize, _scales, _bias);
    }
}
