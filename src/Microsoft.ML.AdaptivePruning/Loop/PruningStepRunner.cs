using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The real loop step: prune from a checkpoint to a sparsity measured against the dense network, fine-tune
/// with a warm restart, drop units that pruning left dead (exact), and evaluate on validation.
/// </summary>
internal sealed class PruningStepRunner : IPruningStepRunner
{
    private readonly StageData _data;
    private readonly AdaptivePruneOptions _options;
    private readonly TaskMetric _metric;
    private readonly PipelineHost _host;
    private readonly long _denseWeights;
    private readonly int _denseHiddenUnits;
    private readonly int _seed;

    private readonly IPruningCriterion _criterion;

    private readonly double? _stopAtMetric;

    /// <summary>A runner over <paramref name="data"/> whose sparsities are measured against <paramref name="dense"/>.</summary>
    /// <param name="data">Training and validation batches.</param>
    /// <param name="options">The loop's options (criterion, granularity, fine-tuning).</param>
    /// <param name="metric">The validation metric.</param>
    /// <param name="host">Seeds, log and cancellation.</param>
    /// <param name="dense">The dense network sparsity is measured against.</param>
    /// <param name="seed">Base seed; each iteration derives its own.</param>
    /// <param name="layerWeights">Per-layer sensitivity weights for the global ranking, or null.</param>
    /// <param name="budgetMetric">The worst metric still within budget; fine-tuning stops once it is reached.</param>
    public PruningStepRunner(StageData data, AdaptivePruneOptions options, TaskMetric metric, PipelineHost host, NeuralNetwork dense, int seed,
        IReadOnlyList<double>? layerWeights = null, double? budgetMetric = null)
    {
        _stopAtMetric = budgetMetric;
        IPruningCriterion criterion = options.CustomCriterion ?? PruningCriteria.Create(options.Criterion);
        _criterion = layerWeights is null ? criterion : new SensitivityWeightedCriterion(criterion, layerWeights);
        _data = data;
        _options = options;
        _metric = metric;
        _host = host;
        _denseWeights = WeightCount(dense);
        _denseHiddenUnits = dense.Spec.HiddenLayers.Sum();
        _seed = seed;
    }

    /// <summary>Sparsity against the dense network: zero or removed weights (Weight), or removed hidden units (Neuron).</summary>
    public double SparsityOf(NeuralNetwork network) => _options.Granularity == PruningGranularity.Neuron
        ? 1.0 - (double)network.Spec.HiddenLayers.Sum() / Math.Max(1, _denseHiddenUnits)
        : 1.0 - (double)network.Layers.Sum(l => (long)l.NonzeroWeightCount) / _denseWeights;

    public Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, CancellationToken cancellation)
    {
        NeuralNetwork network = from.Network;
        var prune = new PruneOptions
        {
            Criterion = _options.Criterion,
            CustomCriterion = _criterion,
            Granularity = _options.Granularity,
            Scope = _options.Scope,
            FeatureColumnName = _options.FeatureColumnName,
            LabelColumnName = _options.LabelColumnName,
            BatchSize = _options.BatchSize,
            Sparsity = LocalSparsity(network, targetSparsity),
        };
        int seed = unchecked(_seed + 7919 * iteration);
        GradientSource gradients = _data.GradientSource(_options.FineTuneOptions().ToSettings());
        NeuralNetwork pruned = NetworkPruner.Prune(network, prune, gradients, seed);
        NeuralNetwork tuned;
        double metric;
        if (_options.FineTuneEpochs == 0)
        {
            tuned = pruned;
            metric = _data.Evaluate(pruned, _metric);
        }
        else
        {
            FineTuneResult result = new FineTuner(_data, _options.FineTuneOptions(_stopAtMetric), _metric).Run(pruned, _host, null, seed, cancellation);
            tuned = result.Network;
            metric = result.Metric;
        }
        NeuralNetwork clean = tuned.Spec.HiddenLayers.Count > 0 ? NeuronSurgery.RemoveDeadUnits(tuned, out _) : tuned;
        return new Checkpoint(clean, SparsityOf(clean), metric);
    }

    /// <summary>Turns a sparsity against the dense network into the fraction the pruner applies to the current one.</summary>
    private double LocalSparsity(NeuralNetwork network, double target)
    {
        double local;
        if (_options.Granularity == PruningGranularity.Neuron)
        {
            double keep = (1 - target) * _denseHiddenUnits;
            local = 1 - keep / network.Spec.HiddenLayers.Sum();
        }
        else
        {
            double keep = (1 - target) * _denseWeights;
            local = 1 - keep / WeightCount(network);
        }
        return Math.Clamp(local, 0, 0.9999);
    }

    private static long WeightCount(NeuralNetwork network) => network.Layers.Sum(l => (long)l.Weights.Length);
}
