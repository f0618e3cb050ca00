using System;
using System.Numerics;
using System.Runtime.CompilerServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A layer's nonzero weights in both layouts the sparse kernels run: slices of eight units for one row, compressed
/// columns for feature-major blocks and for rows that are mostly zeros.
/// </summary>
/// <remarks>
/// Both layouts are kept because the engine shares one kernel between its single-row and its batched path when both
/// pick the sparse layout, and each layout is the faster one for its path. Each costs about a value and an int per kept
/// weight (the slices a little more for their padding): at 98% sparsity both together hold a tenth of the memory of the
/// dense matrix. A layer of more than <see cref="SparseSlices{T}.MaxInputs"/> inputs keeps the columns only and runs
/// every row on them. Generic over the stored value (float weights, int8 values) as both layouts are.
/// </remarks>
internal sealed class SparseWeights<T> where T : unmanaged, INumberBase<T>
{
    private readonly SparseColumns<T> _columns;
    private readonly SparseSlices<T>? _slices;   // null for a layer too wide for the slices' 16-bit indices
    private readonly SparseRowWalk _rowWalk;
    private readonly int _inputSize;

    public SparseWeights(int inputSize, int outputSize, ReadOnlySpan<T> rowMajor, long nonzeros)
    {
        _inputSize = inputSize;
        _columns = new SparseColumns<T>(inputSize, outputSize, rowMajor, nonzeros);
        _slices = inputSize <= SparseSlices<T>.MaxInputs ? new SparseSlices<T>(inputSize, outputSize, rowMajor) : null;
        _rowWalk = _slices is null ? SparseRowWalk.ColumnsOnly : new SparseRowWalk(inputSize, nonzeros, _slices.Steps);
    }

    /// <summary>Kept weights (each stored once per layout).</summary>
    public int Count => _columns.Count;

    /// <summary>The row walk's crossover: rows with fewer nonzero inputs run on the columns.</summary>
    internal int ColumnsBelowNonzeroInputs => _rowWalk.ColumnsBelowNonzeroInputs;

    /// <summary>The slices alone (tests and benchmarks set the two row walks side by side); null for a layer of more than <see cref="SparseSlices{T}.MaxInputs"/> inputs.</summary>
    internal SparseSlices<T>? Slices => _slices;

    /// <summary>The columns alone.</summary>
    internal SparseColumns<T> Columns => _columns;

    /// <summary>
    /// Adds one row's share to <paramref name="sums"/> (prepared by the caller) through the walk that is faster for this
    /// row; both give the same bits. The caller has checked both lengths.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddRow(ReadOnlySpan<float> input, Span<float> sums)
    {
        ReadOnlySpan<float> row = input.Slice(0, _inputSize);
        if (_slices is null || _rowWalk.ColumnsFaster(row)) _columns.AddRow(row, sums);
        else _slices.AddRow(row, sums);
    }

    /// <summary>Adds a feature-major block's share to <paramref name="sums"/>, on the columns (<see cref="SparseColumns{T}.AddBlock"/>).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void AddBlock(ReadOnlySpan<float> inputs, Span<float> sums) => _columns.AddBlock(inputs, sums);
}
