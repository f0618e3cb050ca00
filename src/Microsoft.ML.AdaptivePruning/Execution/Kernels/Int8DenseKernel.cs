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
/// A block widens each group of 4 units' int8 rows to float once, into scratch that stays in the L1 cache, and runs
/// every row of the block against them: the widening is paid once per block instead of once per row, and the block
/// reads a quarter of the float kernel's weight bytes from memory. Widening is exact and both paths add in the same
/// order (<see cref="Dot4"/>, <see cref="Dot"/>), so one row and a block give the same bits; against the float
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

    /// <summary>
    /// The gather of the inputs a row reads, plus, spread over a block's rows, one group's rows widened to float
    /// (<see cref="WidenedGroup"/> rows of the stored columns).
    /// </summary>
    public override int ScratchPerRow => (_inputs?.Length ?? 0) + (WidenedGroup * _columns + FeatureMajorBlock - 1) / FeatureMajorBlock;

    public override bool IsFullMatrix => _units is null && _inputs is null;

    public override string Description
        => $"Int8 dense {_scales.Length}x{_columns} of {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    /// <summary>Units whose rows one pass widens and scores together.</summary>
    private const int WidenedGroup = 4;

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        if (input.Length < InputSize || output.Length < OutputSize) throw new ArgumentException("Row shorter than the layer.");
        ReadOnlySpan<float> x = Gather(input, scratch);
        if (_units is not null) _bias.CopyTo(output);
        int rows = _scales.Length, r = 0;
        Span<float> dots = stackalloc float[WidenedGroup];
        for (; r <= rows - WidenedGroup; r += WidenedGroup)
        {
            Dot4<sbyte, Int8Values>(x, _values.AsSpan(r * _columns, WidenedGroup * _columns), dots);
            for (int g = 0; g < WidenedGroup; g++) Write(output, r + g, dots[g]);
        }
        for (; r < rows; r++) Write(output, r, Dot<sbyte, Int8Values>(x, _values.AsSpan(r * _columns, _columns)));
    }

    /// <summary>
    /// Unit group by unit group: the group's int8 rows widened to float once, then every row of the block against
    /// them, each in the single-row path's order of additions (so the same bits as one row at a time).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch)
    {
        int gathered = _inputs is null ? 0 : rowCount * _columns;
        if (rowCount <= 1 || scratch.Length < gathered + WidenedGroup * _columns)
        {
            // One row, or scratch sized for rows alone (a caller other than the engine): the single-row path per row.
            for (int row = 0; row < rowCount; row++)
                Forward(inputs.Slice(row * InputSize, InputSize), outputs.Slice(row * OutputSize, OutputSize), scratch);
            return;
        }
        ReadOnlySpan<float> x = _inputs is null ? inputs.Slice(0, rowCount * InputSize) : GatherRows(inputs, rowCount, scratch.Slice(0, gathered));
        Span<float> widened = scratch.Slice(gathered, WidenedGroup * _columns);
        if (_units is not null)
            for (int row = 0; row < rowCount; row++) _bias.CopyTo(outputs.Slice(row * OutputSize, OutputSize));
        int rows = _scales.Length, r = 0;
        Span<float> dots = stackalloc float[WidenedGroup];
        for (; r <= rows - WidenedGroup; r += WidenedGroup)
        {
            Widen(_values.AsSpan(r * _columns, WidenedGroup * _columns), widened);
            for (int row = 0; row < rowCount; row++)
            {
                Dot4<float, WidenedValues>(x.Slice(row * _columns, _columns), widened, dots);
                Span<float> y = outputs.Slice(row * OutputSize, OutputSize);
                for (int g = 0; g < WidenedGroup; g++) Write(y, r + g, dots[g]);
            }
        }
        for (; r < rows; r++)
        {
            Span<float> one = widened.Slice(0, _columns);
            Widen(_values.AsSpan(r * _columns, _columns), one);
            for (int row = 0; row < rowCount; row++)
                Write(outputs.Slice(row * OutputSize, OutputSize), r, Dot<float, WidenedValues>(x.Slice(row * _columns, _columns), one));
        }
    }

    /// <summary>Stored row <paramref name="storedRow"/>'s output: its dot product times its scale, plus its bias.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write(Span<float> output, int storedRow, float dot)
        => output[_units?[storedRow] ?? storedRow] = dot * _scales[storedRow] + _rowBias[storedRow];

    /// <summary>The inputs the stored columns read: the row itself when no input is dropped.</summary>
    private ReadOnlySpan<float> Gather(ReadOnlySpan<float> input, Span<float> scratch)
    {
        if (_inputs is null) return input.Slice(0, InputSize);
        int[] used = _inputs;
        Span<float> target = scratch.Slice(0, used.Length);
        for (int c = 0; c < used.Length; c++) target[c] = input[used[c]];
        return target;
    }

    /// <summary>Every row's used inputs, row after row, into <paramref name="target"/>.</summary>
    private ReadOnlySpan<float> GatherRows(ReadOnlySpan<float> inputs, int rowCount, Span<float> target)
    {
        for (int row = 0; row < rowCount; row++) Gather(inputs.Slice(row * InputSize, InputSize), target.Slice(row * _columns, _columns));
        return target;
    }

    /// <summary>Int8 values as floats (exact: every int8 is a float).</summary>
    private static void Widen(ReadOnlySpan<sbyte> values, Span<float> target)
    {
        for (int k = 0; k < values.Length; k++) target[k] = values[k];
    }

    /// <summary>
    /// Four <see cref="Dot"/>s of one float row with consecutive weight rows, each in <see cref="Dot"/>'s order of additions
    /// (so a unit's output does not depend on its group), with four accumulator chains in flight and one load of the
    /// input per step: one chain alone waits on its additions.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Dot4<T, TRow>(ReadOnlySpan<float> x, ReadOnlySpan<T> rows, Span<float> dots) where T : unmanaged where TRow : IWeightValues<T>
    {
        int n = x.Length;
        if (rows.Length < 4 * n || dots.Length < 4) throw new ArgumentException("Group shorter than its operands.");
        if (!Avx512F.IsSupported)
        {
            for (int g = 0; g < 4; g++) dots[g] = Dot<T, TRow>(x, rows.Slice(g * n, n));
            return;
        }
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref T q0 = ref MemoryMarshal.GetReference(rows);
        ref T q1 = ref Unsafe.Add(ref q0, n);
        ref T q2 = ref Unsafe.Add(ref q1, n);
        ref T q3 = ref Unsafe.Add(ref q2, n);
        Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default;
        int i = 0;
        for (; i <= n - 16; i += 16)
        {
            Vector512<float> xv = Vector512.LoadUnsafe(ref rx, (nuint)i);
            a0 += TRow.Load16(ref q0, i) * xv;
            a1 += TRow.Load16(ref q1, i) * xv;
            a2 += TRow.Load16(ref q2, i) * xv;
            a3 += TRow.Load16(ref q3, i) * xv;
        }
        dots[0] = Tail<T, TRow>(x, rows.Slice(0, n), i, Vector512.Sum(a0));
        dots[1] = Tail<T, TRow>(x, rows.Slice(n, n), i, Vector512.Sum(a1));
        dots[2] = Tail<T, TRow>(x, rows.Slice(2 * n, n), i, Vector512.Sum(a2));
        dots[3] = Tail<T, TRow>(x, rows.Slice(3 * n, n), i, Vector512.Sum(a3));
    }

    /// <summary>
    /// The dot product of a float row with a weight row: vector lanes first (16 or 8 values per step), then their
    /// sum, then the scalar tail; the same order for every row, so every path gives the same bits.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Dot<T, TRow>(ReadOnlySpan<float> x, ReadOnlySpan<T> q) where T : unmanaged where TRow : IWeightValues<T>
    {
        int n = x.Length;
        if (q.Length < n) throw new ArgumentException("Weight row shorter than the input row.");
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref T row = ref MemoryMarshal.GetReference(q);
        int i = 0;
        float d = 0f;
        if (Avx512F.IsSupported)
        {
            Vector512<float> acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) acc += TRow.Load16(ref row, i) * Vector512.LoadUnsafe(ref rx, (nuint)i);
            d = Vector512.Sum(acc);
        }
        return Tail<T, TRow>(x, q, i, d);
    }

    /// <summary>The rest of a dot product from <paramref name="i"/> on, after the 16-wide part summed to <paramref name="d"/>: 8 at a time, then one by one.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static float Tail<T, TRow>(ReadOnlySpan<float> x, ReadOnlySpan<T> q, int i, float d) where T : unmanaged where TRow : IWeightValues<T>
    {
        int n = x.Length;
        ref float rx = ref MemoryMarshal.GetReference(x);
        ref T row = ref MemoryMarshal.GetReference(q);
        if (Avx2.IsSupported)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8) acc += TRow.Load8(ref row, i) * Vector256.LoadUnsafe(ref rx, (nuint)i);
            d += Vector256.Sum(acc);
        }
        for (; i < n; i++) d += TRow.At(ref row, i) * Unsafe.Add(ref rx, i);
        return d;
    }

    /// <summary>How a dot product reads weight values as floats: the int8 values themselves, or rows already widened.</summary>
    /// <remarks>Static members on struct implementations, so each reader compiles into its own copy of the loops with nothing to call.</remarks>
    private interface IWeightValues<T> where T : unmanaged
    {
        /// <summary>Sixteen values from <paramref name="i"/> on, as floats.</summary>
        static abstract Vector512<float> Load16(ref T row, int i);

        /// <summary>Eight values from <paramref name="i"/> on, as floats.</summary>
        static abstract Vector256<float> Load8(ref T row, int i);

        /// <summary>Value <paramref name="i"/>, as a float.</summary>
        static abstract float At(ref T row, int i);
    }

    /// <summary>Int8 values, sign-extended and converted to float in registers as they are read.</summary>
    private readonly struct Int8Values : IWeightValues<sbyte>
    {
        public static Vector512<float> Load16(ref sbyte row, int i)
            => Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref row, (nuint)i)));

        // Eight int8 values: one 64-bit load, sign-extended to eight ints, converted to eight floats.
        public static Vector256<float> Load8(ref sbyte row, int i)
            => Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(
                Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<sbyte, byte>(ref Unsafe.Add(ref row, i)))).AsSByte()));

        public static float At(ref sbyte row, int i) => Unsafe.Add(ref row, i);
    }

    /// <summary>Int8 values already widened to float (<see cref="Widen"/>): the same floats, read as they are.</summary>
    private readonly struct WidenedValues : IWeightValues<float>
    {
        public static Vector512<float> Load16(ref float row, int i) => Vector512.LoadUnsafe(ref row, (nuint)i);

        public static Vector256<float> Load8(ref float row, int i) => Vector256.LoadUnsafe(ref row, (nuint)i);

        public static float At(ref float row, int i) => Unsafe.Add(ref row, i);
    }
}
