using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A linear part as a dense row-major matrix over the units that have a weight and the inputs some weight reads:
/// one vectorised dot product per unit for a row, four rows at a time for a block.
/// </summary>
/// <remarks>
/// A unit with no weight left writes its bias and costs nothing; an input no weight reads is never touched: the used
/// inputs are gathered once per row into scratch, a copy of at most one value per column against a multiply-add per
/// weight. With no unit and no input dropped this is the plain dense product a dense scorer runs.
/// One row runs four units at a time against the row, a block four rows at a time against each unit, through the
/// same four-way dot product with the same order of additions per (row, unit), so a row scores bit-identically alone
/// or in a block. (TensorPrimitives.Dot per unit for one row sums in its own order, which put the two paths up to
/// 3e-5 apart; four units at a time keep four accumulator chains in flight as its unrolling does.)
/// </remarks>
internal sealed class DenseKernel : LayerKernel
{
    // Units per tile in the block product: a tile of rows of a 784-wide layer (50 KB) stays in L2 while every group
    // of four input rows streams past it.
    private const int UnitTile = 16;

    private readonly float[] _weights;   // [units.Length or OutputSize, columns], row-major
    private readonly float[] _bias;      // [OutputSize]
    private readonly int[]? _units;      // output index of each stored row; null = every unit, in order
    private readonly int[]? _inputs;     // input index of each stored column; null = every input, in order
    private readonly int _columns;

    private DenseKernel(int inputSize, int outputSize, float[] weights, float[] bias, int[]? units, int[]? inputs)
        : base(inputSize, outputSize)
    {
        _weights = weights;
        _bias = bias;
        _units = units;
        _inputs = inputs;
        _columns = inputs?.Length ?? inputSize;
    }

    /// <summary>The full matrix, zeros included.</summary>
    public static DenseKernel Full(int inputSize, int outputSize, ReadOnlySpan<float> rowMajorWeights, ReadOnlySpan<float> bias)
        => new(inputSize, outputSize, rowMajorWeights.ToArray(), bias.ToArray(), units: null, inputs: null);

