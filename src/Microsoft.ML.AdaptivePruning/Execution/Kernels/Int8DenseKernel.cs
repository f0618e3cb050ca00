using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// An int8 layer's linear part as a dense row-major sbyte matrix over the units that have a weight and the inputs some
/// weight reads: per unit, y_j = b_j + s_j · Σ_i q_ij x_i, the int8 values widened to float in registers as they are read.
/// </summary>
/// <remarks>
/// <para>
/// A quarter of the float kernel's bytes per weight: a row of 784 weights is 784 bytes, so a 300-unit layer's matrix
/// (235 KB) fits where the float one (940 KB) does not. Each group of 4 units shares one load of the input row; each
/// int8 group of 16 (AVX-512) or 8 (AVX2) is sign-extended and converted to float in two instructions.
/// </para>
/// <para>
/// One row and a block run the same per-row code (a block row by row), so they give the same bits; against the float
/// forward pass the scale is applied once per unit instead of per weight (the bound is in
/// <see cref="Int8SparseColumnKernel"/>'s remarks; the dot product's own order of additions adds to it as the float
/// <see cref="DenseKernel"/>'s vectorised order does).
/// </para>
/// </remarks>
internal sealed class Int8DenseKernel : LayerKernel
{
    private readonly sbyte[] _values;     // [rows, columns], row-major
    private readonly float[] _scales;     // [rows]: the scale of each stored row's unit
    private readonly float[] _rowBias;    // [rows]: the bias of each stored row's unit
    private readonly float[] _bias;       // [OutputSize]: written first when units are dropped
    private readonly int[]? _units;       // output index of each stored row; null = every unit, in order
    private readonly int[]? _inputs;      // input index of each stored column; null = every input, in order
    private readonly int _columns;

    private Int8DenseKernel(int inputSize, int outputSize, sbyte[] values, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, int[]? units, int[]? inputs)
        : base(inputSize, outputSize)
    {
        _values = values;
        _units = units;
        _inputs = inputs;
        _columns = inputs?.Length ?? inputSize;
        _bias = bias.ToArray();
        int rows = units?.Length ?? outputSize;
        _scales = new float[rows];
        _rowBias = new float[rows];
        for (int r = 0; r < rows; r++)
        {
            _scales[r] = scales[units?[r] ?? r];
            _rowBias[r] = bias[units?[r] ?? r];
        }
    }

    /// <summary>The full matrix, zeros included.</summary>
    public static Int8DenseKernel Full(int inputSize, int outputSize, ReadOnlySpan<sbyte> rowMajorValues, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias)
        => new(inputSize, outputSize, rowMajorValues.ToArray(), scales, bias, units: null, inputs: null);

