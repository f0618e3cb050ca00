using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Seeded random convolutional networks for the convolution tests.</summary>
internal static class ConvNetworks
{
    /// <summary>Parses "8x3p2,4x2s2pad1" into convolutions.</summary>
    public static ConvolutionLayer[] Layers(string text) => text.Split(',').Select(ConvolutionLayer.Parse).ToArray();

    /// <summary>
    /// A network over a <paramref name="shape"/> image with the given convolutions and hidden widths. Weights and biases
    /// are uniform in [-1, 1), or with <paramref name="dyadic"/> multiples of 1/8 in [-1, 1], so that with dyadic inputs
    /// every sum is exact in float and two orders of summation agree bit for bit.
    /// </summary>
    public static NeuralNetwork Random(int seed, PruningTask task, int[] shape, string convolutions, int[] hidden, int output,
        Activation activation = Activation.Relu, bool dyadic = false)
    {
        var spec = new NetworkSpec(task, shape[0] * shape[1] * shape[2], hidden, output, activation, shape, Layers(convolutions));
        var random = new Random(seed);
        float Next() => dyadic ? random.Next(-8, 9) / 8f : (float)(random.NextDouble() * 2 - 1);
        NeuralNetwork fresh = NetworkInitializer.Create(spec, new Random(seed));
        foreach (NetworkLayer layer in fresh.Layers)
        {
            for (int k = 0; k < layer.Weights.Length; k++) layer.Weights[k] = Next();
            for (int k = 0; k < layer.Bias.Length; k++) layer.Bias[k] = Next();
        }
        return fresh;
    }

    /// <summary>
    /// A network as the trainer initialises it (weights scaled to each layer's fan-in), for sizes where uniform [-1, 1)
    /// weights would sum hundreds of inputs into logits so large that float rounding alone exceeds the tolerances.
    /// </summary>
    public static NeuralNetwork Initialized(int seed, PruningTask task, int[] shape, string convolutions, int[] hidden, int output) =>
        NetworkInitializer.Create(new NetworkSpec(task, shape[0] * shape[1] * shape[2], hidden, output, Activation.Relu, shape, Layers(convolutions)), new Random(seed));

    /// <summary>
    /// A dense 1x28x28 multiclass network of 3.8 MFLOPs per row, above the engine's small-network rule
    /// (<see cref="KernelCostModel.SmallNetworkEngineBelowFlops"/>), so a dense copy stays on ONNX Runtime.
    /// </summary>
    public static NeuralNetwork LargeDense() =>
        Initialized(4, PruningTask.MulticlassClassification, new[] { 1, 28, 28 }, "24x5p2,40x5", new[] { 10 }, 4);

    /// <summary>Random rows of the network's width, uniform in [-2, 2), or with <paramref name="dyadic"/> multiples of 1/4.</summary>
    public static float[][] Rows(NeuralNetwork network, int count, int seed, bool dyadic = false)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count).Select(_ => Enumerable.Range(0, network.Spec.InputSize)
            .Select(_ => dyadic ? random.Next(-8, 9) / 4f : (float)(random.NextDouble() * 4 - 2)).ToArray()).ToArray();
    }

    /// <summary>Masks each weight with probability <paramref name="sparsity"/> and zeroes whole filters of every convolution with probability 0.25.</summary>
    public static NeuralNetwork Pruned(NeuralNetwork network, double sparsity, int seed)
    {
        NeuralNetwork copy = network.Clone();
        var random = new Random(seed);
        foreach (NetworkLayer layer in copy.Layers)
        {
            bool[] mask = Enumerable.Range(0, layer.Weights.Length).Select(_ => random.NextDouble() >= sparsity).ToArray();
            if (layer is Conv2dLayer)
            {
                for (int f = 0; f < layer.UnitCount; f++)
                    if (random.NextDouble() < 0.25) foreach (int k in layer.UnitWeightIndices(f)) mask[k] = false;
            }
            layer.SetMask(mask);
        }
        return copy;
    }
}
