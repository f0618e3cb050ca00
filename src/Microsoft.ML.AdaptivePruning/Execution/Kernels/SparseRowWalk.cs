using System;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Picks, for each row, the faster of a sparse layer's two single-row walks: the slices (every kept weight, eight at a
/// time) or the columns of the row's nonzero inputs only.
/// </summary>
/// <remarks>
/// The slices cost the same for every row; the column walk costs what the row's nonzero inputs read, so it wins on rows
/// that are mostly zeros (MNIST's blank pixels, a ReLU layer's outputs) and loses on rows with few zeros. Both add each
/// unit's products in input order and give the same bits, so the choice changes only the time. The crossover is a
/// count of nonzero inputs fixed per layer from <see cref="KernelCostModel"/>'s measured costs; counting a row's
/// nonzeros is a vector compare per eight inputs and stops as soon as the count reaches the crossover.
/// </remarks>
internal readonly struct SparseRowWalk
{
    private readonly int _columnsBelow;   // the column walk runs a row with fewer nonzero inputs than this

    public SparseRowWalk(int inputSize, long nonzeros, int sliceSteps)
        => _columnsBelow = KernelCostModel.RowColumnsBelowNonzeroInputs(inputSize, nonzeros, sliceSteps);

    private SparseRowWalk(int columnsBelow) => _columnsBelow = columnsBelow;

    /// <summary>The walk of a layer without slices: every row on the columns.</summary>
    public static SparseRowWalk ColumnsOnly => new(int.MaxValue);

    /// <summary>Rows with fewer nonzero inputs than this run on the columns.</summary>
    public int ColumnsBelowNonzeroInputs => _columnsBelow;

    /// <summary>Whether <paramref name="input"/> has few enough nonzero values (a NaN counts as one) for the column walk to be faster.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public bool ColumnsFaster(ReadOnlySpan<float> input) => _columnsBelow > 0 && NonzeroCount(input, _columnsBelow) < _columnsBelow;

    /// <summary>Nonzero values of <paramref name="values"/>, counted until the count reaches <paramref name="enough"/>.</summary>
    internal static int NonzeroCount(ReadOnlySpan<float> values, int enough)
    {
        ref float x = ref MemoryMarshal.GetReference(values);
        int count = 0, i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i <= values.Length - Vector256<float>.Count && count < enough; i += Vector256<float>.Count)
            {
                uint zero = Vector256.Equals(Vector256.LoadUnsafe(ref x, (nuint)i), Vector256<float>.Zero).ExtractMostSignificantBits();
                count += Vector256<float>.Count - BitOperations.PopCount(zero);
            }
        }
        for (; i < values.Length && count < enough; i++) if (Unsafe.Add(ref x, i) != 0f) count++;
        return count;
    }
}
