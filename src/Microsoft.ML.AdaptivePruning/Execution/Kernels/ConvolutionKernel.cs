using System;
using System.Collections.Generic;
using System.Runtime.Intrinsics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A convolution as the managed engine runs it: with stride 1, straight from the row copied into a zero-bordered image
/// (<see cref="DirectConvolution"/>); otherwise unfolded once into im2col tiles of 32 output positions
/// (<see cref="ConvolutionTiles"/>). Either way, per filter and tile the bias plus, per stored weight, that weight times its
/// tile line, summed in registers; max pooling after the activation.
/// </summary>
/// <remarks>
/// Each weight drives 32 output positions at once rather than a short dot product per position, which for a first
/// layer of 5×5 filters over one channel would be 25 long. A weight that is zero adds nothing and is not stored unless the dense layout is forced, so a weight-pruned
/// convolution does work in proportion to its nonzero weights, and a pruned filter writes its bias only. Additions
/// run in weight index order from the bias, as <see cref="NeuralNetwork.Forward"/> sums them.
/// </remarks>
internal sealed class ConvolutionKernel : LayerKernel
{
    private readonly ConvolutionGeometry _geometry;
    private readonly int[] _filterStart;   // [Filters + 1] offsets into _positions / _weights
    private readonly int[] _positions;     // kernel weight position (c·K·K + ky·K + kx) of each stored weight
    private readonly float[] _weights;
    private readonly float[] _bias;
    private readonly bool _skipsZeros;
    private readonly DirectConvolution? _direct;   // stride 1 on vector hardware, at most 80% of the weights stored; im2col tiles otherwise

    /// <summary>
    /// Stored share of the weights at or below which the direct path runs. On LeNet-5's two convolutions (2-core Zen 3,
    /// one core, 2 December 2026 20:13 UTC, `DOTNET_TieredCompilation=0 … conv-profile`, 10/30/50/70/100% kept) the
    /// direct path took 7.5/11.7/17.6/21.0/29.5 µs against im2col's 14.7/17.4/20.7/22.1/26.2 µs on the first, and
    /// 16/43/71/95/142 against 61/84/104/117/121 µs on the second: im2col's contiguous loads only pay for its copy when
    /// nearly every weight is kept.
    /// </summary>
    internal const double DirectBelowDensity = 0.8;

    /// <summary>Whether a kernel storing <paramref name="storedWeights"/> of this convolution's weights runs the direct path.</summary>
    internal static bool TakesDirectPath(in ConvolutionGeometry geometry, long storedWeights) =>
        CanRunDirect(geometry) && storedWeights <= DirectBelowDensity * geometry.Filters * geometry.WeightsPerFilter;

    /// <summary>The direct path reads eight consecutive outputs' inputs with one vector load, which needs stride 1 and vector hardware.</summary>
    private static bool CanRunDirect(in ConvolutionGeometry geometry) => geometry.Stride == 1 && Vector256.IsHardwareAccelerated;

    /// <param name="direct">Forces the direct path (true, stride 1 only) or im2col (false); null picks by <see cref="DirectBelowDensity"/>. Forcing is for the profile that measures them.</param>
    public ConvolutionKernel(ConvolutionGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, bool skipZeros, bool? direct = null)
        : base(geometry.InputSize, geometry.ConvolvedSize)
    {
        _geometry = geometry;
        _skipsZeros = skipZeros;
        int perFilter = geometry.WeightsPerFilter;
        _filterStart = new int[geometry.Filters + 1];
        var positions = new List<int>();
        var kept = new List<float>();
        for (int f = 0; f < geometry.Filters; f++)
        {
            for (int k = 0; k < perFilter; k++)
            {
                float w = weights[f * perFilter + k];
                if (skipZeros && w == 0f) continue;
                positions.Add(k);
                kept.Add(w);
            }
            _filterStart[f + 1] = kept.Count;
        }
        _positions = positions.ToArray();
        _weights = kept.ToArray();
        _bias = bias.ToArray();
        if (CanRunDirect(geometry) && (direct ?? TakesDirectPath(geometry, _weights.Length)))
            _direct = new DirectConvolution(geometry, _positions);
    }

    public override KernelLayout Layout => _skipsZeros && _weights.Length < _geometry.Filters * _geometry.WeightsPerFilter ? KernelLayout.Sparse : KernelLayout.Dense;

    public override long StoredWeightCount => _weights.Length;

    /// <summary>Im2col over every weight: what ONNX Runtime's Conv computes, so a single row is no faster here than there.</summary>
    public override bool IsFullMatrix => _direct is null && _weights.Length == _geometry.Filters * _geometry.WeightsPerFilter;

    public override int ScratchPerRow => _direct?.ScratchSize ?? _geometry.WeightsPerFilter * ConvolutionTiles.Width * ConvolutionTiles.Count(OutputPositions);

    public override string Description =>
        $"{(Layout == KernelLayout.Sparse ? "Sparse" : "Dense")} {(_direct is null ? "im2col" : "direct")} conv {_geometry.Filters}x{_geometry.InputChannels}x{_geometry.KernelSize}x{_geometry.KernelSize} over {_geometry.ConvolvedHeight}x{_geometry.ConvolvedWidth}, {StoredWeightCount:N0} weights";

    public override bool HasAfterActivation => _geometry.PoolSize > 1;

    public override int AfterActivationSize => _geometry.OutputSize;

    private int OutputPositions => _geometry.ConvolvedHeight * _geometry.ConvolvedWidth;

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        int positions = OutputPositions, perFilter = _geometry.WeightsPerFilter;
        if (_direct is not null)
        {
            _direct.Border(input, scratch);
            for (int f = 0; f < _geometry.Filters; f++)
            {
                int first = _filterStart[f], count = _filterStart[f + 1] - first;
                _direct.Filter(scratch, first, count, _weights.AsSpan(first, count), _bias[f], output.Slice(f * positions, positions));
            }
            return;
        }
        Span<float> tiles = scratch.Slice(0, ScratchPerRow);
        ConvolutionTiles.Unfold(_geometry, input, tiles);
        for (int f = 0; f < _geometry.Filters; f++)
        {
            int start = _filterStart[f], count = _filterStart[f + 1] - start;
            ConvolutionTiles.Accumulate(tiles, perFilter, _positions.AsSpan(start, count), _weights.AsSpan(start, count), _bias[f], output.Slice(f * positions, positions));
        }
    }

    public override void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch)
    {
        // Each row unfolds into the same scratch: the im2col matrix is what is reused, not the weights.
        for (int r = 0; r < rowCount; r++)
            Forward(inputs.Slice(r * InputSize, InputSize), outputs.Slice(r * OutputSize, OutputSize), scratch);
    }

    public override void AfterActivation(ReadOnlySpan<float> activated, Span<float> output) => MaxPooling.Apply(_geometry, activated, output);
}
