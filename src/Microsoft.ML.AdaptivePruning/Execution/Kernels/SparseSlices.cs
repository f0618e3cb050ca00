using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A layer's nonzero weights in slices of eight units (sixteen on AVX-512 hardware) for one row: the sums of a slice
/// sit in one vector register, and each step of the slice loads one input per unit and adds all the products at once.
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
/// units with fewer nonzeros have run out, clear the finished lanes' inputs. The values start on a cache line
/// (<see cref="AlignedBuffer{T}"/>), so no step's values straddle two lines, whatever the process.
/// </para>
/// <para>
/// Rounding: each unit adds its own nonzeros in input order with a separate multiply and add, as the column walk and
/// <see cref="DenseLayer"/>'s forward pass do, so all three give the same bits. The column walk skips zero inputs and
/// the forward pass adds w·0 for them: either way a finite sum is unchanged. A lane with fewer nonzeros than the
/// slice's longest is padded with weight 0 and its input is cleared to +0 (its index reads input 0, whatever that
/// holds, and the bits are masked off), so padding adds +0 and a NaN or infinity in an input only reaches the units
/// whose kept weights read it, as in the column walk. Without AVX2 (or, for sixteen lanes, AVX-512) a scalar loop adds
/// in the same order; the lane width (<see cref="ISliceWidth{TVector}"/>) changes the speed, not the bits.
/// Generic over the stored value as the column walk is: float weights, or int8 values widened to float exactly
/// (|q| ≤ 127).
/// </para>
/// </remarks>
internal sealed class SparseSlices<T> where T : unmanaged, INumberBase<T>
{
    /// <summary>The most inputs a layer in slices may have: its input indices are 16-bit.</summary>
    public const int MaxInputs = ushort.MaxValue + 1;

    /// <summary>Units per slice on this machine: sixteen where 512-bit vectors run in hardware, eight otherwise.</summary>
    public static int PreferredLanes => Vector512.IsHardwareAccelerated ? SliceWidth512.Lanes : SliceWidth256.Lanes;

    private readonly int _lanes;
    private readonly AlignedBuffer<T> _values;   // per slice, step by step: one value per lane (its k-th nonzero, or 0 past its count), each step on its own span of the register's width
    private readonly ushort[] _inputs;   // the input index beside each value (0 past a lane's count, read but masked off)
    private readonly int[] _laneUnits;   // [slices * lanes]: the unit of each lane; -1 for the lanes past the last unit
    private readonly int[] _counts;      // [slices * lanes]: nonzeros of each lane's unit (0 for a lane with no unit)
    private readonly int[] _sliceStart;  // [slices + 1]: slice s owns steps [_sliceStart[s], _sliceStart[s + 1])
    private readonly int[] _fullSteps;   // [slices]: the first steps of slice s that every lane fills (its fewest nonzeros)

    /// <summary>Lays the layer out in slices of <paramref name="lanes"/> units (8 or 16; 0 for <see cref="PreferredLanes"/>).</summary>
    public SparseSlices(int inputSize, int outputSize, ReadOnlySpan<T> rowMajor, int lanes = 0)
    {
        if (inputSize > MaxInputs)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, $"A layer in slices reads at most {MaxInputs} inputs (16-bit indices).");
        if (lanes is not (0 or 8 or 16))
            throw new ArgumentOutOfRangeException(nameof(lanes), lanes, "A slice holds 8 or 16 units (0 picks the machine's width).");
        _lanes = lanes == 0 ? PreferredLanes : lanes;
        var unitCounts = new int[outputSize];
        for (int u = 0; u < outputSize; u++)
            foreach (T value in rowMajor.Slice(u * inputSize, inputSize)) if (!T.IsZero(value)) unitCounts[u]++;
        // Most nonzeros first, ties by unit: deterministic, and each slice's lanes have about the same count.
        int[] order = new int[outputSize];
        for (int u = 0; u < outputSize; u++) order[u] = u;
        Array.Sort(order, (a, b) => unitCounts[a] != unitCounts[b] ? unitCounts[b].CompareTo(unitCounts[a]) : a.CompareTo(b));

