using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// An int8 layer's linear part as compressed sparse columns over its nonzero int8 values: y_j = b_j + s_j · Σ_i q_ij x_i,
/// the sum taken over the integers and scaled once per unit, so no float copy of the weights exists.
/// </summary>
/// <remarks>
/// <para>
/// The same walk as <see cref="SparseColumnKernel"/> (one row scatters each nonzero input into the units it feeds; a
/// block runs feature-major, one multiply-add across the 64 rows per kept value), but each stored weight is one sbyte
/// and its unit index (5 bytes against the float kernel's 8), widened to float as it is used.
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
    private readonly sbyte[] _values;    // nonzero int8 values, input by input, unit order within an input
    private readonly int[] _units;       // unit index of each value
    private readonly int[] _inputStart;  // [InputSize + 1]: input i owns values [_inputStart[i], _inputStart[i + 1])
    private readonly float[] _scales;    // [OutputSize]
    private readonly float[] _bias;      // [OutputSize]

    public Int8SparseColumnKernel(int inputSize, int outputSize, ReadOnlySpan<sbyte> rowMajorValues, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, SparsityPattern pattern)
        : base(inputSize, outputSize)
    {
        _values = new sbyte[pattern.Nonzeros];
        _units = new int[pattern.Nonzeros];
        _inputStart = new int[inputSize + 1];
        _scales = scales.ToArray();
        _bias = bias.ToArray();
        int k = 0;
        for (int input = 0; input < inputSize; input++)
        {
            _inputStart[input] = k;
            for (int u = 0; u < outputSize; u++)
            {
                sbyte q = rowMajorValues[u * inputSize + input];
                if (q == 0) continue;
                _values[k] = q;
                _units[k] = u;
                k++;
            }
        }
        _inputStart[inputSize] = k;
    }

    public override KernelLayout Layout => KernelLayout.Sparse;

    public override long StoredWeightCount => _values.Length;

    public override string Description => $"Int8 sparse {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    public override bool BlockIsFeatureMajor => true;

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        // Checked once here, so the loops read without bounds checks: every index stored is below the sizes checked.
        if (input.Length < InputSize || output.Length < OutputSize) throw new ArgumentException("Row shorter than the layer.");
        output.Slice(0, OutputSize).Clear();
        ref float x = ref MemoryMarshal.GetReference(input);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            // Eight inputs per compare: only the nonzero ones (a NaN is not zero, so it flows through) are visited, in order.
            for (; i <= InputSize - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                uint nonzero = ~Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFFu;
                for (; nonzero != 0; nonzero &= nonzero - 1)
                {
                    int lane = i + BitOperations.TrailingZeroCount(nonzero);
                    Scatter(lane, Unsafe.Add(ref x, lane), output);
                }
            }
        }
        for (; i < InputSize; i++)
        {
            float xi = Unsafe.Add(ref x, i);
            if (xi != 0f) Scatter(i, xi, output);
        }
        Int8Scaling.ScaleAndAddBias(output.Slice(0, OutputSize), _scales, _bias);
    }

    /// <summary>Adds input <paramref name="input"/>'s share, <paramref name="xi"/> times each of its int8 values, to the units' sums.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Scatter(int input, float xi, Span<float> sums)
    {
        ref float y = ref MemoryMarshal.GetReference(sums);
        ref sbyte value = ref Data(_values);
        ref int unit = ref Data(_units);
        int end = Unsafe.Add(ref Data(_inputStart), input + 1);
        for (int k = Unsafe.Add(ref Data(_inputStart), input); k < end; k++)
        {
            ref float target = ref Unsafe.Add(ref y, Unsafe.Add(ref unit, k));
            target += Unsafe.Add(ref value, k) * xi;
        }
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
        outputs.Slice(0, OutputSize * FeatureMajorBlock).Clear();
        ref float x = ref MemoryMarshal.GetReference(inputs);
        ref float y = ref MemoryMarshal.GetReference(outputs);
        ref sbyte value = ref Data(_values);
        ref int unit = ref Data(_units);
        ref int start = ref Data(_inputStart);
        for (int i = 0; i < InputSize; i++)
        {
            int k = Unsafe.Add(ref start, i), end = Unsafe.Add(ref start, i + 1);
            if (k == end) continue;
            ref float xi = ref Unsafe.Add(ref x, i * FeatureMajorBlock);
            if (SparseColumnKernel.AllZero(ref xi)) continue;
            // The float kernel's 64-lane update, with the int8 value widened once per block (exactly: |q| ≤ 127).
            for (; k < end; k++)
                SparseColumnKernel.MultiplyAdd(ref Unsafe.Add(ref y, Unsafe.Add(ref unit, k) * FeatureMajorBlock), ref xi, Unsafe.Add(ref value, k));
        }
        for (int u = 0; u < OutputSize; u++)
            Int8Scaling.ScaleAndAddBias(outputs.Slice(u * FeatureMajorBlock, FeatureMajorBlock), _scales[u], _bias[u]);
    }

    private static ref T Data<T>(T[] array) => ref MemoryMarshal.GetArrayDataReference(array);
}