    /// <summary>The matrix without the units that have no nonzero value and, when that pays, the inputs none reads.</summary>
    public static Int8DenseKernel Compacted(int inputSize, int outputSize, ReadOnlySpan<sbyte> rowMajorValues, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias, SparsityPattern pattern)
    {
        int[]? units = pattern.UsedUnits.Length == outputSize ? null : pattern.UsedUnits;
        int[]? inputs = pattern.UsedInputs.Length == inputSize ? null : pattern.UsedInputs;
        int columns = inputs?.Length ?? inputSize;
        int rows = units?.Length ?? outputSize;
        var values = new sbyte[(long)rows * columns];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<sbyte> source = rowMajorValues.Slice((units?[r] ?? r) * inputSize, inputSize);
            Span<sbyte> target = values.AsSpan(r * columns, columns);
            if (inputs is null) source.CopyTo(target);
            else for (int c = 0; c < columns; c++) target[c] = source[inputs[c]];
        }
        return new(inputSize, outputSize, values, scales, bias, units, inputs);
    }

    public override KernelLayout Layout => KernelLayout.Dense;

    public override long StoredWeightCount => _values.Length;

    public override int ScratchPerRow => _inputs?.Length ?? 0;

    public override bool IsFullMatrix => _units is null && _inputs is null;

    public override string Description
        => $"Int8 dense {_scales.Length}x{_columns} of {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        if (input.Length < InputSize || output.Length < OutputSize) throw new ArgumentException("Row shorter than the layer.");
        ReadOnlySpan<float> x = Gather(input, scratch);
        if (_units is not null) _bias.CopyTo(output);
        int rows = _scales.Length, r = 0;
        Span<float> dots = stackalloc float[4];
        for (; r <= rows - 4; r += 4)
        {
            Dot4(x, _values.AsSpan(r * _columns, 4 * _columns), dots);
            for (int g = 0; g < 4; g++) output[_units?[r + g] ?? r + g] = dots[g] * _scales[r + g] + _rowBias[r + g];
        }
        for (; r < rows; r++)
            output[_units?[r] ?? r] = Dot(x, _values.AsSpan(r * _columns, _columns)) * _scales[r] + _rowBias[r];
    }

    /// <summary>Row by row through the single-row path, so a row scores the same bits alone or in a block.</summary>
    public override void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch)
    {
        for (int row = 0; row < rowCount; row++)
            Forward(inputs.Slice(row * InputSize, InputSize), outputs.Slice(row * OutputSize, OutputSize), scratch);
    }

    /// <summary>The inputs the stored columns read: the row itself when no input is dropped.</summary>
    private ReadOnlySpan<float> Gather(ReadOnlySpan<float> input, Span<float> scratch)
    {
        if (_inputs is null) return input.Slice(0, InputSize);
        int[] used = _inputs;
        Span<float> target = scratch.Slice(0, used.Length);
        for (int c = 0; c < used.Length; c++) target[c] = input[used[c]];
        return target;
    }

    /// <summary>
    /// Four <see cref="Dot"/>s of one float row with consecutive int8 rows, each in <see cref="Dot"/>'s order of additions
    /// (so a unit's output does not depend on its group), with four accumulator chains in flight and one load of the
    /// input per step: one chain alone waits on its additions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4(ReadOnlySpan<float> x, ReadOnlySpan<sbyte> rows, Span<float> dots)
    {
        int n = x.Length;
        if (rows.Length < 4 * n || dots.Length < 4) throw new ArgumentException("Group shorter than its operands.");
        if (!Avx512F.IsSupported)
        {
            for (int g = 0; g < 4; g++) dots[g] = Dot(x, rows.Slice(g * n, n));
            return;
        }
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref sbyte q0 = ref MemoryMarshal.GetReference(rows);
        ref sbyte q1 = ref Unsafe.Add(ref q0, n);
        ref sbyte q2 = ref Unsafe.Add(ref q1, n);
        ref sbyte q3 = ref Unsafe.Add(ref q2, n);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int i = 0;
        for (; i <= n - 16; i += 16)
        {
            Vector512<float> xv = Vector512.LoadUnsafe(ref rx, (nuint)i);
            a0 += Widen16(ref q0, i) * xv;
            a1 += Widen16(ref q1, i) * xv;
            a2 += Widen16(ref q2, i) * xv;
            a3 += Widen16(ref q3, i) * xv;
        }
        dots[0] = Tail(x, rows.Slice(0, n), i, Vector512.Sum(a0));
        dots[1] = Tail(x, rows.Slice(n, n), i, Vector512.Sum(a1));
        dots[2] = Tail(x, rows.Slice(2 * n, n), i, Vector512.Sum(a2));
        dots[3] = Tail(x, rows.Slice(3 * n, n), i, Vector512.Sum(a3));
    }

    /// <summary>Sixteen int8 values from <paramref name="i"/> on, sign-extended and converted to float.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static Vector512<float> Widen16(ref sbyte row, int i)
        => Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref row, (nuint)i)));

    /// <summary>
    /// The dot product of a float row with an int8 row: vector lanes first (16 or 8 values widened per step), then their
    /// sum, then the scalar tail; the same order for every row, so every path gives the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot(ReadOnlySpan<float> x, ReadOnlySpan<sbyte> q)
    {
        int n = x.Length;
        if (q.Length < n) throw new ArgumentException("Weight row shorter than the input row.");
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref sbyte row = ref MemoryMarshal.GetReference(q);
        int i = 0;
        float d = 0f;
        if (Avx512F.IsSupported)
        {
            Vector512<float> acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) acc += Widen16(ref row, i) * Vector512.LoadUnsafe(ref rx, (nuint)i);
            d = Vector512.Sum(acc);
        }
        return Tail(x, q, i, d);
    }

    /// <summary>The rest of a dot product from <paramref name="i"/> on, after the 16-wide part summed to <paramref name="d"/>: 8 at a time, then one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail(ReadOnlySpan<float> x, ReadOnlySpan<sbyte> q, int i, float d)
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref sbyte row = ref MemoryMarshal.GetReference(q);
        if (Avx2.IsSupported)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8)
            {
                // Eight int8 values: one 64-bit load, sign-extended to eight ints, converted to eight floats.
                Vector128<sbyte> eight = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref row, i)))).AsSByte();
                acc += Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(eight)) * Vector256.LoadUnsafe(ref rx, (nuint)i);
            }
            d += Vector256.Sum(acc);
        }
        for (; i < n; i++) d += Unsafe.Add(ref row, i) * Unsafe.Add(ref rx, i);
        return d;
    }
}