        int slices = (outputSize + _lanes - 1) / _lanes;
        _laneUnits = new int[slices * _lanes];
        _counts = new int[slices * _lanes];
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
            for (int j = 0; j < _lanes; j++)
            {
                longest = Math.Max(longest, _counts[s * _lanes + j]);
                shortest = Math.Min(shortest, _counts[s * _lanes + j]);
            }
            _sliceStart[s + 1] = _sliceStart[s] + longest;
            _fullSteps[s] = shortest;
        }

        _values = new AlignedBuffer<T>((long)_sliceStart[slices] * _lanes);
        _inputs = new ushort[_values.Length];
        Span<T> values = _values.Span;
        for (int lane = 0; lane < outputSize; lane++)
        {
            int slot = _sliceStart[lane / _lanes] * _lanes + lane % _lanes;
            ReadOnlySpan<T> row = rowMajor.Slice(_laneUnits[lane] * inputSize, inputSize);
            for (int i = 0; i < inputSize; i++)
            {
                if (T.IsZero(row[i])) continue;
                values[slot] = row[i];
                _inputs[slot] = (ushort)i;
                slot += _lanes;
            }
        }
    }

    /// <summary>Units per slice.</summary>
    public int Lanes => _lanes;

    /// <summary>What one row costs, padding included, in steps of eight lanes (a sixteen-lane step counts as two).</summary>
    public int Steps => _sliceStart[^1] * (_lanes / SliceWidth256.Lanes);

    /// <summary>
    /// Adds one row's share to <paramref name="sums"/>, which the caller prepared (from the bias, or from +0 for a sum
    /// it scales afterwards). The caller has checked that the row holds the layer's inputs and the sums its units.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddRow(ReadOnlySpan<float> input, Span<float> sums)
    {
        if (_lanes == SliceWidth512.Lanes && Vector512.IsHardwareAccelerated) AddRowVectors<SliceWidth512, Vector512<float>>(input, sums);
        else if (_lanes == SliceWidth256.Lanes && Avx2.IsSupported) AddRowVectors<SliceWidth256, Vector256<float>>(input, sums);
        else AddRowScalar(input, sums);
    }

    // Compiled fully optimised at first call, as the kernels that call it: a prediction engine's first rows count too.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private unsafe void AddRowVectors<TWidth, TVector>(ReadOnlySpan<float> input, Span<float> sums)
        where TWidth : struct, ISliceWidth<TVector>
        where TVector : struct
    {
        int lanesPerSlice = TWidth.Lanes;
        ref T value = ref _values.Start;
        ref ushort index = ref MemoryMarshal.GetArrayDataReference(_inputs);
        ref int laneUnit = ref MemoryMarshal.GetArrayDataReference(_laneUnits);
        ref int count = ref MemoryMarshal.GetArrayDataReference(_counts);
        float* lanes = stackalloc float[lanesPerSlice];
        int slices = _sliceStart.Length - 1;
        fixed (float* x = input)
        fixed (float* y = sums)
        {
            for (int s = 0; s < slices; s++)
            {
                // A lane past the last unit starts from +0 and is never written back.
                for (int j = 0; j < lanesPerSlice; j++)
                {
                    int unit = Unsafe.Add(ref laneUnit, s * lanesPerSlice + j);
                    lanes[j] = unit < 0 ? 0f : y[unit];
                }
                TVector sum = TWidth.Load(lanes);
                int first = _sliceStart[s], k = first, full = k + _fullSteps[s], end = _sliceStart[s + 1];
                for (; k < full; k++)
                {
                    int slot = k * lanesPerSlice;
                    sum = TWidth.AddProducts(sum, TWidth.Values(ref Unsafe.Add(ref value, slot)), TWidth.Inputs(x, ref Unsafe.Add(ref index, slot)));
                }
                // Lanes whose unit has fewer than k + 1 nonzeros get +0 whatever their padding index reads.
                ref int sliceCounts = ref Unsafe.Add(ref count, s * lanesPerSlice);
                for (; k < end; k++)
                {
                    int slot = k * lanesPerSlice;
                    TVector inputs = TWidth.KeepLive(TWidth.Inputs(x, ref Unsafe.Add(ref index, slot)), ref sliceCounts, k - first);
                    sum = TWidth.AddProducts(sum, TWidth.Values(ref Unsafe.Add(ref value, slot)), inputs);
                }

                TWidth.Store(sum, lanes);
                for (int j = 0; j < lanesPerSlice; j++)
                {
                    int unit = Unsafe.Add(ref laneUnit, s * lanesPerSlice + j);
                    if (unit < 0) break;
                    y[unit] = lanes[j];
                }
            }
        }
    }

    /// <summary>The same sums in the same order, one unit at a time, for hardware without the slice's vector width (internal so the tests run it on any hardware).</summary>
    internal void AddRowScalar(ReadOnlySpan<float> input, Span<float> sums)
    {
        ReadOnlySpan<T> values = _values.Span;
        for (int lane = 0; lane < _laneUnits.Length && _laneUnits[lane] >= 0; lane++)
        {
            int unit = _laneUnits[lane], slot = _sliceStart[lane / _lanes] * _lanes + lane % _lanes;
            float sum = sums[unit];
            for (int k = 0; k < _counts[lane]; k++, slot += _lanes) sum += float.CreateTruncating(values[slot]) * input[_inputs[slot]];
            sums[unit] = sum;
        }
    }
}
