using System;
using System.Numerics;
using System.Runtime.Intrinsics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A linear part as a dense row-major matrix over the units that have a weight and the inputs some weight reads:
/// one vectorised dot product per unit for a row, eight rows at a time for a block.
/// </summary>
/// <remarks>
/// A unit with no weight left writes its bias and costs nothing; an input no weight reads is never touched: the used
/// inputs are gathered once per row into scratch, a copy of at most one value per column against a multiply-add per
/// weight. With no unit and no input dropped this is the plain dense product a dense scorer runs.
/// One row runs eight units at a time against the row, a block eight rows at a time against each unit, through the
/// same eight-way dot product with the same order of additions per (row, unit), so a row scores bit-identically alone
/// or in a block. (TensorPrimitives.Dot per unit for one row sums in its own order, which put the two paths up to
/// 3e-5 apart; eight units at a time keep eight accumulator chains in flight, where four left the row path waiting on
/// its additions.)
/// </remarks>
internal sealed class DenseKernel : LayerKernel
{
    // Units per tile in the block product: a tile of rows of a 784-wide layer (50 KB) stays in L2 while every group
    // of eight input rows streams past it.
    private const int UnitTile = 16;

    // Dot products computed together (DotGroup): eight accumulator chains in flight.
    private const int Group = 8;

    private readonly AlignedBuffer<float> _weights;   // [units.Length or OutputSize, columns], row-major, from a cache line
    private readonly float[] _bias;      // [OutputSize]
    private readonly int[]? _units;      // output index of each stored row; null = every unit, in order
    private readonly int[]? _inputs;     // input index of each stored column; null = every input, in order
    private readonly int _columns;

    private DenseKernel(int inputSize, int outputSize, AlignedBuffer<float> weights, float[] bias, int[]? units, int[]? inputs)
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
    {
        var weights = new AlignedBuffer<float>(rowMajorWeights.Length);
        rowMajorWeights.CopyTo(weights.Span);
        return new(inputSize, outputSize, weights, bias.ToArray(), units: null, inputs: null);
    }

