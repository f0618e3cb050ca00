using System;
using System.Runtime.CompilerServices;
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
        int outH = g.ConvolvedHeight, outW = g.ConvolvedWidth, perRow = SlotsPerRow(g);
        int slots = outH * perRow, padded = TileCount(g) * SlotsPerTile;
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

    /// <summary>Output lanes a tile computes for one filter: eight slots of eight.</summary>
    public const int LanesPerTile = SlotsPerTile * Lanes;

    /// <summary>Tiles covering the convolution's output: its rows in 8-wide slots, the last tile padded to eight slots.</summary>
    public static int TileCount(in ConvolutionGeometry g) => (g.ConvolvedHeight * SlotsPerRow(g) + SlotsPerTile - 1) / SlotsPerTile;

    private static int SlotsPerRow(in ConvolutionGeometry g) => (g.ConvolvedWidth + Lanes - 1) / Lanes;

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

    /// <summary>One filter's outputs from the bordered image: bias plus its stored weights, which start at stored weight <paramref name="start"/>, in order.</summary>
    public unsafe void Filter(ReadOnlySpan<float> image, int start, ReadOnlySpan<float> weights, float bias, Span<float> output)
    {
        if (start < 0 || start + weights.Length > _weightRead.Length)
            throw new ArgumentOutOfRangeException(nameof(start), start, $"Stored weights {start}..{start + weights.Length} are outside the {_weightRead.Length} this convolution stores.");
        int count = weights.Length;
        Vector256<float>* sums = stackalloc Vector256<float>[SlotsPerTile];
        Span<float> spill = stackalloc float[Lanes];
        // Every read stays inside the image plus its slack: the offsets are built from the geometry in the constructor.
        fixed (float* origin = image)
        fixed (int* reads = _weightRead)
        fixed (float* kept = weights)
        fixed (int* slotRead = _slotRead)
        {
            for (int t = 0; t < _slotRead.Length; t += SlotsPerTile)
            {
                SumTile(origin, slotRead + t, reads + start, kept, count, bias, sums);
                for (int slot = 0; slot < SlotsPerTile; slot++) Store(sums[slot], t + slot, output, spill);
            }
        }
    }

    /// <summary>
    /// The eight slots of one tile over a filter's stored weights, the sums in eight registers.
    /// </summary>
    /// <remarks>
    /// A method of its own, on raw pointers, because written inline over spans the JIT kept only one sum in a register
    /// and stored and reloaded the other seven on every weight (`DOTNET_JitDisasm`); here the loop holds eight slot
    /// pointers, the two streams and the end, twelve general registers, and nothing spills.
    /// </remarks>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static unsafe void SumTile(float* image, int* slotRead, int* reads, float* weights, int count, float bias, Vector256<float>* sums)
    {
        float* p0 = image + slotRead[0], p1 = image + slotRead[1], p2 = image + slotRead[2], p3 = image + slotRead[3];
        float* p4 = image + slotRead[4], p5 = image + slotRead[5], p6 = image + slotRead[6], p7 = image + slotRead[7];
        Vector256<float> a0 = Vector256.Create(bias), a1 = a0, a2 = a0, a3 = a0, a4 = a0, a5 = a0, a6 = a0, a7 = a0;
        for (int* end = reads + count; reads < end; reads++, weights++)
        {
            nint at = *reads;
            Vector256<float> w = Vector256.Create(*weights);
            a0 += Vector256.Load(p0 + at) * w;
            a1 += Vector256.Load(p1 + at) * w;
            a2 += Vector256.Load(p2 + at) * w;
            a3 += Vector256.Load(p3 + at) * w;
            a4 += Vector256.Load(p4 + at) * w;
            a5 += Vector256.Load(p5 + at) * w;
            a6 += Vector256.Load(p6 + at) * w;
            a7 += Vector256.Load(p7 + at) * w;
        }
        sums[0] = a0; sums[1] = a1; sums[2] = a2; sums[3] = a3;
        sums[4] = a4; sums[5] = a5; sums[6] = a6; sums[7] = a7;
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
