using System;

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
                        foreach (float v in line)
                        {
                            // A NaN wins, as libtorch's max pooling propagates it.
                            if (v > max || float.IsNaN(v)) max = v;
                        }
                    }
                    target[y * outW + x] = max;
                }
            }
        }
    }
}
