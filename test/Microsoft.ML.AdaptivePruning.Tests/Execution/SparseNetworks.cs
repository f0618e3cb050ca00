using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Seeded random networks pruned the ways the engine must handle: scattered weights, whole units, whole inputs.</summary>
internal static class SparseNetworks
{
    /// <summary>
    /// A random network with each weight masked with probability <paramref name="sparsity"/>, and, when
    /// <paramref name="removeUnitsAndInputs"/>, some units with no weight left (removed units) and some inputs that no
    /// weight reads (empty columns).
    /// </summary>
    public static NeuralNetwork Create(int seed, PruningTask task, double sparsity, bool removeUnitsAndInputs = true,
        int input = 37, int[]? hidden = null, Activation activation = Activation.Relu)
    {
        int output = task == PruningTask.MulticlassClassification ? 5 : 1;
        NeuralNetwork network = TinyNetworks.Random(seed, task, input, hidden ?? new[] { 23, 11 }, output, activation);
        var random = new Random(seed + 1000);
        foreach (NetworkLayer layer in network.Layers)
        {
            bool[] mask = Enumerable.Range(0, layer.Weights.Length).Select(_ => random.NextDouble() >= sparsity).ToArray();
            if (removeUnitsAndInputs)
            {
                int inputs = layer.InputSize;
                for (int u = 0; u < layer.UnitCount; u++)
                {
                    if (random.NextDouble() < 0.2) for (int i = 0; i < inputs; i++) mask[u * inputs + i] = false;
                }
                for (int i = 0; i < inputs; i++)
                {
                    if (random.NextDouble() < 0.25) for (int u = 0; u < layer.UnitCount; u++) mask[u * inputs + i] = false;
                }
            }
            layer.SetMask(mask);
        }
        return network;
    }

    /// <summary><paramref name="rows"/> random rows of the network's width, end to end.</summary>
    public static float[] Rows(NeuralNetwork network, int rows, int seed)
        => TinyNetworks.Uniform(new Random(seed), rows * network.Spec.InputSize, -2, 2);
}
