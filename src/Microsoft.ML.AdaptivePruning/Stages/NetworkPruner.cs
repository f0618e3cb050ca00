using System;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One pruning step on a network: score, select, then mask (Weight) or cut (Neuron).</summary>
internal static class NetworkPruner
{
    /// <param name="network">The network to prune; not modified.</param>
    /// <param name="options">What to prune.</param>
    /// <param name="gradientSource">Training data for gradient-based criteria, or null.</param>
    /// <param name="seed">Seed for the random criterion and the gradient batches.</param>
    public static NeuralNetwork Prune(NeuralNetwork network, PruneOptions options, GradientSource? gradientSource, int seed)
    {
        options.Validate();
        if (options.Granularity == PruningGranularity.Neuron && network.Spec.HiddenUnitCounts.Count == 0)
            throw new ArgumentException($"Neuron granularity removes hidden units, but network {network.Spec} has no hidden layer.", nameof(options.Granularity));

        IPruningCriterion criterion = options.CustomCriterion ?? PruningCriteria.Create(options.Criterion);
        GradientStatistics? gradients = null;
        if (criterion.RequiresGradients)
        {
            if (gradientSource is null)
                throw new InvalidOperationException($"Criterion '{criterion.Name}' needs gradients, so it needs training data.");
            gradients = gradientSource.Collect(network, options.GradientBatches, seed);
        }
        var random = new Random(seed);
        if (options.Granularity == PruningGranularity.Neuron)
        {
            var unitOptions = new UnitSelectionOptions { Scope = options.Scope, Sparsity = options.Sparsity, MinKeptFraction = options.MinKeptFraction };
            return UnitSelector.Select(network, criterion, gradients, random, unitOptions).ApplyTo(network);
        }
        var maskOptions = new MaskSelectionOptions
        {
            Scope = options.Scope,
            Sparsity = options.Sparsity,
            ScoreThreshold = options.Threshold,
            MinKeptFraction = options.MinKeptFraction,
        };
        return MaskSelector.Select(network, criterion, gradients, random, maskOptions).ApplyTo(network);
    }
}

/// <summary>Training data from which gradient statistics are measured for a given network.</summary>
internal sealed class GradientSource
{
    private readonly BatchStream _stream;
    private readonly TrainingSettings _settings;
    private readonly TargetScaling _scaling;

    public GradientSource(BatchStream stream, TrainingSettings settings, TargetScaling scaling)
    {
        _stream = stream;
        _settings = settings;
        _scaling = scaling;
    }

    public GradientStatistics Collect(NeuralNetwork network, int batches, int seed)
    {
        using var session = new TrainingSession(network, _settings, _scaling);
        return session.CollectGradients(_stream, batches, seed);
    }
}
