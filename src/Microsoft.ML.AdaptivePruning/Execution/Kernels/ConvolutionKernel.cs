using System;
using System.Collections.Generic;
using System.Numerics.Tensors;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A convolution as the managed engine runs it: the row unfolded once into an im2col matrix [C·K·K, H'·W'] (one
/// line per kernel weight position, zeros where padding is read), then per filter the bias plus, per stored weight,
/// one vectorised multiply-add of that line into the filter's H'·W' outputs; max pooling after the activation.
/// </summary>
/// <remarks>
/// The im2col lines are as long as the output image, so each weight drives one long vector operation
/// (<see cref="TensorPrimitives.MultiplyAdd(ReadOnlySpan{float}, float, ReadOnlySpan{float}, Span{float})"/>) rather
/// than a short dot product per position, which for a first layer of 5×5 filters over one channel would be 25 long.
/// A weight that is zero adds nothing and is not stored unless the dense layout is forced, so a weight-pruned
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

    public ConvolutionKernel(ConvolutionGeometry geometry, ReadOnlySpan<float> weights, ReadOnlySpan<float> bias, bool skipZeros)
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
    }

    public override KernelLayout Layout => _skipsZeros && _weights.Length < _geometry.Filters * _geometry.WeightsPerFilter ? KernelLayout.Sparse : KernelLayout.Dense;

    public override long StoredWeightCount => _weights.Length;

    public override int ScratchPerRow => _geometry.WeightsPerFilter * OutputPositions;

    public override string Description =>
        $"{(Layout == KernelLayout.Sparse ? "Sparse" : "Dense")} im2col conv {_geometry.Filters}x{_geometry.InputChannels}x{_geometry.KernelSize}x{_geometry.KernelSize} over {_geometry.ConvolvedHeight}x{_geometry.ConvolvedWidth}, {StoredWeightCount:N0} weights";

    public override bool HasAfterActivation => _geometry.PoolSize > 1;

    public override int AfterActivationSize => _geometry.OutputSize;

    private int OutputPositions => _geometry.ConvolvedHeight * _geometry.ConvolvedWidth;

    public override void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch)
    {
        int positions = OutputPositions;
        Span<float> columns = scratch.Slice(0, ScratchPerRow);
        Unfold(input, columns);
        for (int f = 0; f < _geometry.Filters; f++)
        {
            Span<float> target = output.Slice(f * positions, positions);
            target.Fill(_bias[f]);
            for (int s = _filterStart[f]; s < _filterStart[f + 1]; s++)
                TensorPrimitives.MultiplyAdd(columns.Slice(_positions[s] * positions, positions), _weights[s], target, target);
        }
    }

    public override void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch)
    {
        // Each row unfolds into the same scratch: the im2col matrix is what is reused, not the weights.
        for (int r = 0; r < rowCount; r++)
            Forward(inputs.Slice(r * InputSize, InputSize), outputs.Slice(r * OutputSize, OutputSize), scratch);
    }

    public override void AfterActivation(ReadOnlySpan<float> activated, Span<float> output) => MaxPooling.Apply(_geometry, activated, output);

    /// <summary>im2col: line (c, ky, kx) holds, for every output position (y, x), the input value that weight multiplies.</summary>
    private void Unfold(ReadOnlySpan<float> input, Span<float> columns)
    {
        ConvolutionGeometry g = _geometry;
        int outH = g.ConvolvedHeight, outW = g.ConvolvedWidth, k = g.KernelSize, positions = outH * outW;
        for (int c = 0; c < g.InputChannels; c++)
        {
            ReadOnlySpan<float> plane = input.Slice(c * g.InputHeight * g.InputWidth, g.InputHeight * g.InputWidth);
            for (int ky = 0; ky < k; ky++)
            {
                for (int kx = 0; kx < k; kx++)
                {
                    Span<float> line = columns.Slice(((c * k + ky) * k + kx) * positions, positions);
                    for (int y = 0; y < outH; y++)
                    {
                        int row = y * g.Stride - g.Padding + ky;
                        Span<float> lineRow = line.Slice(y * outW, outW);
                        if ((uint)row >= (uint)g.InputHeight)
                        {
                            lineRow.Clear();
                            continue;
                        }
                        for (int x = 0; x < outW; x++)
                        {
                            int column = x * g.Stride - g.Padding + kx;
                            lineRow[x] = (uint)column < (uint)g.InputWidth ? plane[row * g.InputWidth + column] : 0f;
                        }
                    }
                }
            }
        }
    }
}