    /// <summary>The matrix without the units that have no nonzero weight and, when that pays, the inputs none reads.</summary>
    public static DenseKernel Compacted(int inputSize, int outputSize, ReadOnlySpan<float> rowMajorWeights, ReadOnlySpan<float> bias, SparsityPattern pattern)
    {
        int[]? units = pattern.UsedUnits.Length == outputSize ? null : pattern.UsedUnits;
        int[]? inputs = pattern.UsedInputs.Length == inputSize ? null : pattern.UsedInputs;
        int columns = inputs?.Length ?? inputSize;
        int rows = units?.Length ?? outputSize;
        var weights = new float[(long)rows * columns];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> source = rowMajorWeights.Slice((units?[r] ?? r) * inputSize, inputSize);
            Span<float> target = weights.AsSpan(r * columns, columns);
            if (inputs is null) source.CopyTo(target);
            else for (int c = 0; c < columns; c++) target[c] = source[inputs[c]];
        }
        return new(inputSize, outputSize, weights, bias.ToArray(), units, inputs);
    }

    public override KernelLayout Layout => KernelLayout.Dense;

    public override long StoredWeightCount => _weights.Length;

    public override int ScratchPerRow => _inputs?.Length ?? 0;

    public override string Description
        => $"Dense {_units?.Length ?? OutputSize}x{_columns} of {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        ReadOnlySpan<float> x = Gather(input, 1, scratch);
        int units = _units?.Length ?? OutputSize;
        if (_units is not null) _bias.CopyTo(output);
        int grouped = units & ~3;
        for (int r = 0; r < grouped; r += 4)
        {
            Dot4(x, WeightRow(r), WeightRow(r + 1), WeightRow(r + 2), WeightRow(r + 3), out float d0, out float d1, out float d2, out float d3);
            Accumulate(output, r, d0);
            Accumulate(output, r + 1, d1);
            Accumulate(output, r + 2, d2);
            Accumulate(output, r + 3, d3);
        }
        for (int r = grouped; r < units; r++) Accumulate(output, r, Dot1(x, WeightRow(r)));
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch)
    {
        ReadOnlySpan<float> x = Gather(inputs, rowCount, scratch);
        int units = _units?.Length ?? OutputSize;
        int outputSize = OutputSize;
        for (int row = 0; row < rowCount; row++)
        {
            if (_units is not null) _bias.CopyTo(outputs.Slice(row * outputSize, outputSize));
        }

        int grouped = rowCount & ~3;
        for (int tile = 0; tile < units; tile += UnitTile)
        {
            int tileEnd = Math.Min(units, tile + UnitTile);
            for (int row = 0; row < grouped; row += 4)
            {
                ReadOnlySpan<float> x0 = x.Slice(row * _columns, _columns);
                ReadOnlySpan<float> x1 = x.Slice((row + 1) * _columns, _columns);
                ReadOnlySpan<float> x2 = x.Slice((row + 2) * _columns, _columns);
                ReadOnlySpan<float> x3 = x.Slice((row + 3) * _columns, _columns);
                for (int r = tile; r < tileEnd; r++)
                {
                    Dot4(WeightRow(r), x0, x1, x2, x3, out float d0, out float d1, out float d2, out float d3);
                    Accumulate(outputs.Slice(row * outputSize, outputSize), r, d0);
                    Accumulate(outputs.Slice((row + 1) * outputSize, outputSize), r, d1);
                    Accumulate(outputs.Slice((row + 2) * outputSize, outputSize), r, d2);
                    Accumulate(outputs.Slice((row + 3) * outputSize, outputSize), r, d3);
                }
            }
        }
        for (int row = grouped; row < rowCount; row++)
        {
            ReadOnlySpan<float> xr = x.Slice(row * _columns, _columns);
            Span<float> y = outputs.Slice(row * outputSize, outputSize);
            for (int r = 0; r < units; r++) Accumulate(y, r, Dot1(WeightRow(r), xr));
        }
    }

    private ReadOnlySpan<float> WeightRow(int storedRow) => _weights.AsSpan(storedRow * _columns, _columns);

    /// <summary>Writes stored row <paramref name="storedRow"/>'s output of one row: bias plus dot (the bias is already there when units are dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Accumulate(Span<float> output, int storedRow, float dot)
    {
        if (_units is null) output[storedRow] = _bias[storedRow] + dot;
        else output[_units[storedRow]] += dot;
    }

    /// <summary>The inputs the stored columns read, row by row: the rows themselves when no input is dropped.</summary>
    private ReadOnlySpan<float> Gather(ReadOnlySpan<float> inputs, int rowCount, Span<float> scratch)
    {
        if (_inputs is null) return inputs;
        int[] used = _inputs;
        for (int row = 0; row < rowCount; row++)
        {
            ReadOnlySpan<float> source = inputs.Slice(row * InputSize, InputSize);
            Span<float> target = scratch.Slice(row * used.Length, used.Length);
            for (int c = 0; c < used.Length; c++) target[c] = source[used[c]];
        }
        return scratch.Slice(0, rowCount * used.Length);
    }

    /// <summary>One dot product, adding in the order of each of <see cref="Dot4"/>'s four.</summary>
    private static float Dot1(ReadOnlySpan<float> a, ReadOnlySpan<float> b)
    {
        int n = a.Length;
        ref float ra = ref MemoryMarshal.GetReference(a);
        ref float rb = ref MemoryMarshal.GetReference(b);
        int i = 0;
        float d = 0f;
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> acc = Vector512<float>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
                acc += Vector512.LoadUnsafe(ref ra, (nuint)i) * Vector512.LoadUnsafe(ref rb, (nuint)i);
            d = Vector512.Sum(acc);
        }
        Vector<float> v = Vector<float>.Zero;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
            v += Vector.LoadUnsafe(ref ra, (nuint)i) * Vector.LoadUnsafe(ref rb, (nuint)i);
        d += Vector.Sum(v);
        for (; i < n; i++) d += Unsafe.Add(ref ra, i) * Unsafe.Add(ref rb, i);
        return d;
    }

    /// <summary>
    /// Four dot products sharing one operand, loaded once for all four: a weight row against four input rows, or an
    /// input row against four weight rows. Each product adds in the order <see cref="Dot1"/> does.
    /// </summary>
    private static void Dot4(ReadOnlySpan<float> w, ReadOnlySpan<float> x0, ReadOnlySpan<float> x1, ReadOnlySpan<float> x2, ReadOnlySpan<float> x3,
        out float d0, out float d1, out float d2, out float d3)
    {
        int n = w.Length;
        ref float rw = ref MemoryMarshal.GetReference(w);
        ref float r0 = ref MemoryMarshal.GetReference(x0);
        ref float r1 = ref MemoryMarshal.GetReference(x1);
        ref float r2 = ref MemoryMarshal.GetReference(x2);
        ref float r3 = ref MemoryMarshal.GetReference(x3);
        int i = 0;
        d0 = d1 = d2 = d3 = 0f;
        // Vector<T> stays 256 bits wide on AVX-512 hardware; the explicit 512-bit path doubles the work per load there.
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = Vector512<float>.Zero, a1 = Vector512<float>.Zero, a2 = Vector512<float>.Zero, a3 = Vector512<float>.Zero;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> wv = Vector512.LoadUnsafe(ref rw, (nuint)i);
                a0 += wv * Vector512.LoadUnsafe(ref r0, (nuint)i);
                a1 += wv * Vector512.LoadUnsafe(ref r1, (nuint)i);
                a2 += wv * Vector512.LoadUnsafe(ref r2, (nuint)i);
                a3 += wv * Vector512.LoadUnsafe(ref r3, (nuint)i);
            }
            d0 = Vector512.Sum(a0);
            d1 = Vector512.Sum(a1);
            d2 = Vector512.Sum(a2);
            d3 = Vector512.Sum(a3);
        }
        Vector<float> v0 = Vector<float>.Zero, v1 = Vector<float>.Zero, v2 = Vector<float>.Zero, v3 = Vector<float>.Zero;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> wv = Vector.LoadUnsafe(ref rw, (nuint)i);
            v0 += wv * Vector.LoadUnsafe(ref r0, (nuint)i);
            v1 += wv * Vector.LoadUnsafe(ref r1, (nuint)i);
            v2 += wv * Vector.LoadUnsafe(ref r2, (nuint)i);
            v3 += wv * Vector.LoadUnsafe(ref r3, (nuint)i);
        }
        d0 += Vector.Sum(v0);
        d1 += Vector.Sum(v1);
        d2 += Vector.Sum(v2);
        d3 += Vector.Sum(v3);
        for (; i < n; i++)
        {
            float wi = Unsafe.Add(ref rw, i);
            d0 += wi * Unsafe.Add(ref r0, i);
            d1 += wi * Unsafe.Add(ref r1, i);
            d2 += wi * Unsafe.Add(ref r2, i);
            d3 += wi * Unsafe.Add(ref r3, i);
        }
    }
}
