using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Creates a freshly initialised network from managed random numbers, so the same seed gives the same
/// weights without touching libtorch's global generator (which concurrent trainings would share).
/// </summary>
internal static class NetworkInitializer
{
    /// <summary>
    /// Uniform in ±1/sqrt(fan-in) for weights and biases, the usual default for fully connected and convolutional
    /// layers (libtorch's own); a convolution's fan-in is C·K·K.
    /// </summary>
    public static NeuralNetwork Create(NetworkSpec spec, Random random)
    {
        var layers = new List<NetworkLayer>(spec.LayerCount);
        int convolutions = spec.ConvolutionLayers.Count;
        for (int l = 0; l < spec.LayerCount; l++)
        {
            if (l < convolutions)
            {
                ConvolutionGeometry g = spec.Convolution(l);
                (float[] kernel, float[] filterBias) = Draw(random, g.WeightsPerFilter, g.Filters);
                layers.Add(new Conv2dLayer(g.InputChannels, g.InputHeight, g.InputWidth, spec.ConvolutionLayers[l], kernel, filterBias));
                continue;
            }
            int inputs = spec.LayerInput(l), outputs = spec.LayerOutput(l);
            (float[] weights, float[] bias) = Draw(random, inputs, outputs);
            layers.Add(new DenseLayer(inputs, outputs, weights, bias, null, spec.InputChannelWidth(l)));
        }
        return new NeuralNetwork(spec, layers);
    }

    private static (float[] Weights, float[] Bias) Draw(Random random, int fanIn, int units)
    {
        float bound = 1f / MathF.Sqrt(fanIn);
        var weights = new float[fanIn * units];
        var bias = new float[units];
        for (int k = 0; k < weights.Length; k++) weights[k] = (float)(random.NextDouble() * 2 - 1) * bound;
        for (int k = 0; k < bias.Length; k++) bias[k] = (float)(random.NextDouble() * 2 - 1) * bound;
        return (weights, bias);
    }
}
