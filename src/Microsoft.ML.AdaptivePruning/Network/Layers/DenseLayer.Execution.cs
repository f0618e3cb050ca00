using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A dense layer's execution: one dot product per unit.</summary>
public sealed partial class DenseLayer
{
    internal override void ForwardLinear(ReadOnlySpan<float> input, Span<float> output)
    {
        for (int o = 0; o < OutputSize; o++)
        {
            // Summed in index order from the bias, so every managed path rounds alike.
            float sum = Bias[o];
            int row = o * InputSize;
            for (int i = 0; i < InputSize; i++) sum += Weights[row + i] * input[i];
            output[o] = sum;
        }
    }

    internal override TorchLayer CreateTorchLayer() => new TorchDenseLayer(this);
}
