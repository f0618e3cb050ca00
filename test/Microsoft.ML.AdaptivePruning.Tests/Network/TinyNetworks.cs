using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Hand-built and seeded random networks for the criteria and surgery tests.</summary>
internal static class TinyNetworks
{
    /// <summary>Layer <paramref name="layer"/> as the dense layer these tests build (for the [unit, input] indexer).</summary>
    public static DenseLayer Dense(this NeuralNetwork network, int layer) => (DenseLayer)network.Layers[layer];

    /// <summary>
    /// A 3-2-1 Relu regression net:
    /// W0 = [[0.5, -2, 0.1], [1, 0.2, -0.3]], b0 = [0.1, -0.2]; W1 = [[3, -0.4]], b1 = [0.05].
    /// </summary>
    public static NeuralNetwork ThreeTwoOne()
    {
        var spec = new NetworkSpec(PruningTask.Regression, 3, new[] { 2 }, 1);
        return new NeuralNetwork(spec, new[]
        {
            new DenseLayer(3, 2, new[] { 0.5f, -2f, 0.1f, 1f, 0.2f, -0.3f }, new[] { 0.1f, -0.2f }),
            new DenseLayer(2, 1, new[] { 3f, -0.4f }, new[] { 0.05f }),
        });
    }

    /// <summary>Gradient statistics for <see cref="ThreeTwoOne"/>, optionally with unit Taylor values [0.7, 0.2].</summary>
    public static GradientStatistics ThreeTwoOneGradients(bool withUnitTaylor) => new(
        new[] { new[] { 0.1f, 0.05f, 0.9f, 0.2f, 0.3f, 0.01f }, new[] { 0.5f, 0.6f } },
        new[] { new[] { -0.1f, 0.01f, 0.5f, 0.2f, -0.3f, 0f }, new[] { 0.2f, -0.5f } },
        withUnitTaylor ? new[] { new[] { 0.7f, 0.2f }, null } : null,
        batches: 4);

    /// <summary>A network of the given shape with weights and biases uniform in [-1, 1) from <paramref name="seed"/>.</summary>
    public static NeuralNetwork Random(int seed, PruningTask task, int input, int[] hidden, int output, Activation activation = Activation.Relu)
    {
        var random = new Random(seed);
        var spec = new NetworkSpec(task, input, hidden, output, activation);
        var layers = Enumerable.Range(0, spec.LayerCount).Select(l =>
        {
            int inSize = spec.LayerInput(l), outSize = spec.LayerOutput(l);
            return new DenseLayer(inSize, outSize, Uniform(random, inSize * outSize, -1, 1), Uniform(random, outSize, -1, 1));
        }).ToArray();
        return new NeuralNetwork(spec, layers);
    }

    /// <summary><paramref name="count"/> values uniform in [low, high).</summary>
    public static float[] Uniform(Random random, int count, float low, float high)
        => Enumerable.Range(0, count).Select(_ => low + (high - low) * random.NextSingle()).ToArray();

    /// <summary>Asserts both networks give the same outputs on <paramref name="rows"/> random inputs in [low, high).</summary>
    public static void AssertSameOutputs(NeuralNetwork expected, NeuralNetwork actual, int seed, int rows = 25, float low = -2, float high = 2, float tolerance = 1e-5f)
    {
        Assert.That(actual.Spec.InputSize, Is.EqualTo(expected.Spec.InputSize));
        var random = new Random(seed);
        for (int r = 0; r < rows; r++)
        {
            float[] x = Uniform(random, expected.Spec.InputSize, low, high);
            Assert.That(actual.Forward(x), Is.EqualTo(expected.Forward(x)).Within(tolerance), $"row {r}");
        }
    }
}
