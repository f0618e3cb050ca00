using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Creates a freshly initialised network from managed random numbers, so the same seed gives the same
/// weights without touching libtorch's global generator (which concurrent trainings would share).
/// </summary>
internal static class NetworkInitializer
{
    /// <summary>Uniform in ±1/sqrt(fan-in) for weights and biases, the usual default for fully connected layers.</summary>
    public static NeuralNetwork Create(NetworkSpec spec, Random random)
    {
        var layers = new List<DenseLayer>(spec.LayerCount);
        for (int l = 0; l < spec.LayerCount; l++)
        {
            int inputs = spec.LayerInput(l), outputs = spec.LayerOutput(l);
            float bound = 1f / MathF.Sqrt(inputs);
            var weights = new float[inputs * outputs];
            var bias = new float[outputs];
            for (int k = 0; k < weights.Length; k++) weights[k] = (float)(random.NextDouble() * 2 - 1) * bound;
            for (int k = 0; k < bias.Length; k++) bias[k] = (float)(random.NextDouble() * 2 - 1) * bound;
            layers.Add(new DenseLayer(inputs, outputs, weights, bias));
        }
        return new NeuralNetwork(spec, layers);
    }
}
