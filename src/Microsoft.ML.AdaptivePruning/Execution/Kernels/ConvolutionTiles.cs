using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The convolution kernel's two inner steps: im2col written tile by tile ([tile][kernel position][32 output
/// positions]), and one filter's sums over a tile kept in four vector registers while its stored weights stream past.
/// </summary>
/// <remarks>
/// The first kernel ran one <c>TensorPrimitives.MultiplyAdd</c> per weight over a whole output image, so every weight
/// loaded and stored all of the filter's outputs, and on a small image (LeNet-5's second convolution writes 8×8) the
/// call itself cost more than its 64 multiply-adds. Here a tile's 32 sums stay in registers for all of a filter's
/// weights, and the tile's im2col block is contiguous, so the loads walk memory in order. Four accumulators, each a
/// separate chain, hide the adds' latency. Each sum is still the bias plus weight × input in stored-weight order,
/// multiply then add (not fused), the order in which the managed pass (<see cref="Conv2dLayer"/>) sums them.
/// </remarks>
internal static class ConvolutionTiles
{
    /// <summary>Output positions per tile: four 8-float vectors.</summary>
    public const int Width = 32;

    /// <summary>Tiles covering <paramref name="positions"/> output positions; the last is padded with zeros.</summary>
    public static int Count(int positions) => (positions + Width - 1) / Width;

    /// <summary>im2col into tiles: entry [t][k][j] is the input value kernel position k reads for output position t·32 + j (zero where padding or past the image).</summary>
    /// <remarks>
    /// Written one output row at a time: for a stride of 1 the values a kernel position reads along an output row are
    /// one contiguous run of the input row, so each run is one copy (split where it crosses a tile) rather than a
    /// bounds-checked store per value; the element loop measured slower than all the multiply-adds of a 99%-pruned
    /// LeNet-5. Larger strides read every s-th value and keep the element loop.
    /// </remarks>
    public static void Unfold(in ConvolutionGeometry g, ReadOnlySpan<float> input, Span<float> tiles)
    {
        int outH = g.ConvolvedHeight, outW = g.ConvolvedWidth, k = g.KernelSize, perFilter = g.WeightsPerFilter;
        int positions = outH * outW, tileCount = Count(positions), tileSize = perFilter * Width;
        // The last tile's unused columns must read zero so its extra sums are finite and never written back.
        if (positions % Width != 0) tiles.Slice((tileCount - 1) * tileSize, tileSize).Clear();
        for (int c = 0; c < g.InputChannels; c++)
        {
            ReadOnlySpan<float> plane = input.Slice(c * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    int position = (c * k + ky) * k + kx;
                    // Output columns x0..x1-1 read inside the image: x·s − pad + kx in [0, width).
                    // Floor divisions: a kernel column past the image's right edge (possible with padding) gives x1 ≤ 0.
                    int x0 = Math.Max(0, FloorDivide(g.Padding - kx + g.Stride - 1, g.Stride));
                    int x1 = Math.Min(outW, FloorDivide(g.InputWidth - 1 + g.Padding - kx, g.Stride) + 1);
                    for (int y = 0; y < outH; y++)
                    {
                        int row = y * g.Stride - g.Padding + ky, first = y * outW;
                        if ((uint)row >= (uint)g.InputHeight || x1 <= x0)
                        {
                            Zero(tiles, tileSize, position, first, outW);
                            continue;
                        }
                        Zero(tiles, tileSize, position, first, x0);
                        Zero(tiles, tileSize, position, first + x1, outW - x1);
                        int start = row * g.InputWidth + x0 * g.Stride - g.Padding + kx;
                        if (g.Stride == 1) Copy(tiles, tileSize, position, first + x0, plane.Slice(start, x1 - x0));
                        else for (int x = x0; x < x1; x++) tiles[Entry(tileSize, position, first + x)] = plane[start + (x - x0) * g.Stride];
                    }
                }
            }
        }
    }

    private static int FloorDivide(int value, int divisor) => (int)Math.Floor(value / (double)divisor);

    private static int Entry(int tileSize, int position, int p) => (p / Width) * tileSize + position * Width + p % Width;

    /// <summary>Writes <paramref name="values"/> as output positions p, p+1, … of kernel position <paramref name="position"/>, split where they cross a tile.</summary>
    private static void Copy(Span<float> tiles, int tileSize, int position, int p, ReadOnlySpan<float> values)
    {
        while (values.Length > 0)
        {
            int n = Math.Min(values.Length, Width - p % Width);
            values.Slice(0, n).CopyTo(tiles.Slice(Entry(tileSize, position, p), n));
            values = values.Slice(n);
            p += n;
        }
    }

    private static void Zero(Span<float> tiles, int tileSize, int position, int p, int count)
    {
        while (count > 0)
        {
            int n = Math.Min(count, Width - p % Width);
            tiles.Slice(Entry(tileSize, position, p), n).Clear();
            count -= n;
            p += n;
        }
    }

    /// <summary>
    /// One filter over every tile: output[p] = bias + Σ weights[s] · tile[positions[s]][p] for the stored weights
    /// s in order, written for the <paramref name="output"/>'s positions only.
    /// </summary>
    public static void Accumulate(ReadOnlySpan<float> tiles, int perFilter, ReadOnlySpan<int> positions, ReadOnlySpan<float> weights, float bias, Span<float> output)
    {
        int tileSize = perFilter * Width;
        Span<float> sums = stackalloc float[Width];
        for (int t = 0, start = 0; start < output.Length; t++, start += Width)
        {
            ReadOnlySpan<float> tile = tiles.Slice(t * tileSize, tileSize);
            if (Vector256.IsHardwareAccelerated) Vectorised(tile, positions, weights, bias, sums);
            else Scalar(tile, positions, weights, bias, sums);
            int count = Math.Min(Width, output.Length - start);
            sums.Slice(0, count).CopyTo(output.Slice(start, count));
        }
    }

    private static void Vectorised(ReadOnlySpan<float> tile, ReadOnlySpan<int> positions, ReadOnlySpan<float> weights, float bias, Span<float> sums)
    {
        Vector256<float> s0 = Vector256.Create(bias), s1 = s0, s2 = s0, s3 = s0;
        ref float origin = ref MemoryMarshal.GetReference(tile);
        for (int s = 0; s < positions.Length; s++)
        {
            // Callers pass positions below perFilter (checked when the kernel is built), so the line is inside the tile.
            ref float line = ref Unsafe.Add(ref origin, positions[s] * Width);
            Vector256<float> w = Vector256.Create(weights[s]);
            s0 += Vector256.LoadUnsafe(ref line) * w;
            s1 += Vector256.LoadUnsafe(ref line, 8) * w;
            s2 += Vector256.LoadUnsafe(ref line, 16) * w;
            s3 += Vector256.LoadUnsafe(ref line, 24) * w;
        }
        s0.CopyTo(sums);
        s1.CopyTo(sums.Slice(8));
        s2.CopyTo(sums.Slice(16));
        s3.CopyTo(sums.Slice(24));
    }

    private static void Scalar(ReadOnlySpan<float> tile, ReadOnlySpan<int> positions, ReadOnlySpan<float> weights, float bias, Span<float> sums)
    {
        sums.Fill(bias);
        for (int s = 0; s < positions.Length; s++)
        {
            ReadOnlySpan<float> line = tile.Slice(positions[s] * Width, Width);
            float w = weights[s];
            for (int j = 0; j < Width; j++) sums[j] += line[j] * w;
        }
    }
}
