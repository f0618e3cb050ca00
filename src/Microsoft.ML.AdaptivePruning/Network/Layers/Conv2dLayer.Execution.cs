using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A convolution's managed execution: the direct sliding-window sum, then max pooling after the activation.</summary>
public sealed partial class Conv2dLayer
{
    internal override int LinearOutputSize => _geometry.ConvolvedSize;

    /// <summary>
    /// output[f, y, x] = b[f] + Σ over (channel, kernel row, kernel column) in index order of W·input, reading zero
    /// outside the image (padding); written channel-major.
    /// </summary>
    internal override void ForwardLinear(ReadOnlySpan<float> input, Span<float> output)
    {
        ConvolutionGeometry g = _geometry;
        int outH = g.ConvolvedHeight, outW = g.ConvolvedWidth, k = g.KernelSize;
        for (int f = 0; f < g.Filters; f++)
        {
            for (int y = 0; y < outH; y++)
            {
                for (int x = 0; x < outW; x++)
                {
                    float sum = Bias[f];
                    for (int c = 0; c < g.InputChannels; c++)
                    {
                        for (int ky = 0; ky < k; ky++)
                        {
                            int row = y * g.Stride - g.Padding + ky;
                            if ((uint)row >= (uint)g.InputHeight) continue;
                            for (int kx = 0; kx < k; kx++)
                            {
                                int column = x * g.Stride - g.Padding + kx;
                                if ((uint)column >= (uint)g.InputWidth) continue;
                                sum += Weights[WeightIndex(f, c, ky, kx)] * input[(c * g.InputHeight + row) * g.InputWidth + column];
                            }
                        }
                    }
                    output[(f * outH + y) * outW + x] = sum;
                }
            }
        }
    }

    internal override void ForwardAfterActivation(ReadOnlySpan<float> activated, Span<float> output)
    {
        if (PoolSize == 1) activated.CopyTo(output);
        else MaxPooling.Apply(_geometry, activated, output);
    }

    internal override TorchLayer CreateTorchLayer() => new TorchConv2dLayer(this);
}