    /// <summary>The matrix without the units that have no nonzero weight and, when that pays, the inputs none reads.</summary>
    public static DenseKernel Compacted(int inputSize, int outputSize, ReadOnlySpan<float> rowMajorWeights, ReadOnlySpan<float> bias, SparsityPattern pattern)
    {
        int[]? units = pattern.UsedUnits.Length == outputSize ? null : pattern.UsedUnits;
        int[]? inputs = pattern.UsedInputs.Length == inputSize ? null : pattern.UsedInputs;
        int columns = inputs?.Length ?? inputSize;
        int rows = units?.Length ?? outputSize;
        var weights = new AlignedBuffer<float>((long)rows * columns);
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> source = rowMajorWeights.Slice((units?[r] ?? r) * inputSize, inputSize);
            Span<float> target = weights.Span.Slice(r * columns, columns);
            if (inputs is null) source.CopyTo(target);
            else for (int c = 0; c < columns; c++) target[c] = source[inputs[c]];
        }
        return new(inputSize, outputSize, weights, bias.ToArray(), units, inputs);
    }

    public override KernelLayout Layout => KernelLayout.Dense;

    public override long StoredWeightCount => _weights.Length;

    public override int ScratchPerRow => _inputs?.Length ?? 0;

    public override bool IsFullMatrix => _units is null && _inputs is null;

    public override string Description
        => $"Dense {_units?.Length ?? OutputSize}x{_columns} of {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        ReadOnlySpan<float> x = Gather(input, 1, scratch);
        int units = _units?.Length ?? OutputSize;
        if (_units is not null) _bias.CopyTo(output);
        Span<float> dots = stackalloc float[Group];
        int grouped = units - units % Group;
        for (int r = 0; r < grouped; r += Group)
        {
            DotGroup(x, _weights.Span.Slice(r * _columns, Group * _columns), dots);
            for (int g = 0; g < Group; g++) Accumulate(output, r + g, dots[g]);
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

        Span<float> dots = stackalloc float[Group];
        int grouped = rowCount - rowCount % Group;
        for (int tile = 0; tile < units; tile += UnitTile)
        {
            int tileEnd = Math.Min(units, tile + UnitTile);
            for (int row = 0; row < grouped; row += Group)
            {
                ReadOnlySpan<float> group = x.Slice(row * _columns, Group * _columns);
                for (int r = tile; r < tileEnd; r++)
                {
                    DotGroup(WeightRow(r), group, dots);
                    for (int g = 0; g < Group; g++) Accumulate(outputs.Slice((row + g) * outputSize, outputSize), r, dots[g]);
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

    private ReadOnlySpan<float> WeightRow(int storedRow) => _weights.Span.Slice(storedRow * _columns, _columns);

    /// <summary>Writes stored row <paramref name="storedRow"/>'s output of one row: bias plus dot (the bias is already there when units are dropped).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Accumulate(Span<float> output, int storedRow, float dot)
    {
        if (_units is null) output[storedRow] = _bias[storedRow] + dot;
        else output[_units[storedRow]] += dot;
    }

    /// <summary>The inputs the stored columns read, row by row: the rows themselves when no input is dropped.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // as the Forward methods that call it
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

    /// <summary>One dot product, adding in the order of each of <see cref="DotGroup"/>'s.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // as the Forward methods that call it
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
    /// <see cref="Group"/> dot products sharing one operand, loaded once for all: a weight row against consecutive
    /// input rows, or an input row against consecutive weight rows (<paramref name="others"/> holds them end to end).
    /// Eight independent accumulator chains keep the vector unit busy where one dot product waits on its additions;
    /// each product adds in the order <see cref="Dot1"/> does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]   // as the Forward methods that call it
    private static void DotGroup(ReadOnlySpan<float> shared, ReadOnlySpan<float> others, Span<float> dots)
    {
        int n = shared.Length;
        if (others.Length < Group * n || dots.Length < Group) throw new ArgumentException("Group shorter than its operands.");
        ref float rs = ref MemoryMarshal.GetReference(shared);
        ref float r0 = ref MemoryMarshal.GetReference(others);
        ref float r1 = ref Unsafe.Add(ref r0, n);
        ref float r2 = ref Unsafe.Add(ref r1, n);
        ref float r3 = ref Unsafe.Add(ref r2, n);
        ref float r4 = ref Unsafe.Add(ref r3, n);
        ref float r5 = ref Unsafe.Add(ref r4, n);
        ref float r6 = ref Unsafe.Add(ref r5, n);
        ref float r7 = ref Unsafe.Add(ref r6, n);
        int i = 0;
        float d0 = 0f, d1 = 0f, d2 = 0f, d3 = 0f, d4 = 0f, d5 = 0f, d6 = 0f, d7 = 0f;
        // Vector<T> stays 256 bits wide on AVX-512 hardware; the explicit 512-bit path doubles the work per load there.
        if (Vector512.IsHardwareAccelerated)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (; i <= n - Vector512<float>.Count; i += Vector512<float>.Count)
            {
                Vector512<float> s = Vector512.LoadUnsafe(ref rs, (nuint)i);
                a0 += s * Vector512.LoadUnsafe(ref r0, (nuint)i);
                a1 += s * Vector512.LoadUnsafe(ref r1, (nuint)i);
                a2 += s * Vector512.LoadUnsafe(ref r2, (nuint)i);
                a3 += s * Vector512.LoadUnsafe(ref r3, (nuint)i);
                a4 += s * Vector512.LoadUnsafe(ref r4, (nuint)i);
                a5 += s * Vector512.LoadUnsafe(ref r5, (nuint)i);
                a6 += s * Vector512.LoadUnsafe(ref r6, (nuint)i);
                a7 += s * Vector512.LoadUnsafe(ref r7, (nuint)i);
            }
            d0 = Vector512.Sum(a0); d1 = Vector512.Sum(a1); d2 = Vector512.Sum(a2); d3 = Vector512.Sum(a3);
            d4 = Vector512.Sum(a4); d5 = Vector512.Sum(a5); d6 = Vector512.Sum(a6); d7 = Vector512.Sum(a7);
        }
        Vector<float> v0 = default, v1 = default, v2 = default, v3 = default, v4 = default, v5 = default, v6 = default, v7 = default;
        for (; i <= n - Vector<float>.Count; i += Vector<float>.Count)
        {
            Vector<float> s = Vector.LoadUnsafe(ref rs, (nuint)i);
            v0 += s * Vector.LoadUnsafe(ref r0, (nuint)i);
            v1 += s * Vector.LoadUnsafe(ref r1, (nuint)i);
            v2 += s * Vector.LoadUnsafe(ref r2, (nuint)i);
            v3 += s * Vector.LoadUnsafe(ref r3, (nuint)i);
            v4 += s * Vector.LoadUnsafe(ref r4, (nuint)i);
            v5 += s * Vector.LoadUnsafe(ref r5, (nuint)i);
            v6 += s * Vector.LoadUnsafe(ref r6, (nuint)i);
            v7 += s * Vector.LoadUnsafe(ref r7, (nuint)i);
        }
        d0 += Vector.Sum(v0); d1 += Vector.Sum(v1); d2 += Vector.Sum(v2); d3 += Vector.Sum(v3);
        d4 += Vector.Sum(v4); d5 += Vector.Sum(v5); d6 += Vector.Sum(v6); d7 += Vector.Sum(v7);
        for (; i < n; i++)
        {
            float si = Unsafe.Add(ref rs, i);
            d0 += si * Unsafe.Add(ref r0, i);
            d1 += si * Unsafe.Add(ref r1, i);
            d2 += si * Unsafe.Add(ref r2, i);
            d3 += si * Unsafe.Add(ref r3, i);
            d4 += si * Unsafe.Add(ref r4, i);
            d5 += si * Unsafe.Add(ref r5, i);
            d6 += si * Unsafe.Add(ref r6, i);
            d7 += si * Unsafe.Add(ref r7, i);
        }
        dots[0] = d0; dots[1] = d1; dots[2] = d2; dots[3] = d3; dots[4] = d4; dots[5] = d5; dots[6] = d6; dots[7] = d7;
    }
}
