using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples.Micro;

/// <summary>Seeded random inputs of MNIST's shape for the micro-benchmarks (no download needed).</summary>
internal static class SyntheticData
{
    public const int FeatureCount = 784;

    /// <summary>A regression row: 784 features in [0, 1) and a Single label.</summary>
    public sealed class Row
    {
        [VectorType(FeatureCount)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }

    /// <summary><paramref name="rows"/> rows of 784 uniform features, held in memory.</summary>
    public static IDataView Rows(MLContext mlContext, int rows, int seed)
    {
        var random = new Random(seed);
        var data = new List<Row>(rows);
        for (int r = 0; r < rows; r++)
        {
            var x = new float[FeatureCount];
            for (int i = 0; i < x.Length; i++) x[i] = random.NextSingle();
            data.Add(new Row { Features = x, Label = x[0] + x[1] });
        }
        return mlContext.Data.LoadFromEnumerable(data);
    }

    /// <summary>A LeNet-300-100-shaped classifier (784-300-100-10) with weights uniform in [-0.1, 0.1).</summary>
    public static NeuralNetwork LeNet300100(int seed)
    {
        var random = new Random(seed);
        var spec = new NetworkSpec(PruningTask.MulticlassClassification, FeatureCount, new[] { 300, 100 }, 10);
        var layers = Enumerable.Range(0, spec.LayerCount)
            .Select(l => Layer(random, spec.LayerInput(l), spec.LayerOutput(l)))
            .ToArray();
        return new NeuralNetwork(spec, layers);
    }

    /// <summary>A layer with weights and biases uniform in [-0.1, 0.1).</summary>
    public static DenseLayer Layer(Random random, int inputs, int outputs)
        => new(inputs, outputs, Uniform(random, inputs * outputs, 0.1f), Uniform(random, outputs, 0.1f));

    /// <summary>Per layer, one array shaped like its weights, uniform in [-scale, scale).</summary>
    public static float[][] PerWeight(Random random, NeuralNetwork network, float scale)
        => network.Layers.Select(l => Uniform(random, l.Weights.Length, scale)).ToArray();

    /// <summary>A copy of <paramref name="network"/> with about <paramref name="sparsity"/> of each layer's weights masked at random (seeded).</summary>
    public static NeuralNetwork RandomlyPruned(NeuralNetwork network, double sparsity, int seed)
    {
        NeuralNetwork pruned = network.Clone();
        var random = new Random(seed);
        foreach (NetworkLayer layer in pruned.Layers) layer.SetMask(Mask(random, layer.Weights.Length, sparsity));
        return pruned;
    }

    /// <summary>A keep-mask of <paramref name="count"/> entries with about <paramref name="pruned"/> of them false.</summary>
    public static bool[] Mask(Random random, int count, double pruned)
        => Enumerable.Range(0, count).Select(_ => random.NextDouble() >= pruned).ToArray();

    private static float[] Uniform(Random random, int count, float scale)
        => Enumerable.Range(0, count).Select(_ => (random.NextSingle() * 2 - 1) * scale).ToArray();
}
