using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// An int8 layer's linear part as a dense row-major sbyte matrix over the units that have a weight and the inputs some
/// weight reads: per unit, y_j = b_j + s_j · Σ_i q_ij x_i, the int8 values widened to float in registers as they are read.
/// </summary>
/// <remarks>
/// <para>
/// A quarter of the float kernel's bytes per weight: a row of 784 weights is 784 bytes, so a 300-unit layer's matrix
/// (235 KB) fits where the float one (940 KB) does not. One row runs eight units at a time against the input row
/// (loaded once per step for all eight); a block runs each int8 row against eight input rows at a time, so each group
/// of int8 values is widened to float once for eight rows, as the float <see cref="DenseKernel"/> shares each weight
/// load over its group of rows (<see cref="Int8DotProducts"/>: 16 values per step with AVX-512, 8 with AVX2).
/// </para>
/// <para>
/// Every dot product adds in one order whichever operand its group shares, so one row and a block give the same bits;
/// against the float forward pass the scale is applied once per unit instead of per weight (the bound is in
/// <see cref="Int8SparseColumnKernel"/>'s remarks; the dot product's own order of additions adds to it as the float
/// <see cref="DenseKernel"/>'s vectorised order does).
/// </para>
/// </remarks>
internal sealed class Int8DenseKernel : LayerKernel
{
    // Units per tile in the block product: sixteen int8 rows of a 784-wide layer (12.5 KB) stay in L1 while a group
    // of eight input rows (25 KB) is read against each.
    private const int UnitTile = 16;

    private const int Group = Int8DotProducts.Group;

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
        ReadOnlySpan<float> x = Gather(input, 0, scratch);
        if (_units is not null) _bias.CopyTo(output);
        ref byte xRow = ref AsBytes(x);
        int rows = _scales.Length, grouped = rows - rows % Group;
        Span<float> dots = stackalloc float[Group];
        for (int r = 0; r < grouped; r += Group)
        {
            // One input row against eight int8 rows: the input is loaded once per step for all eight.
            Int8DotProducts.Dot8<FloatLanes, Int8Lanes>(ref xRow, ref ValueRow(r), _columns, dots);
            for (int g = 0; g < Group; g++) Write(output, r + g, dots[g]);
        }
        for (int r = grouped; r < rows; r++) Write(output, r, Int8DotProducts.Dot<FloatLanes, Int8Lanes>(ref xRow, ref ValueRow(r), _columns));
    }

    /// <summary>
    /// A block: each int8 row, widened once per step, against eight input rows at a time, in tiles of units so that a
    /// tile's int8 rows stay in L1 while the block's groups of rows stream past; the rows left over run as one row does.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch)
    {
        if (inputs.Length < rowCount * InputSize || outputs.Length < rowCount * OutputSize) throw new ArgumentException("Block shorter than the layer.");
        int grouped = rowCount - rowCount % Group, rows = _scales.Length;
        // The grouped rows' inputs end to end: the rows themselves, or their used columns gathered into scratch.
        ReadOnlySpan<float> x = inputs;
        if (_inputs is not null)
        {
            for (int row = 0; row < grouped; row++) Gather(inputs.Slice(row * InputSize, InputSize), row, scratch);
            x = scratch.Slice(0, grouped * _columns);
        }
        if (_units is not null)
            for (int row = 0; row < grouped; row++) _bias.CopyTo(outputs.Slice(row * OutputSize, OutputSize));
        Span<float> dots = stackalloc float[Group];
        for (int tile = 0; tile < rows; tile += UnitTile)
        {
            int tileEnd = Math.Min(rows, tile + UnitTile);
            for (int first = 0; first < grouped; first += Group)
            {
                ref byte group = ref AsBytes(x.Slice(first * _columns, Group * _columns));
                for (int r = tile; r < tileEnd; r++)
                {
                    Int8DotProducts.Dot8<Int8Lanes, FloatLanes>(ref ValueRow(r), ref group, _columns, dots);
                    for (int g = 0; g < Group; g++) Write(outputs.Slice((first + g) * OutputSize, OutputSize), r, dots[g]);
                }
            }
        }
        for (int row = grouped; row < rowCount; row++)
            Forward(inputs.Slice(row * InputSize, InputSize), outputs.Slice(row * OutputSize, OutputSize), scratch);
    }

    /// <summary>Stored row <paramref name="storedRow"/>'s output: its sum times its unit's scale, plus the bias (one multiply, one add, as in every int8 kernel).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void Write(Span<float> output, int storedRow, float sum)
        => output[_units?[storedRow] ?? storedRow] = sum * _scales[storedRow] + _rowBias[storedRow];

    private ref byte ValueRow(int storedRow) => ref Unsafe.As<sbyte, byte>(ref _values[storedRow * _columns]);

    private static ref byte AsBytes(ReadOnlySpan<float> values) => ref Unsafe.As<float, byte>(ref MemoryMarshal.GetReference(values));

    /// <summary>The inputs the stored columns read, into slot <paramref name="slot"/> of scratch: the row itself when no input is dropped.</summary>
    private ReadOnlySpan<float> Gather(ReadOnlySpan<float> input, int slot, Span<float> scratch)
    {
        if (_inputs is null) return input.Slice(0, InputSize);
        int[] used = _inputs;
        Span<float> target = scratch.Slice(slot * used.Length, used.Length);
        for (int c = 0; c < used.Length; c++) target[c] = input[used[c]];
        return target;
    }
}
