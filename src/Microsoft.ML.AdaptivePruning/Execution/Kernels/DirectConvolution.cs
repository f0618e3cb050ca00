using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A stride-1 convolution without im2col: the row copied once into a zero-bordered image, then each filter's outputs
/// summed eight output rows' worth of 8-float slots at a time, every slot read straight from the bordered image.
/// </summary>
/// <remarks>
/// With stride 1 the eight outputs x0..x0+7 of one output row that a kernel weight (c, ky, kx) multiplies are eight
/// consecutive values of the bordered image, so one unaligned vector load serves them. im2col copied every input value
/// K² times first, which on LeNet-5 cost more than all the multiply-adds of a 99%-pruned network; here the copy is one
/// pass over the input. A tile holds eight slots in eight vector registers, eight independent chains of adds, while
/// the filter's stored weights stream past; the last slot of a row may run past the row (its extra lanes read the
/// next row or the trailing slack and are never stored), and a short last tile repeats slot 0 to stay eight wide.
/// Each output is the bias plus weight × input in stored-weight order, multiply then add (not fused), as the managed
/// pass sums it.
/// </remarks>
internal sealed class DirectConvolution
{
    private const int Lanes = 8;
    private const int SlotsPerTile = 8;

    private readonly int _channelStride, _rowStride, _padding, _inputHeight, _inputWidth, _channels;   // strides of the bordered image
    private readonly int[] _slotRead;    // per slot: offset of its first value in the bordered image (y·Wp + x0)
    private readonly int[] _slotWrite;   // per slot: its first output position (y·W' + x0)
    private readonly int[] _slotLength;  // per slot: outputs it writes (8, or fewer at a row's end)
    private readonly int[] _weightRead;  // per stored weight: c·Hp·Wp + ky·Wp + kx

    public DirectConvolution(in ConvolutionGeometry g, ReadOnlySpan<int> positions)
    {
        _channels = g.InputChannels;
        _inputHeight = g.InputHeight;
        _inputWidth = g.InputWidth;
        _padding = g.Padding;
        _rowStride = g.InputWidth + 2 * g.Padding;
        _channelStride = (g.InputHeight + 2 * g.Padding) * _rowStride;
        int outH = g.ConvolvedHeight, outW = g.ConvolvedWidth, perRow = (outW + Lanes - 1) / Lanes;
        int slots = outH * perRow, padded = (slots + SlotsPerTile - 1) / SlotsPerTile * SlotsPerTile;
        _slotRead = new int[padded];
        _slotWrite = new int[padded];
        _slotLength = new int[padded];
        for (int s = 0; s < slots; s++)
        {
            int y = s / perRow, x0 = s % perRow * Lanes;
            _slotRead[s] = y * _rowStride + x0;
            _slotWrite[s] = y * outW + x0;
            _slotLength[s] = Math.Min(Lanes, outW - x0);
        }
        // Filler slots read slot 0's values and write nothing.
        int k = g.KernelSize;
        _weightRead = new int[positions.Length];
        for (int i = 0; i < positions.Length; i++)
        {
            int c = positions[i] / (k * k), ky = positions[i] / k % k, kx = positions[i] % k;
            _weightRead[i] = c * _channelStride + ky * _rowStride + kx;
        }
    }

    /// <summary>Scratch floats: the bordered image plus one vector of slack for the last slot's extra lanes.</summary>
    public int ScratchSize => _channels * _channelStride + Lanes;

    /// <summary>Copies the row into the zero-bordered image at the start of <paramref name="scratch"/>.</summary>
    public void Border(ReadOnlySpan<float> input, Span<float> scratch)
    {
        Span<float> image = scratch.Slice(0, ScratchSize);
        if (_padding > 0) image.Clear();
        else image.Slice(image.Length - Lanes).Clear();
        for (int c = 0; c < _channels; c++)
            for (int y = 0; y < _inputHeight; y++)
                input.Slice((c * _inputHeight + y) * _inputWidth, _inputWidth)
                    .CopyTo(image.Slice(c * _channelStride + (y + _padding) * _rowStride + _padding, _inputWidth));
    }

    /// <summary>One filter's outputs from the bordered image: bias plus its stored weights [start, start + count) in order.</summary>
    public void Filter(ReadOnlySpan<float> image, int start, int count, ReadOnlySpan<float> weights, float bias, Span<float> output)
    {
        ref float origin = ref MemoryMarshal.GetReference(image);
        ReadOnlySpan<int> reads = _weightRead.AsSpan(start, count);
        Span<float> spill = stackalloc float[Lanes];
        for (int t = 0; t < _slotRead.Length; t += SlotsPerTile)
        {
            int r0 = _slotRead[t], r1 = _slotRead[t + 1], r2 = _slotRead[t + 2], r3 = _slotRead[t + 3];
            int r4 = _slotRead[t + 4], r5 = _slotRead[t + 5], r6 = _slotRead[t + 6], r7 = _slotRead[t + 7];
            Vector256<float> a0 = Vector256.Create(bias), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
            for (int s = 0; s < reads.Length; s++)
            {
                // Every read stays inside the image plus its slack: offsets are built from the geometry above.
                ref float at = ref Unsafe.Add(ref origin, reads[s]);
                Vector256<float> w = Vector256.Create(weights[s]);
                a0 += Vector256.LoadUnsafe(ref at, (nuint)r0) * w;
                a1 += Vector256.LoadUnsafe(ref at, (nuint)r1) * w;
                a2 += Vector256.LoadUnsafe(ref at, (nuint)r2) * w;
                a3 += Vector256.LoadUnsafe(ref at, (nuint)r3) * w;
                a4 += Vector256.LoadUnsafe(ref at, (nuint)r4) * w;
                a5 += Vector256.LoadUnsafe(ref at, (nuint)r5) * w;
                a6 += Vector256.LoadUnsafe(ref at, (nuint)r6) * w;
                a7 += Vector256.LoadUnsafe(ref at, (nuint)r7) * w;
            }
            Store(a0, t, output, spill);
            Store(a1, t + 1, output, spill);
            Store(a2, t + 2, output, spill);
            Store(a3, t + 3, output, spill);
            Store(a4, t + 4, output, spill);
            Store(a5, t + 5, output, spill);
            Store(a6, t + 6, output, spill);
            Store(a7, t + 7, output, spill);
        }
    }

    private void Store(Vector256<float> sums, int slot, Span<float> output, Span<float> spill)
    {
        int length = _slotLength[slot];
        if (length == Lanes) sums.CopyTo(output.Slice(_slotWrite[slot], Lanes));
        else if (length > 0)
        {
            sums.CopyTo(spill);
            spill.Slice(0, length).CopyTo(output.Slice(_slotWrite[slot], length));
        }
    }
}
