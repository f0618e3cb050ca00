using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A layer's nonzero weights in slices of eight units for one row: the sums of a slice sit in one vector register, and
/// each step of the slice loads eight inputs, one per unit, and adds eight products at once.
/// </summary>
/// <remarks>
/// <para>
/// Why: the compressed-column walk (<see cref="SparseColumns{T}"/>) updates one unit per weight through a load, a
/// multiply, an add and a store to memory, so one row of a sparse layer runs at scalar speed. Here lane j of a slice
/// keeps its unit's nonzeros in input order; step k of the slice holds lane j's k-th weight and input index, so a step
/// is eight input loads and one eight-wide multiply and add, and the sums never leave the register. A slice runs as
/// many steps as its unit with the most nonzeros, so the units are dealt into slices in order of their nonzero counts:
/// units of one slice then have about the same count and few steps are padding (at 98% sparsity on 784 inputs a
/// quarter fewer steps than slices of consecutive units). Dealing units out reorders no unit's own sum.
/// </para>
/// <para>
/// Speed: the eight inputs of a step are eight scalar loads put together in a register, not an AVX2 gather: on this
/// project's AMD EPYC (Zen 3) the gather measured 4.5 ns a step against 2.6-3.0 ns for the scalar loads
/// (<c>SparseRowWalkBenchmarks</c> and the README's kernel section have the runs). The input indices are stored as
/// 16-bit values, read four at a time: half the index bytes and a quarter of the index loads of 32-bit indices, so a
/// layer of more than <see cref="MaxInputs"/> inputs has no slices (<see cref="SparseWeights{T}"/> runs its rows on
/// the columns). The steps every lane of a slice fills run without a mask; only the last steps of a slice, where its
/// units with fewer nonzeros have run out, clear the finished lanes' inputs.
/// </para>
/// <para>
/// Rounding: each unit adds its own nonzeros in input order with a separate multiply and add, as the column walk and
/// <see cref="DenseLayer"/>'s forward pass do, so all three give the same bits. The column walk skips zero inputs and
/// the forward pass adds w·0 for them: either way a finite sum is unchanged. A lane with fewer nonzeros than the
/// slice's longest is padded with weight 0 and its input is cleared to +0 (its index reads input 0, whatever that
/// holds, and the bits are masked off), so padding adds +0 and a NaN or infinity in an input only reaches the units
/// whose kept weights read it, as in the column walk. Without AVX2 a scalar loop adds in the same order.
/// Generic over the stored value as the column walk is: float weights, or int8 values widened to float exactly
/// (|q| ≤ 127).
/// </para>
/// </remarks>
internal sealed class SparseSlices<T> where T : unmanaged, INumberBase<T>
{
    private const int Lanes = 8;

    /// <summary>The most inputs a layer in slices may have: its input indices are 16-bit.</summary>
    public const int MaxInputs = ushort.MaxValue + 1;

    private readonly T[] _values;        // per slice, step by step: 8 values (lane j's k-th nonzero, or 0 past its count)
    private readonly ushort[] _inputs;   // the input index beside each value (0 past a lane's count, read but masked off)
    private readonly int[] _laneUnits;   // [slices * 8]: the unit of each lane; -1 for the lanes past the last unit
    private readonly int[] _counts;      // [slices * 8]: nonzeros of each lane's unit (0 for a lane with no unit)
    private readonly int[] _sliceStart;  // [slices + 1]: slice s owns steps [_sliceStart[s], _sliceStart[s + 1])
    private readonly int[] _fullSteps;   // [slices]: the first steps of slice s that every lane fills (its fewest nonzeros)

    public SparseSlices(int inputSize, int outputSize, ReadOnlySpan<T> rowMajor)
    {
        if (inputSize > MaxInputs)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"A layer in slices reads at most {MaxInputs} inputs (16-bit indices).");
        var unitCounts = new int[outputSize];
        for (int u = 0; u < outputSize; u++)
            foreach (T value in rowMajor.Slice(u * inputSize, inputSize)) if (!T.IsZero(value)) unitCounts[u]++;
        // Most nonzeros first, ties by unit: deterministic, and each slice's lanes have about the same count.
        int[] order = new int[outputSize];
        for (int u = 0; u < outputSize; u++) order[u] = u;
        Array.Sort(order, (a, b) => unitCounts[a] != unitCounts[b] ? unitCounts[b].CompareTo(unitCounts[a]) : a.CompareTo(b));

        int slices = (outputSize + Lanes - 1) / Lanes;
        _laneUnits = new int[slices * Lanes];
        _counts = new int[slices * Lanes];
        _sliceStart = new int[slices + 1];
        _fullSteps = new int[slices];
        for (int lane = 0; lane < _laneUnits.Length; lane++)
        {
            _laneUnits[lane] = lane < outputSize ? order[lane] : -1;
            _counts[lane] = lane < outputSize ? unitCounts[order[lane]] : 0;
        }
        for (int s = 0; s < slices; s++)
        {
            int longest = 0, shortest = int.MaxValue;
            for (int j = 0; j < Lanes; j++)
            {
                longest = Math.Max(longest, _counts[s * Lanes + j]);
                shortest = Math.Min(shortest, _counts[s * Lanes + j]);
            }
            _sliceStart[s + 1] = _sliceStart[s] + longest;
            _fullSteps[s] = shortest;
        }

