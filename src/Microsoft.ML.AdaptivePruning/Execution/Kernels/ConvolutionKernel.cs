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
    private readonly DirectConvolution? _direct;   // stride 1 on vector hardware where it costs less than im2col (TakesDirectPath); im2col tiles otherwise

    /// <summary>
    /// Stored share of the weights at or below which the engine, rather than ONNX Runtime, should score a convolution:
    /// where pruning has removed a fifth of its weights or more, the engine's skipped zeros beat ONNX Runtime's dense
    /// Conv (see <see cref="Conv2dLayer"/>'s <c>ScoresThroughEngine</c>).
    /// </summary>
    internal const double EngineBelowDensity = 0.8;

    // The two paths' costs in nanoseconds on one core, fitted to `DOTNET_TieredCompilation=0 … conv-profile` runs of
    // eight convolutions (3 December 2026, 12:27 UTC, after DirectConvolution.SumTile kept its sums in registers;
    // LeNet-5's two, the filter-pruned shapes conv5-conv19, conv5-conv12 and conv10-conv30, and 3×3 stacks
    // conv16-conv32 and conv32-conv64, at 30-100% kept). The direct path costs each stored weight once per output
    // lane, its 8-wide slots padded to tiles of eight, plus each filter's tile (its call and its eight stores); im2col
    // costs each stored weight once per output position, padded to 32-wide tiles, plus the unfold: one copy per input
    // run (channel, kernel row, kernel column, output row) and its values. With these figures the cheaper estimate
    // names the faster measured path in all 26 layer measurements of that run (the same data they were fitted to):
    // the direct path won every one, by 1.1-4x. By these estimates im2col is left to strides above 1 and to outputs
    // so narrow that the direct path's slots run mostly empty (a 1×1 output of many filters; not measured).
    private const double DirectNanosecondsPerWeightLane = 0.045;
    private const double DirectNanosecondsPerFilterTile = 15;
    private const double UnfoldedNanosecondsPerWeightPosition = 0.063;
    private const double UnfoldNanosecondsPerRun = 17.5;
    private const double UnfoldNanosecondsPerValue = 0.35;

    /// <summary>
    /// Whether a kernel storing <paramref name="storedWeights"/> of this convolution's weights runs the direct path:
    /// where its estimated cost is below im2col's.
    /// </summary>
    /// <remarks>
    /// The unfold copies every input value K² times whatever the filters, so its cost is shared by the filters: with
    /// few filters the direct path wins by far (conv5×5 with 5 filters, every weight kept: 4.2 against 16.2 µs), and
    /// only where the output is too narrow to fill the direct path's 8-wide slots does the unfold pay for itself.
    /// </remarks>
    internal static bool TakesDirectPath(in ConvolutionGeometry geometry, long storedWeights) =>
        CanRunDirect(geometry) && DirectCost(geometry, storedWeights) < UnfoldedCost(geometry, storedWeights);

    private static double DirectCost(in ConvolutionGeometry g, long storedWeights)
    {
        long tiles = DirectConvolution.TileCount(g);
        return DirectNanosecondsPerWeightLane * storedWeights * tiles * DirectConvolution.LanesPerTile + DirectNanosecondsPerFilterTile * g.Filters * tiles;
    }

    private static double UnfoldedCost(in ConvolutionGeometry g, long storedWeights)
    {
        long positions = (long)ConvolutionTiles.Count(g.ConvolvedHeight * g.ConvolvedWidth) * ConvolutionTiles.Width;
        long runs = (long)g.WeightsPerFilter * g.ConvolvedHeight;
        return UnfoldedNanosecondsPerWeightPosition * storedWeights * positions
            + runs * (UnfoldNanosecondsPerRun + UnfoldNanosecondsPerValue * g.ConvolvedWidth);
    }

    /// <summary>Whether the engine should score a convolution storing <paramref name="storedWeights"/> of its weights (see <see cref="EngineBelowDensity"/>).</summary>
    internal static bool OutrunsDenseConvolution(in ConvolutionGeometry geometry, long storedWeights) =>
        CanRunDirect(geometry) && storedWeights <= EngineBelowDensity * geometry.Filters * geometry.WeightsPerFilter;

    /// <summary>The direct path reads eight consecutive outputs' inputs with one vector load, which needs stride 1 and vector hardware.</summary>
    private static bool CanRunDirect(in ConvolutionGeometry geometry) => geometry.Stride == 1 && Vector256.IsHardwareAccelerated;

    /// <param name="direct">Forces the direct path (true, stride 1 only) or im2col (false); null picks by <see cref="TakesDirectPath"/>. Forcing is for the profile that measures them.</param>
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

    /// <summary>Every weight stored, on either path: what ONNX Runtime's Conv computes, so a single row is no faster here than there.</summary>
    public override bool IsFullMatrix => _weights.Length == _geometry.Filters * _geometry.WeightsPerFilter;

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
                _direct.Filter(scratch, first, _weights.AsSpan(first, count), _bias[f], output.Slice(f * positions, positions));
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
