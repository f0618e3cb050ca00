using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Per-layer sensitivity: prune each layer alone by magnitude at a few sparsities and measure the validation metric.
/// The loop turns the result into per-layer weights so sensitive layers keep more of their weights.
/// </summary>
internal static class SensitivityAnalysis
{
    public static readonly double[] DefaultSparsities = { 0.5, 0.8, 0.9, 0.95 };

    /// <summary>The sparsity whose drops set the allocation weights.</summary>
    private const double ReferenceSparsity = 0.9;

    public static List<LayerSensitivity> Analyze(NeuralNetwork network, StageData data, TaskMetric metric, IReadOnlyList<double>? sparsities = null)
    {
        sparsities ??= DefaultSparsities;
        double baseline = data.Evaluate(network, metric);
        IPruningCriterion magnitude = PruningCriteria.Create(PruningCriterion.Magnitude);
        var random = new Random(0);
        var result = new List<LayerSensitivity>();
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var entry = new LayerSensitivity { Layer = l, Shape = network.Layers[l].Shape };
            // Other layers score +inf: the selector prunes lowest first, so only layer l loses weights.
            var scores = new float[]?[network.Layers.Count];
            for (int other = 0; other < scores.Length; other++)
                scores[other] = other == l ? magnitude.ScoreWeights(network, l, null, random) : Enumerable.Repeat(float.PositiveInfinity, network.Layers[other].Weights.Length).ToArray();
            long layerWeights = network.Layers[l].Weights.Length;
            long totalWeights = network.Layers.Sum(x => (long)x.Weights.Length);
            foreach (double sparsity in sparsities)
            {
                // The selector counts sparsity over all weights; only layer l is eligible, so scale the target to it.
                double global = Math.Min(0.9999, sparsity * layerWeights / totalWeights + AlreadyPruned(network, l) / (double)totalWeights);
                var options = new MaskSelectionOptions { Scope = PruningScope.Global, Sparsity = global, MinKeptFraction = 0 };
                NeuralNetwork pruned = MaskSelector.Select(network, scores, normalizePerLayer: false, options).ApplyTo(network);
                entry.Sparsities.Add(sparsity);
                entry.Drops.Add(TaskMetrics.Drop(metric, baseline, data.Evaluate(pruned, metric)));
            }
            result.Add(entry);
        }
        AssignWeights(result);
        return result;
    }

    /// <summary>Weights in [0.5, 2]: the layer's drop at the reference sparsity relative to the median layer's.</summary>
    internal static void AssignWeights(List<LayerSensitivity> layers)
    {
        double[] drops = layers.Select(DropAtReference).ToArray();
        double[] sorted = drops.OrderBy(d => d).ToArray();
        double median = sorted[sorted.Length / 2];
        const double floor = 1e-3;
        foreach (LayerSensitivity layer in layers)
            layer.Weight = Math.Clamp(Math.Sqrt((Math.Max(0, DropAtReference(layer)) + floor) / (Math.Max(0, median) + floor)), 0.5, 2.0);
    }

    private static double DropAtReference(LayerSensitivity layer)
    {
        int index = layer.Sparsities.FindIndex(s => s >= ReferenceSparsity);
        return layer.Drops[index < 0 ? layer.Drops.Count - 1 : index];
    }

    private static long AlreadyPruned(NeuralNetwork network, int layer) =>
        network.Layers.Where((_, i) => i != layer).Sum(x => (long)(x.Weights.Length - x.KeptWeightCount));
}

/// <summary>Wraps a criterion so each layer's normalised scores are multiplied by that layer's sensitivity weight.</summary>
internal sealed class SensitivityWeightedCriterion : IPruningCriterion
{
    private readonly IPruningCriterion _inner;
    private readonly IReadOnlyList<double> _weights;

    public SensitivityWeightedCriterion(IPruningCriterion inner, IReadOnlyList<double> weights)
    {
        _inner = inner;
        _weights = weights;
    }

    public string Name => _inner.Name + "+sensitivity";
    public bool RequiresGradients => _inner.RequiresGradients;
    public bool NeedsLayerNormalization => false;

    public float[] ScoreWeights(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        float[] scores = SelectionRules.DivideByLayerMean(_inner.ScoreWeights(network, layer, gradients, random), network.Layers[layer].Mask);
        float factor = (float)_weights[layer];
        for (int k = 0; k < scores.Length; k++) scores[k] *= factor;
        return scores;
    }

    public float[] ScoreUnits(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random) =>
        _inner.ScoreUnits(network, layer, gradients, random);
}
