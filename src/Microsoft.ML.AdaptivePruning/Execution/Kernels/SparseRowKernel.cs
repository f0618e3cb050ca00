using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A linear part as compressed sparse rows (CSR) over the nonzero weights only: per unit, its bias plus its kept
/// weights times the inputs they read, in input order.
/// </summary>
/// <remarks>
/// Memory follows the kept count (a float and an int per weight, an int per unit). A block runs the same sums two rows
/// at a time (each weight and column index loaded once for both) in the same order, so a row scores bit-identically
/// alone or in a block. Inputs no weight reads are never touched.
/// </remarks>
internal sealed class SparseRowKernel : LayerKernel
{
    private readonly float[] _values;    // nonzero weights, unit by unit, input order
    private readonly int[] _columns;     // input index of each value
    private readonly int[] _unitStart;   // [OutputSize + 1]: unit u owns values [_unitStart[u], _unitStart[u + 1])
    private readonly float[] _bias;

    public SparseRowKernel(int inputSize, int outputSize, ReadOnlySpan<float> rowMajorWeights, ReadOnlySpan<float> bias, SparsityPattern pattern)
        : base(inputSize, outputSize)
    {
        _values = new float[pattern.Nonzeros];
        _columns = new int[pattern.Nonzeros];
        _unitStart = new int[outputSize + 1];
        _bias = bias.ToArray();
        int k = 0;
        for (int u = 0; u < outputSize; u++)
        {
            _unitStart[u] = k;
            ReadOnlySpan<float> row = rowMajorWeights.Slice(u * inputSize, inputSize);
            for (int i = 0; i < inputSize; i++)
            {
                if (row[i] == 0f) continue;
                _values[k] = row[i];
                _columns[k] = i;
                k++;
            }
        }
        _unitStart[outputSize] = k;
    }

    public override KernelLayout Layout => KernelLayout.Sparse;

    public override long StoredWeightCount => _values.Length;

    public override string Description => $"Sparse {OutputSize}x{InputSize}, {StoredWeightCount:N0} weights";

    // Compiled fully optimised at first call: tiered compilation would run the first thousands of rows on unoptimised code.
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        // Checked once here, so the inner loop reads without bounds checks: every column index is below InputSize.
        if (input.Length < InputSize || output.Length < OutputSize) throw new ArgumentException("Row shorter than the layer.");
        ref float x = ref MemoryMarshal.GetReference(input);
        for (int u = 0; u < OutputSize; u++) output[u] = UnitSum(u, ref x);
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public override void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch)
    {
        if (inputs.Length < (long)rowCount * InputSize || outputs.Length < (long)rowCount * OutputSize)
            throw new ArgumentException("Block shorter than its rows.");
        int paired = rowCount & ~1;
        for (int row = 0; row < paired; row += 2)
        {
            ref float x0 = ref Unsafe.AsRef(in inputs[row * InputSize]);
            ref float x1 = ref Unsafe.Add(ref x0, InputSize);
            Span<float> y = outputs.Slice(row * OutputSize, 2 * OutputSize);
            for (int u = 0; u < OutputSize; u++) UnitSums(u, ref x0, ref x1, out y[u], out y[OutputSize + u]);
        }
        if (paired < rowCount) Forward(inputs.Slice(paired * InputSize, InputSize), outputs.Slice(paired * OutputSize, OutputSize), scratch);
    }

    /// <summary>
    /// Unit <paramref name="u"/>'s output for one row. Four partial sums (weight k goes to sum k mod 4) keep four
    /// multiply-adds in flight instead of waiting on one chain; <see cref="UnitSums"/> adds in exactly this order.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private float UnitSum(int u, ref float x)
    {
        ref float value = ref MemoryArray(_values);
        ref int column = ref MemoryArray(_columns);
        int k = _unitStart[u], end = _unitStart[u + 1];
        float s0 = 0, s1 = 0, s2 = 0, s3 = 0;
        for (; k + 3 < end; k += 4)
        {
            s0 += Unsafe.Add(ref value, k) * Unsafe.Add(ref x, Unsafe.Add(ref column, k));
            s1 += Unsafe.Add(ref value, k + 1) * Unsafe.Add(ref x, Unsafe.Add(ref column, k + 1));
            s2 += Unsafe.Add(ref value, k + 2) * Unsafe.Add(ref x, Unsafe.Add(ref column, k + 2));
            s3 += Unsafe.Add(ref value, k + 3) * Unsafe.Add(ref x, Unsafe.Add(ref column, k + 3));
        }
        if (k < end) s0 += Unsafe.Add(ref value, k) * Unsafe.Add(ref x, Unsafe.Add(ref column, k));
        if (k + 1 < end) s1 += Unsafe.Add(ref value, k + 1) * Unsafe.Add(ref x, Unsafe.Add(ref column, k + 1));
        if (k + 2 < end) s2 += Unsafe.Add(ref value, k + 2) * Unsafe.Add(ref x, Unsafe.Add(ref column, k + 2));
        return _bias[u] + ((s0 + s1) + (s2 + s3));
    }

    /// <summary>Unit <paramref name="u"/>'s output for two rows at once, each weight and index loaded once; rounds as <see cref="UnitSum"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private void UnitSums(int u, ref float x0, ref float x1, out float y0, out float y1)
    {
        ref float value = ref MemoryArray(_values);
        ref int column = ref MemoryArray(_columns);
        int k = _unitStart[u], end = _unitStart[u + 1];
        float a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
        for (; k + 3 < end; k += 4)
        {
            float w0 = Unsafe.Add(ref value, k), w1 = Unsafe.Add(ref value, k + 1), w2 = Unsafe.Add(ref value, k + 2), w3 = Unsafe.Add(ref value, k + 3);
            int c0 = Unsafe.Add(ref column, k), c1 = Unsafe.Add(ref column, k + 1), c2 = Unsafe.Add(ref column, k + 2), c3 = Unsafe.Add(ref column, k + 3);
            a0 += w0 * Unsafe.Add(ref x0, c0);
            b0 += w0 * Unsafe.Add(ref x1, c0);
            a1 += w1 * Unsafe.Add(ref x0, c1);
            b1 += w1 * Unsafe.Add(ref x1, c1);
            a2 += w2 * Unsafe.Add(ref x0, c2);
            b2 += w2 * Unsafe.Add(ref x1, c2);
            a3 += w3 * Unsafe.Add(ref x0, c3);
            b3 += w3 * Unsafe.Add(ref x1, c3);
        }
        for (int j = 0; k < end; k++, j++)
        {
            float w = Unsafe.Add(ref value, k);
            int c = Unsafe.Add(ref column, k);
            if (j == 0) { a0 += w * Unsafe.Add(ref x0, c); b0 += w * Unsafe.Add(ref x1, c); }
            else if (j == 1) { a1 += w * Unsafe.Add(ref x0, c); b1 += w * Unsafe.Add(ref x1, c); }
            else { a2 += w * Unsafe.Add(ref x0, c); b2 += w * Unsafe.Add(ref x1, c); }
        }
        float bias = _bias[u];
        y0 = bias + ((a0 + a1) + (a2 + a3));
        y1 = bias + ((b0 + b1) + (b2 + b3));
    }

    private static ref T MemoryArray<T>(T[] array) => ref MemoryMarshal.GetArrayDataReference(array);
}
