using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Moves a block of rows between row-major ([row, value]) and feature-major ([value, row], <see cref="LayerKernel.FeatureMajorBlock"/> rows) layouts.</summary>
internal static class BlockTranspose
{
    private const int Block = LayerKernel.FeatureMajorBlock;

    /// <summary>
    /// Writes <paramref name="rowCount"/> rows of <paramref name="width"/> values feature-major; rows past the count read
    /// zero, so the lanes a kernel computes for them stay finite.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToFeatureMajor(ReadOnlySpan<float> rows, int rowCount, int width, Span<float> block)
    {
        if (rowCount > Block || rows.Length < rowCount * width || block.Length < width * Block)
            throw new ArgumentException("Block larger than its buffers.");
        ref float source = ref MemoryMarshal.GetReference(rows);
        ref float target = ref MemoryMarshal.GetReference(block);
        for (int r = 0; r < rowCount; r++)
        {
            ref float row = ref Unsafe.Add(ref source, r * width);
            ref float lane = ref Unsafe.Add(ref target, r);
            for (int i = 0; i < width; i++) Unsafe.Add(ref lane, i * Block) = Unsafe.Add(ref row, i);
        }
        if (rowCount == Block) return;
        for (int i = 0; i < width; i++) block.Slice(i * Block + rowCount, Block - rowCount).Clear();
    }

    /// <summary>Writes the first <paramref name="rowCount"/> rows of a feature-major block of <paramref name="width"/> values row-major.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ToRowMajor(ReadOnlySpan<float> block, int rowCount, int width, Span<float> rows)
    {
        if (rowCount > Block || block.Length < width * Block || rows.Length < rowCount * width)
            throw new ArgumentException("Block larger than its buffers.");
        ref float source = ref MemoryMarshal.GetReference(block);
        ref float target = ref MemoryMarshal.GetReference(rows);
        for (int i = 0; i < width; i++)
        {
            ref float lanes = ref Unsafe.Add(ref source, i * Block);
            ref float column = ref Unsafe.Add(ref target, i);
            for (int r = 0; r < rowCount; r++) Unsafe.Add(ref column, r * width) = Unsafe.Add(ref lanes, r);
        }
    }
}