        _values = new T[_sliceStart[slices] * Lanes];
        _inputs = new ushort[_values.Length];
        for (int lane = 0; lane < outputSize; lane++)
        {
            int slot = _sliceStart[lane / Lanes] * Lanes + lane % Lanes;
            ReadOnlySpan<T> row = rowMajor.Slice(_laneUnits[lane] * inputSize, inputSize);
            for (int i = 0; i < inputSize; i++)
            {
                if (T.IsZero(row[i])) continue;
                _values[slot] = row[i];
                _inputs[slot] = (ushort)i;
                slot += Lanes;
            }
        }
    }

    /// <summary>Steps of eight a row runs: what one row costs, padding included.</summary>
    public int Steps => _sliceStart[^1];

    /// <summary>
    /// Adds one row's share to <paramref name="sums"/>, which the caller prepared (from the bias, or from +0 for a sum
    /// it scales afterwards). The caller has checked that the row holds the layer's inputs and the sums its units.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddRow(ReadOnlySpan<float> input, Span<float> sums)
    {
        if (Avx2.IsSupported) AddRowVectors(input, sums);
        else AddRowScalar(input, sums);
    }

    // Compiled fully optimised at first call, as the kernels that call it: a prediction engine's first rows count too.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AddRowVectors(ReadOnlySpan<float> input, Span<float> sums)
    {
        ref T value = ref MemoryMarshal.GetArrayDataReference(_values);
        ref ushort index = ref MemoryMarshal.GetArrayDataReference(_inputs);
        ref int laneUnit = ref MemoryMarshal.GetArrayDataReference(_laneUnits);
        ref int count = ref MemoryMarshal.GetArrayDataReference(_counts);
        float* lanes = stackalloc float[Lanes];
        int slices = _sliceStart.Length - 1;
        fixed (float* x = input)
        fixed (float* y = sums)
        {
            for (int s = 0; s < slices; s++)
            {
                // A lane past the last unit starts from +0 and is never written back.
                for (int j = 0; j < Lanes; j++)
                {
                    int unit = Unsafe.Add(ref laneUnit, s * Lanes + j);
                    lanes[j] = unit < 0 ? 0f : y[unit];
                }
                Vector256<float> sum = Vector256.Load(lanes);
                int k = _sliceStart[s], full = k + _fullSteps[s], end = _sliceStart[s + 1];
                for (; k < full; k++)
                    sum += Widen(ref Unsafe.Add(ref value, k * Lanes)) * Inputs(x, ref Unsafe.Add(ref index, k * Lanes));
                if (k < end)
                {
                    // Lanes whose unit has fewer than k + 1 nonzeros get +0 whatever their padding index reads.
                    Vector256<int> counts = Vector256.LoadUnsafe(ref count, (nuint)(s * Lanes));
                    Vector256<int> step = Vector256.Create(k - _sliceStart[s]);
                    for (; k < end; k++, step += Vector256<int>.One)
                    {
                        Vector256<float> live = Vector256.GreaterThan(counts, step).AsSingle();
                        sum += Widen(ref Unsafe.Add(ref value, k * Lanes)) * (Inputs(x, ref Unsafe.Add(ref index, k * Lanes)) & live);
                    }
                }

                sum.Store(lanes);
                for (int j = 0; j < Lanes; j++)
                {
                    int unit = Unsafe.Add(ref laneUnit, s * Lanes + j);
                    if (unit < 0) break;
                    y[unit] = lanes[j];
                }
            }
        }
    }

    /// <summary>
    /// The eight inputs of one step: eight scalar loads put together (faster here than an AVX2 gather), their 16-bit
    /// indices read as two 64-bit words.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static unsafe Vector256<float> Inputs(float* x, ref ushort indices)
    {
        ulong low = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref indices));
        ulong high = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref indices, 4)));
        return Vector256.Create(
            x[(ushort)low], x[(ushort)(low >> 16)], x[(ushort)(low >> 32)], x[low >> 48],
            x[(ushort)high], x[(ushort)(high >> 16)], x[(ushort)(high >> 32)], x[high >> 48]);
    }

    /// <summary>The same sums in the same order, one unit at a time, for hardware without AVX2 (internal so the tests run it on any hardware).</summary>
    internal void AddRowScalar(ReadOnlySpan<float> input, Span<float> sums)
    {
        for (int lane = 0; lane < _laneUnits.Length && _laneUnits[lane] >= 0; lane++)
        {
            int unit = _laneUnits[lane], slot = _sliceStart[lane / Lanes] * Lanes + lane % Lanes;
            float sum = sums[unit];
            for (int k = 0; k < _counts[lane]; k++, slot += Lanes) sum += float.CreateTruncating(_values[slot]) * input[_inputs[slot]];
            sums[unit] = sum;
        }
    }

    /// <summary>Eight stored values as floats: a load for float weights, a widening of eight sbytes for int8 values.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector256<float> Widen(ref T values)
    {
        if (typeof(T) == typeof(float)) return Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref values));
        if (typeof(T) == typeof(sbyte))
        {
            Vector128<sbyte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<T, byte>(ref values))).AsSByte();
            return Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes));
        }
        throw new NotSupportedException($"Slices of {typeof(T).Name} values are not supported.");
    }
}
