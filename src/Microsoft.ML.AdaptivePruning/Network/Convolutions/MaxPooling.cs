using System;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Non-overlapping max pooling of a channel-major row, shared by the managed forward pass and the engine so both pool alike.</summary>
internal static class MaxPooling
{
    /// <summary>
    /// Pools each filter's H'×W' output with a PoolSize window and stride into H''×W''; windows that do not fit are
    /// dropped (floor mode, as libtorch's and ONNX's defaults).
    /// </summary>
    public static void Apply(in ConvolutionGeometry g, ReadOnlySpan<float> convolved, Span<float> pooled)
    {
        int q = g.PoolSize, inH = g.ConvolvedHeight, inW = g.ConvolvedWidth, outH = g.OutputHeight, outW = g.OutputWidth;
        if (q == 2)
        {
            Pairs(g, convolved, pooled);
            return;
        }
        for (int f = 0; f < g.Filters; f++)
        {
            ReadOnlySpan<float> plane = convolved.Slice(f * inH * inW, inH * inW);
            Span<float> target = pooled.Slice(f * outH * outW, outH * outW);
            for (int y = 0; y < outH; y++)
            {
                for (int x = 0; x < outW; x++)
                {
                    float max = float.NegativeInfinity;
                    for (int dy = 0; dy < q; dy++)
                    {
                        ReadOnlySpan<float> line = plane.Slice((y * q + dy) * inW + x * q, q);
                        foreach (float v in line) max = Larger(max, v);
                    }
                    target[y * outW + x] = max;
                }
            }
        }
    }

    /// <summary>
    /// The 2×2 windows every LeNet-style network uses: each pair of rows reduced to one by a vectorised
    /// <see cref="Larger(float, float)"/>, then each pair of columns of that row. The result is the first of the
    /// window's largest values in the order top-left, bottom-left, top-right, bottom-right, or a NaN if the window holds
    /// one, the general loop's rule in column-pair order (which only a tie of +0 and −0 can tell apart). LeNet-5's first
    /// 20×24×24 map: 17 µs through the general loop, 12-13 µs with scalar pairs, 5.3 µs with the rows vectorised
    /// (`conv-profile`).
    /// </summary>
    private static void Pairs(in ConvolutionGeometry g, ReadOnlySpan<float> convolved, Span<float> pooled)
    {
        int inH = g.ConvolvedHeight, inW = g.ConvolvedWidth, outH = g.OutputHeight, outW = g.OutputWidth;
        Span<float> rows = inW <= 256 ? stackalloc float[inW] : new float[inW];
        for (int f = 0; f < g.Filters; f++)
        {
            ReadOnlySpan<float> plane = convolved.Slice(f * inH * inW, inH * inW);
            Span<float> target = pooled.Slice(f * outH * outW, outH * outW);
            for (int y = 0; y < outH; y++)
            {
                LargerOfRows(plane.Slice(2 * y * inW, inW), plane.Slice((2 * y + 1) * inW, inW), rows);
                Span<float> line = target.Slice(y * outW, outW);
                for (int x = 0; x < line.Length; x++)
                    line[x] = Larger(rows[2 * x], rows[2 * x + 1]);
            }
        }
    }

    /// <summary>larger[i] = <see cref="Larger(float, float)"/>(top[i], bottom[i]), eight at a time where the hardware allows.</summary>
    private static void LargerOfRows(ReadOnlySpan<float> top, ReadOnlySpan<float> bottom, Span<float> larger)
    {
        int i = 0;
        if (Vector256.IsHardwareAccelerated)
        {
            for (; i + Vector256<float>.Count <= top.Length; i += Vector256<float>.Count)
            {
                Vector256<float> a = Vector256.Create(top.Slice(i, Vector256<float>.Count));
                Vector256<float> b = Vector256.Create(bottom.Slice(i, Vector256<float>.Count));
                // b wins where it is larger or NaN (a NaN is the only value not equal to itself).
                Vector256<float> takeB = Vector256.GreaterThan(b, a) | ~Vector256.Equals(b, b);
                Vector256.ConditionalSelect(takeB, b, a).CopyTo(larger.Slice(i, Vector256<float>.Count));
            }
        }
        for (; i < top.Length; i++) larger[i] = Larger(top[i], bottom[i]);
    }

    /// <summary>The running maximum after <paramref name="value"/>: a NaN wins, as libtorch's max pooling propagates it; a tie keeps the earlier value.</summary>
    private static float Larger(float max, float value) => value > max || float.IsNaN(value) ? value : max;
}
