using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A linear part as compressed sparse columns (CSC) over the nonzero weights only: per input some weight reads, the
/// units it feeds and their weights. Inputs that are exactly zero in a row (ReLU outputs, blank pixels) cost nothing.
/// </summary>
/// <remarks>
/// <para>
/// One row scatters each nonzero input into the units it feeds, so its cost follows the kept weights of the inputs
/// that are not zero: activation sparsity multiplies weight sparsity, decided per row by the values themselves (a
/// zero input is skipped by one compare, a weight is a load, a multiply, an add and a store). A block runs
/// feature-major (<see cref="LayerKernel.BlockIsFeatureMajor"/>): each kept weight is one multiply-add across the
/// block's 64 rows in vector registers, and an input that is zero in every row of the block is skipped.
/// </para>
/// <para>
/// Every unit sums from its bias, one input after the other in input order, with a separate multiply and add, as
/// <see cref="DenseLayer"/>'s forward pass does: skipping a zero input leaves such a sum unchanged (w·0 adds +0 to a
/// finite sum), so one row, a block and the plain forward pass give the same bits. Memory follows the kept count (a
/// float and an int per weight, an int per input).
/// </para>
/// </remarks>
internal sealed class SparseColumnKernel : LayerKernel
{
    private readonly float[] _values;    // nonzero weights, input by input, unit order within an input
    private readonly int[] _units;       // unit index of each value
    private readonly int[] _inputStart;  // [InputSize + 1]: input i owns values [_inputStart[i], _inputStart[i + 1]); empty when no weight reads it
    private readonly float[] _bias;

    public SparseColumnKernel(int inputSize, int outputSize, ReadOnlySpan<float> rowMajorWeights, ReadOnlySpan<float> bias, SparsityPattern pattern)
        : base(inputSize, outputSize)
    {
        _values = new float[pattern.Nonzeros];
        _units = new int[pattern.Nonzeros];
        _inputStart = new int[inputSize + 1];
        _bias = bias.ToArray();
        int k = 0;
        for (int input = 0; input < inputSize; input++)
        {
            _inputStart[input] = k;
            for (int u = 0; u < outputSize; u++)
            {
                float w = rowMajorWeights[u * inputSize + input];
                if (w == 0f) continue;
                _values[k] = w;
                _units[k] = u;
                k++;
            }
        }
        _inputStart[inputSize] = k;
    }

    public override KernelLayout Layout => KernelLayout.Sparse;

    public override long StoredWeightCount => _values.Length;

    public override string Description => $"Sparse {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    public override bool BlockIsFeatureMajor => true;

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        // Checked once here, so the loops read without bounds checks: every index stored is below the sizes checked.
        if (input.Length < InputSize || output.Length < OutputSize) throw new ArgumentException("Row shorter than the layer.");
        _bias.CopyTo(output);
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
    }

    /// <summary>Adds input <paramref name="input"/>'s share, <paramref name="xi"/> times each of its weights, to the units it feeds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Scatter(int input, float xi, Span<float> output)
    {
        ref float y = ref MemoryMarshal.GetReference(output);
        ref float value = ref Data(_values);
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
        for (int u = 0; u < OutputSize; u++) outputs.Slice(u * FeatureMajorBlock, FeatureMajorBlock).Fill(_bias[u]);
        ref float x = ref MemoryMarshal.GetReference(inputs);
        ref float y = ref MemoryMarshal.GetReference(outputs);
        ref float value = ref Data(_values);
        ref int unit = ref Data(_units);
        ref int start = ref Data(_inputStart);
        for (int i = 0; i < InputSize; i++)
        {
            int k = Unsafe.Add(ref start, i), end = Unsafe.Add(ref start, i + 1);
            if (k == end) continue;
            ref float xi = ref Unsafe.Add(ref x, i * FeatureMajorBlock);
            if (AllZero(ref xi)) continue;
            for (; k < end; k++)
                MultiplyAdd(ref Unsafe.Add(ref y, Unsafe.Add(ref unit, k) * FeatureMajorBlock), ref xi, Unsafe.Add(ref value, k));
        }
    }

    /// <summary>
    /// y += w·x over the 64 lanes of a block, as a separate multiply and add. Written out rather than a
    /// TensorPrimitives call: one call per weight costs more than the 64-lane update itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MultiplyAdd(ref float y, ref float x, float w)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> wv = Vector512.Create(w);
            for (nuint i = 0; i < FeatureMajorBlock; i += 16)
                (Vector512.LoadUnsafe(ref y, i) + wv * Vector512.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> wv = Vector256.Create(w);
            for (nuint i = 0; i < FeatureMajorBlock; i += 8)
                (Vector256.LoadUnsafe(ref y, i) + wv * Vector256.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        }
        else
        {
            for (int i = 0; i < FeatureMajorBlock; i++) Unsafe.Add(ref y, i) += w * Unsafe.Add(ref x, i);
        }
    }

    /// <summary>Whether an input is zero in all 64 rows of the block (a NaN is not zero, so it flows through).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool AllZero(ref float x)
    {
        if (Vector512.IsHardwareAccelerated)
        {
            for (nuint i = 0; i < FeatureMajorBlock; i += 16)
                if (!Vector512.EqualsAll(Vector512.LoadUnsafe(ref x, i), Vector512<float>.Zero)) return false;
            return true;
        }
        for (int i = 0; i < FeatureMajorBlock; i++) if (Unsafe.Add(ref x, i) != 0f) return false;
        return true;
    }

    private static ref T Data<T>(T[] array) => ref MemoryMarshal.GetArrayDataReference(array);
}
