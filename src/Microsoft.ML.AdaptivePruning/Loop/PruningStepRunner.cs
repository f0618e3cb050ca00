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
    private readonly DistillationSettings? _distillation;
    private readonly Lazy<RowOutcomes>? _denseOutcomes;

    /// <summary>A runner over <paramref name="data"/> whose sparsities are measured against <paramref name="dense"/>.</summary>
    /// <param name="data">Training and validation batches.</param>
    /// <param name="options">The loop's options (criterion, granularity, fine-tuning).</param>
    /// <param name="metric">The validation metric.</param>
    /// <param name="host">Seeds, log and cancellation.</param>
    /// <param name="dense">The dense network sparsity is measured against.</param>
    /// <param name="seed">Base seed; each iteration derives its own.</param>
    /// <param name="layerWeights">Per-layer sensitivity weights for the global ranking, or null.</param>
    /// <param name="stopAtMetric">Fine-tuning ends early once the validation metric reaches this (null: only on a plateau).</param>
    /// <param name="denseScores">The dense network's validation outputs when the caller has them already (null: scored when needed).</param>
    public PruningStepRunner(StageData data, AdaptivePruneOptions options, TaskMetric metric, PipelineHost host, NeuralNetwork dense, int seed,
        IReadOnlyList<double>? layerWeights = null, double? stopAtMetric = null, ValidationScores? denseScores = null)
    {
        _stopAtMetric = stopAtMetric;
        IPruningCriterion criterion = options.CustomCriterion ?? PruningCriteria.Create(options.Criterion);
        _criterion = layerWeights is null ? criterion : new SensitivityWeightedCriterion(criterion, layerWeights);
        _data = data;
        _options = options;
        _metric = metric;
        _host = host;
        _denseWeights = WeightCount(dense);
        _denseHiddenUnits = dense.Spec.HiddenUnitCounts.Sum();
        _seed = seed;
        _distillation = options.DistillationWeight > 0 ? new DistillationSettings(dense, options.DistillationWeight, options.DistillationTemperature) : null;
        // Only a margin needs the error, and the dense network's rows are needed once for every step's pairing.
        _denseOutcomes = options.UncertaintyMargin > 0 ? new Lazy<RowOutcomes>(() => (denseScores ?? data.Score(dense)).Outcomes()) : null;
    }

    /// <summary>Sparsity against the dense network: zero or removed weights (Weight), or removed hidden units (Neuron).</summary>
    public double SparsityOf(NeuralNetwork network) => _options.Granularity == PruningGranularity.Neuron
        ? 1.0 - (double)network.Spec.HiddenUnitCounts.Sum() / Math.Max(1, _denseHiddenUnits)
        : 1.0 - (double)network.Layers.Sum(l => (long)l.NonzeroWeightCount) / _denseWeights;

    public Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, CancellationToken cancellation)
    {
        int seed = unchecked(_seed + 7919 * iteration);
        GradientSource gradients = _data.GradientSource(_options.FineTuneOptions().ToSettings());
        NeuralNetwork PruneTo(NeuralNetwork network, double sparsity) =>
            NetworkPruner.Prune(network, _options.PruneStepOptions(_criterion, LocalSparsity(network, sparsity)), gradients, seed);
        // Only the schedule hands over a start sparser than its target, and only for weight granularity (ControllerSettings).
        if (from.Sparsity > targetSparsity && from.Origin is StepOrigin origin)
            return FineTuneAndClean(Revive(from.Network, origin, targetSparsity, gradients, seed), StepEpochs, extraPatience: 0, seed, cancellation, origin: origin);
        StepOrigin start = StepOrigin.At(from.Network);
        if (PrunesDuringFineTuning)
        {
            long batches = BatchesPerEpoch * StepEpochs;
            var gradual = new GradualPruning(from.Sparsity, targetSparsity, _options.PruningIncrements, batches, PruneTo);
            return FineTuneAndClean(from.Network, StepEpochs, extraPatience: 0, seed, cancellation, gradual, start);
        }
        return FineTuneAndClean(PruneTo(from.Network, targetSparsity), StepEpochs, extraPatience: 0, seed, cancellation, origin: start);
    }

    /// <summary>
    /// A rejected step's network with weights given back until it holds as many as <paramref name="targetSparsity"/>
    /// allows (<see cref="WeightRevival"/>), ranked on the step's start lined up with it.
    /// </summary>
    private NeuralNetwork Revive(NeuralNetwork rejected, StepOrigin origin, double targetSparsity, GradientSource gradientSource, int seed)
    {
        NeuralNetwork alignedStart = origin.KeptUnits.Length == 0 ? origin.Start : NeuronSurgery.RemoveUnits(origin.Start, origin.KeptUnits);
        long keep = (long)Math.Round((1 - targetSparsity) * _denseWeights);
        long revive = keep - rejected.Layers.Sum(l => (long)l.KeptWeightCount);
        GradientStatistics? gradients = _criterion.RequiresGradients ? gradientSource.Collect(alignedStart, _options.PruneStepOptions(_criterion, targetSparsity).GradientBatches, seed) : null;
        return WeightRevival.Revive(rejected, alignedStart, revive, _criterion, gradients, new Random(seed));
    }

    /// <summary>Training batches in one pass, counted once.</summary>
    private long BatchesPerEpoch => _batchesPerEpoch ??= _data.Train.BatchesPerPass(_options.BatchSize);

    private long? _batchesPerEpoch;

    /// <summary>Epochs each step fine-tunes for (see <see cref="FineTuneLength"/>).</summary>
    private int StepEpochs => _options.FineTuneEpochs == 0 ? 0 : FineTuneLength.StepEpochs(_options, BatchesPerEpoch);

    /// <summary>
    /// Whether a step's sparsity rises during its fine-tuning (<see cref="AdaptivePruneOptions.PruningIncrements"/>):
    /// single weights only, since removing units mid-run would change the shapes being trained, and only under the
    /// annealed stop, since a run that keeps its best epoch could keep one from before the last cut.
    /// </summary>
    private bool PrunesDuringFineTuning =>
        _options.PruningIncrements > 1 && _options.Granularity == PruningGranularity.Weight && _options.FineTuneEpochs > 0
        && _options.FineTuneOptions().KeepLastEpoch;

    public Checkpoint Recover(Checkpoint candidate, int iteration, CancellationToken cancellation) =>
        // A recovery is a longer run by design, so it may ride out one more flat epoch than a step does.
        FineTuneAndClean(candidate.Network, FineTuneLength.RecoveryEpochs(_options, StepEpochs), extraPatience: 1, unchecked(_seed + 7919 * iteration + 1), cancellation,
            origin: candidate.Origin);

    // origin: where the network lines up with its step's start; carried to the result with the units cleaning removes.
    private Checkpoint FineTuneAndClean(NeuralNetwork network, int epochs, int extraPatience, int seed, CancellationToken cancellation, IFineTuneHook? hook = null,
        StepOrigin? origin = null)
    {
        NeuralNetwork tuned;
        double metric;
        ValidationScores scores;
        if (epochs == 0)
        {
            tuned = network;
            scores = _data.Score(network);
            metric = scores.Metric(_metric);
        }
        else
        {
            AdjustOptions fineTune = _options.FineTuneOptions(_stopAtMetric);
            fineTune.Epochs = epochs;
            fineTune.Patience += extraPatience;
            FineTuneResult result = new FineTuner(_data, fineTune, _metric, _distillation, measureInitialMetric: false).Run(network, _host, null, seed, cancellation, hook);
            tuned = result.Network;
            metric = result.Metric;
            scores = result.Scores;
        }
        // Removing dead units is exact, so the outcomes of the validation pass that gave the metric are the clean
        // network's too: one pass per decision serves the metric and its standard error.
        NeuralNetwork clean = tuned;
        if (tuned.Spec.HiddenUnitCounts.Count > 0)
        {
            clean = NeuronSurgery.RemoveDeadUnits(tuned, out _, out int[][] kept);
            origin = origin?.Then(kept);
        }
        double error = _denseOutcomes is null ? 0
            : PairedBootstrap.DropStandardError(_metric, _denseOutcomes.Value, scores.Outcomes(), seed);
        return new Checkpoint(clean, SparsityOf(clean), metric, error, origin);
    }

    /// <summary>Turns a sparsity against the dense network into the fraction the pruner applies to the current one.</summary>
    private double LocalSparsity(NeuralNetwork network, double target)
    {
        double local;
        if (_options.Granularity == PruningGranularity.Neuron)
        {
            double keep = (1 - target) * _denseHiddenUnits;
            local = 1 - keep / network.Spec.HiddenUnitCounts.Sum();
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
