using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Structured pruning decisions: which hidden units to keep, from criterion scores, a scope and a target fraction.
/// Output units are never removed and no hidden layer drops below its floor.
/// </summary>
public static class UnitSelector
{
    /// <summary>Scores every hidden layer's units with <paramref name="criterion"/> and selects the units to keep.</summary>
    public static UnitSelection Select(NeuralNetwork network, IPruningCriterion criterion, GradientStatistics? gradients, Random random, UnitSelectionOptions options)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (criterion is null) throw new ArgumentNullException(nameof(criterion));
        if (random is null) throw new ArgumentNullException(nameof(random));
        if (options is null) throw new ArgumentNullException(nameof(options));
        options.Validate();
        RequireHiddenLayer(network);
        gradients?.Validate(network);
        var scores = new float[network.Spec.HiddenUnitCounts.Count][];
        for (int h = 0; h < scores.Length; h++) scores[h] = criterion.ScoreUnits(network, h, gradients, random);
        return Select(network, scores, criterion.NeedsLayerNormalization, options);
    }

    /// <summary>Selects the units to keep from precomputed scores: per hidden layer, one score per unit; higher is kept.</summary>
    /// <param name="network">The network whose hidden units are ranked.</param>
    /// <param name="hiddenScores">Per hidden layer, one score per unit.</param>
    /// <param name="normalizePerLayer">Divide each layer's scores by its mean before a global ranking.</param>
    /// <param name="options">Target, scope and floors.</param>
    public static UnitSelection Select(NeuralNetwork network, IReadOnlyList<float[]> hiddenScores, bool normalizePerLayer, UnitSelectionOptions options)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (hiddenScores is null) throw new ArgumentNullException(nameof(hiddenScores));
        if (options is null) throw new ArgumentNullException(nameof(options));
        options.Validate();
        RequireHiddenLayer(network);
        IReadOnlyList<int> widths = network.Spec.HiddenUnitCounts;
        if (hiddenScores.Count != widths.Count)
            throw new ArgumentException($"Expected unit scores for {widths.Count} hidden layers, got {hiddenScores.Count}.", nameof(hiddenScores));

        int hidden = widths.Count;
        var ranked = new float[]?[hidden];
        var caps = new long[hidden];
        for (int h = 0; h < hidden; h++)
        {
            SelectionRules.CheckScores(hiddenScores[h], widths[h], null, "unit", h);
            ranked[h] = normalizePerLayer && options.Scope == PruningScope.Global ? SelectionRules.DivideByLayerMean(hiddenScores[h], null) : hiddenScores[h];
            caps[h] = widths[h] - SelectionRules.MinimumKept(widths[h], options.MinKeptFraction, options.MinKeptUnitsPerLayer);
        }

        var noMasks = new bool[]?[hidden];
        bool[]?[] picked;
        if (options.Scope == PruningScope.Global)
        {
            picked = LowestScoreSelection.Pick(ranked, noMasks, caps, SelectionRules.TargetCount(options.Sparsity, widths.Sum()));
        }
        else
        {
            picked = new bool[]?[hidden];
            for (int h = 0; h < hidden; h++)
            {
                long remove = SelectionRules.TargetCount(options.Sparsity, widths[h]);
                if (remove >= widths[h])
                    throw new ArgumentOutOfRangeException(nameof(options.Sparsity), options.Sparsity,
                        $"{nameof(options.Sparsity)} {options.Sparsity} with {nameof(PruningScope.PerLayer)} scope would remove all {widths[h]} units of hidden layer {h}; use a lower value.");
                remove = Math.Min(remove, caps[h]);
                picked[h] = LowestScoreSelection.Pick(new[] { ranked[h] }, new[] { noMasks[h] }, new[] { remove }, remove)[0];
            }
        }

        var keptUnits = new int[hidden][];
        for (int h = 0; h < hidden; h++) keptUnits[h] = Enumerable.Range(0, widths[h]).Where(j => !picked[h]![j]).ToArray();
        return new UnitSelection(keptUnits, widths.Sum());
    }

    private static void RequireHiddenLayer(NeuralNetwork network)
    {
        if (network.Spec.HiddenUnitCounts.Count == 0)
            throw new ArgumentException($"{nameof(PruningGranularity.Neuron)} granularity needs at least one hidden layer, but network {network.Spec} has none; use {nameof(PruningGranularity.Weight)} granularity.", nameof(network));
    }
}
