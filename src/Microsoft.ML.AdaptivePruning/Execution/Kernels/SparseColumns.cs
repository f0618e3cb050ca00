using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A layer's nonzero weights as compressed sparse columns (per input: the units it feeds and their stored values), and
/// the two walks over them that the float and the int8 sparse kernels share: a feature-major block, and one row that
/// is mostly zeros.
/// </summary>
/// <remarks>
/// Generic over the stored value so one walk serves float weights and int8 values: the JIT compiles each value type
/// apart, and widening a value to float (exact for sbyte, the identity for float) costs nothing in the float case. The
/// walks only add into sums the caller prepared (from the bias, or from +0 for a sum the caller scales afterwards),
/// each unit in input order with a separate multiply and add, so the row and the block give the same bits.
/// </remarks>
internal sealed class SparseColumns<T> where T : unmanaged, INumberBase<T>
{
    private readonly T[] _values;        // nonzero values, input by input, unit order within an input
    private readonly int[] _units;       // unit index of each value
    private readonly int[] _inputStart;  // [inputs + 1]: input i owns values [_inputStart[i], _inputStart[i + 1]); empty when no weight reads it
    private readonly int _inputSize;

    public SparseColumns(int inputSize, int outputSize, ReadOnlySpan<T> rowMajor, long nonzeros)
    {
        _inputSize = inputSize;
        _values = new T[nonzeros];
        _units = new int[nonzeros];
        _inputStart = new int[inputSize + 1];
        int k = 0;
        for (int input = 0; input < inputSize; input++)
        {
            _inputStart[input] = k;
            for (int u = 0; u < outputSize; u++)
            {
                T value = rowMajor[u * inputSize + input];
                if (T.IsZero(value)) continue;
                _values[k] = value;
                _units[k] = u;
                k++;
            }
        }
        _inputStart[inputSize] = k;
    }

    /// <summary>Values stored.</summary>
    public int Count => _values.Length;

    /// <summary>
    /// Adds one row's share to <paramref name="sums"/>: each input that is not zero (found eight at a time; a NaN is not
    /// zero, so it flows through) scatters into the units it feeds. The single-row walk for rows that are mostly zeros
    /// (<see cref="SparseRowWalk"/>); the caller has checked both lengths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddRow(ReadOnlySpan<float> input, Span<float> sums)
    {
        ref float x = ref MemoryMarshal.GetReference(input);
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= _inputSize - Vector256<float>.Count; i += Vector256<float>.Count)
            {
                uint nonzero = ~Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<float>.Zero).ExtractMostSignificantBits() & 0xFFu;
                for (; nonzero != 0; nonzero &= nonzero - 1)
                {
                    int lane = i + BitOperations.TrailingZeroCount(nonzero);
                    Scatter(lane, Unsafe.Add(ref x, lane), sums);
                }
            }
        }
        for (; i < _inputSize; i++)
        {
            float xi = Unsafe.Add(ref x, i);
            if (xi != 0f) Scatter(i, xi, sums);
        }
    }

    /// <summary>Adds input <paramref name="input"/>'s share, <paramref name="xi"/> times each of its values, to the units it feeds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Scatter(int input, float xi, Span<float> sums)
    {
        ref float y = ref MemoryMarshal.GetReference(sums);
        ref T value = ref Data(_values);
        ref int unit = ref Data(_units);
        int end = Unsafe.Add(ref Data(_inputStart), input + 1);
        for (int k = Unsafe.Add(ref Data(_inputStart), input); k < end; k++)
        {
            ref float target = ref Unsafe.Add(ref y, Unsafe.Add(ref unit, k));
            target += Widen(Unsafe.Add(ref value, k)) * xi;
        }
    }

    /// <summary>
    /// Adds a feature-major block's share to <paramref name="sums"/> ([unit * 64 + row]): each kept value is one
    /// multiply-add across the 64 rows, and an input that is zero in every row is skipped. The caller has checked both lengths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddBlock(ReadOnlySpan<float> inputs, Span<float> sums)
    {
        const int block = LayerKernel.FeatureMajorBlock;
        ref float x = ref MemoryMarshal.GetReference(inputs);
        ref float y = ref MemoryMarshal.GetReference(sums);
        ref T value = ref Data(_values);
        ref int unit = ref Data(_units);
        ref int start = ref Data(_inputStart);
        for (int i = 0; i < _inputSize; i++)
        {
            int k = Unsafe.Add(ref start, i), end = Unsafe.Add(ref start, i + 1);
            if (k == end) continue;
            ref float xi = ref Unsafe.Add(ref x, i * block);
            if (AllZero(ref xi)) continue;
            for (; k < end; k++)
                MultiplyAdd(ref Unsafe.Add(ref y, Unsafe.Add(ref unit, k) * block), ref xi, Widen(Unsafe.Add(ref value, k)));
        }
    }

    /// <summary>
    /// y += w·x over the 64 lanes of a block, as a separate multiply and add. Written out rather than a
    /// TensorPrimitives call: one call per weight costs more than the 64-lane update itself.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MultiplyAdd(ref float y, ref float x, float w)
    {
        const int block = LayerKernel.FeatureMajorBlock;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> wv = Vector512.Create(w);
            for (nuint i = 0; i < block; i += 16)
                (Vector512.LoadUnsafe(ref y, i) + wv * Vector512.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        }
        else if (Vector256.IsHardwareAccelerated)
        {
            Vector256<float> wv = Vector256.Create(w);
            for (nuint i = 0; i < block; i += 8)
                (Vector256.LoadUnsafe(ref y, i) + wv * Vector256.LoadUnsafe(ref x, i)).StoreUnsafe(ref y, i);
        }
        else
        {
            for (int i = 0; i < block; i++) Unsafe.Add(ref y, i) += w * Unsafe.Add(ref x, i);
        }
    }

    /// <summary>Whether an input is zero in all 64 rows of the block (a NaN is not zero, so it flows through).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static bool AllZero(ref float x)
    {
        const int block = LayerKernel.FeatureMajorBlock;
        if (Vector512.IsHardwareAccelerated)
        {
            for (nuint i = 0; i < block; i += 16)
                if (!Vector512.EqualsAll(Vector512.LoadUnsafe(ref x, i), Vector512<float>.Zero)) return false;
            return true;
        }
        for (int i = 0; i < block; i++) if (Unsafe.Add(ref x, i) != 0f) return false;
        return true;
    }

    /// <summary>
    /// A stored value as float: the value itself, or an int8 widened exactly. Spelled out per type (the JIT drops the
    /// other branch) rather than through <c>float.CreateTruncating</c>, whose generic conversion path is not
    /// guaranteed to fold into one instruction in the inner loop.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Widen(T value)
        => typeof(T) == typeof(sbyte) ? Unsafe.As<T, sbyte>(ref value) : typeof(T) == typeof(float) ? Unsafe.As<T, float>(ref value) : float.CreateTruncating(value);

    private static ref TItem Data<TItem>(TItem[] array) => ref MemoryMarshal.GetArrayDataReference(array);
}
