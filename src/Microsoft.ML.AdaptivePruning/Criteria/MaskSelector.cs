using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Unstructured pruning decisions: which weights to mask, from criterion scores, a scope and a network-wide target.
/// Weights already masked stay masked; no prunable layer ever drops below its floor.
/// </summary>
public static class MaskSelector
{
    /// <summary>Scores every prunable layer with <paramref name="criterion"/> and selects the new masks.</summary>
    public static MaskSelection Select(NeuralNetwork network, IPruningCriterion criterion, GradientStatistics? gradients, Random random, MaskSelectionOptions options)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (criterion is null) throw new ArgumentNullException(nameof(criterion));
        if (random is null) throw new ArgumentNullException(nameof(random));
        if (options is null) throw new ArgumentNullException(nameof(options));
        options.Validate();
        gradients?.Validate(network);
        var scores = new float[]?[network.Layers.Count];
        for (int l = 0; l < scores.Length; l++)
        {
            if (IsPrunable(network, l, options)) scores[l] = criterion.ScoreWeights(network, l, gradients, random);
        }
        return Select(network, scores, criterion.NeedsLayerNormalization, options);
    }

    /// <summary>
    /// Selects new masks from precomputed scores (one array per weight layer, laid out like its weights; may be null
    /// for the output layer when it is not prunable). Higher scores are kept.
    /// </summary>
    /// <param name="network">The network; its current masks mark weights that stay pruned.</param>
    /// <param name="scores">Per weight layer, one score per weight.</param>
    /// <param name="normalizePerLayer">Divide each layer's scores by its mean over kept weights before a global ranking.</param>
    /// <param name="options">Target, scope and floors.</param>
    public static MaskSelection Select(NeuralNetwork network, IReadOnlyList<float[]?> scores, bool normalizePerLayer, MaskSelectionOptions options)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (scores is null) throw new ArgumentNullException(nameof(scores));
        if (options is null) throw new ArgumentNullException(nameof(options));
        options.Validate();
        int layers = network.Layers.Count;
        if (scores.Count != layers)
            throw new ArgumentException($"Expected scores for {layers} weight layers, got {scores.Count}.", nameof(scores));

        var sizes = new long[layers];
        var pruned = new long[layers];
        var caps = new long[layers];
        var kept = new bool[]?[layers];
        var ranked = new float[]?[layers];
        bool normalize = normalizePerLayer && (options.Scope == PruningScope.Global || options.ScoreThreshold is not null);
        for (int l = 0; l < layers; l++)
        {
            NetworkLayer dense = network.Layers[l];
            sizes[l] = dense.Weights.Length;
            pruned[l] = sizes[l] - dense.KeptWeightCount;
            kept[l] = dense.Mask;
            if (!IsPrunable(network, l, options)) continue;
            SelectionRules.CheckScores(scores[l], dense.Weights.Length, dense.Mask, "weight", l);
            ranked[l] = normalize ? SelectionRules.DivideByLayerMean(scores[l]!, dense.Mask) : scores[l];
            long floor = SelectionRules.MinimumKept(sizes[l], options.MinKeptFraction, options.MinKeptWeightsPerLayer);
            caps[l] = Math.Max(0, sizes[l] - floor - pruned[l]);
        }

        bool[]?[] picked;
        if (options.ScoreThreshold is double threshold)
        {
            picked = LowestScoreSelection.Pick(ranked, kept, caps, long.MaxValue, threshold);
        }
        else
        {
            long needed = Math.Max(0, SelectionRules.TargetCount(options.Sparsity, sizes.Sum()) - pruned.Sum());
            picked = options.Scope == PruningScope.Global
                ? LowestScoreSelection.Pick(ranked, kept, caps, needed)
                : PickPerLayer(ranked, kept, sizes, pruned, caps, needed);
        }

        var masks = new bool[layers][];
        for (int l = 0; l < layers; l++)
        {
            var mask = new bool[sizes[l]];
            for (int k = 0; k < mask.Length; k++) mask[k] = (kept[l]?[k] ?? true) && !(picked[l]?[k] ?? false);
            masks[l] = mask;
        }
        return new MaskSelection(masks);
    }

    private static bool IsPrunable(NeuralNetwork network, int layer, MaskSelectionOptions options)
        => options.PruneOutputLayer || layer < network.Layers.Count - 1;

    // Each layer gets its water-filled share, then ranks only its own weights.
    private static bool[]?[] PickPerLayer(float[]?[] ranked, bool[]?[] kept, long[] sizes, long[] pruned, long[] caps, long needed)
    {
        long[] shares = SelectionRules.WaterFill(sizes, pruned, caps, needed);
        var picked = new bool[]?[ranked.Length];
        for (int l = 0; l < ranked.Length; l++)
        {
            if (ranked[l] is null) continue;
            picked[l] = LowestScoreSelection.Pick(new[] { ranked[l] }, new[] { kept[l] }, new[] { shares[l] }, shares[l])[0];
        }
        return picked;
    }
}
