using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The closed loop: trains a dense network (or starts from one), then prunes, fine-tunes and cleans up step by step,
/// keeping the smallest network whose validation metric stays within MaxMetricDrop of the dense one.
/// Create it with <c>mlContext.Transforms.AdaptivePrune</c>.
/// </summary>
public sealed class AdaptivePruneEstimator : IEstimator<NeuralNetworkTransformer>
{
    private readonly PipelineHost _host;
    private readonly AdaptivePruneOptions _options;

    internal AdaptivePruneEstimator(PipelineHost host, AdaptivePruneOptions options)
    {
        _host = host;
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Clone();
        _options.Validate();
    }

    /// <summary>
    /// Dense networks shared by the trials of a sweep (null otherwise). The loop never changes its dense network, and
    /// the trainer's seed is the last one Fit draws, so a shared network leaves every later step as it would have been.
    /// </summary>
    internal DenseNetworkCache? DenseCache { get; init; }

    /// <summary>Trains, prunes and returns the best network within budget; its <c>Report.Trajectory</c> lists every iteration.</summary>
    public NeuralNetworkTransformer Fit(IDataView input)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        _options.Validate();
        CancellationToken cancellation = _options.CancellationToken;
        TensorBoardIterationLog? tensorBoard = TensorBoardIterationLog.Create(_options.TensorBoardLogDirectory);
        TaskMetric metric = TaskMetrics.Resolve(_options.Task, _options.Metric, nameof(AdaptivePruneOptions.Metric));
        int seed = _host.NextSeed();
        StageData data = StageData.Create(input, _options.ValidationData, _options.ValidationFraction, _options.Task,
            _options.FeatureColumnName, _options.LabelColumnName, _options.BatchSize, seed, _options.ConfirmOnHeldOutHalf, _options.Device);
        using IChannel channel = _host.StartChannel("AdaptivePrune");

        NeuralNetwork dense;
        DenseTrainingSummary? denseTraining = null;
        if (_options.InitialModel is not null)
        {
            dense = _options.InitialModel.Network;
            data.CheckNetwork(dense);
        }
        else
        {
            NetworkSpec spec = NetworkSpec.ForColumns(_options.Task, data.Columns.FeatureCount, _options.FeatureColumnName, data.Columns.OutputSize,
                _options.HiddenLayers, AdaptivePruningDefaults.Activation, _options.InputShape, _options.ConvolutionLayers);
            // Early stopping judges the dense epochs on the loop's own validation rows and metric. Keeping the best epoch
            // flatters the baseline by that look's luck, which makes the budget stricter, never looser.
            EarlyStoppingData? stopBy = _options.DenseEarlyStopping ? new EarlyStoppingData(data, metric) : null;
            DenseTrainingResult Train() => new NeuralNetworkTrainer(_host, _options.Task, _options.DenseOptions()).Train(spec, data.Train, stopBy, cancellation);
            DenseTrainingResult trained = DenseCache is null ? Train() : DenseCache.GetOrTrain(spec, Train);
            (dense, denseTraining) = (trained.Network, trained.Summary);
        }
        ValidationScores denseScores = data.Score(dense);
        double baselineMetric = denseScores.Metric(metric);
        channel.Info(MessageSensitivity.None, $"Dense {dense.Spec}: {dense.NonzeroParameterCount:N0} nonzero parameters, validation {TaskMetrics.Name(metric)} {baselineMetric:0.#####}; budget: drop at most {_options.MaxMetricDrop}.");

        List<LayerSensitivity>? sensitivity = null;
        if (_options.SensitivityAllocation && _options.Granularity == PruningGranularity.Weight && _options.Scope == PruningScope.Global)
        {
            sensitivity = SensitivityAnalysis.Analyze(dense, data, metric);
            foreach (LayerSensitivity layer in sensitivity)
                channel.Info(MessageSensitivity.None, $"Layer {layer.Layer} ({layer.Shape}) drop at 50/80/90/95%: {string.Join(" / ", layer.Drops.Select(d => d.ToString("0.####")))}; weight {layer.Weight:0.##}");
        }
        double? stopAtMetric = FineTuneGoal(metric, baselineMetric);
        var runner = new PruningStepRunner(data, _options, metric, _host, dense, seed, sensitivity?.Select(s => s.Weight).ToArray(), stopAtMetric, denseScores);
        var baseline = new Checkpoint(dense, runner.SparsityOf(dense), baselineMetric);
        ControllerSettings settings = _options.ControllerSettings() with { TargetsMet = TargetsMet(input) };
        var observer = new PipelineLoopObserver(_host, channel, tensorBoard, _options.Progress, _options.CheckpointObserver);
        LoopOutcome outcome = new AdaptiveController(settings).Run(runner, baseline, cancellation, observer);
        channel.Info(MessageSensitivity.None, $"Stopped: {outcome.StopReason}. Best: {outcome.Best.Network.Spec}, sparsity {outcome.Best.Sparsity:P2}, {TaskMetrics.Name(metric)} {outcome.Best.Metric:0.#####}.");

        Checkpoint chosen = outcome.Best;
        double metricBefore = baselineMetric;
        string? confirmation = null;
        if (data.HeldOut is not null)
        {
            var confirmed = HeldOutConfirmation.Select(outcome.Accepted, baseline, network => data.EvaluateHeldOut(network, metric), metric, _options.MaxMetricDrop);
            (chosen, metricBefore) = (confirmed.Chosen with { Metric = confirmed.ChosenMetric }, confirmed.BaselineMetric);
            confirmation = $"Confirmed on held-out validation rows: {confirmed.Rejected} sparser accepted network(s) rejected; {chosen.Network.Spec}, sparsity {chosen.Sparsity:P2}, {TaskMetrics.Name(metric)} {confirmed.BaselineMetric:0.#####} -> {confirmed.ChosenMetric:0.#####} (report metrics are the held-out ones).";
            channel.Info(MessageSensitivity.None, confirmation);
        }

        string? quantization = null;
        if (_options.Quantization != WeightQuantization.None)
            (chosen, quantization) = Quantize(chosen, data, metric, denseScores, seed, channel, cancellation);

        CompressionReport report = CompressionReport.Create(dense, chosen.Network, TaskMetrics.Name(metric), metricBefore, chosen.Metric);
        report.Trajectory.AddRange(outcome.Trajectory);
        report.DenseTraining = denseTraining;
        if (sensitivity is not null) report.Sensitivity.AddRange(sensitivity);
        report.Notes.Add($"AdaptivePrune ({_options.Schedule}, {_options.Criterion}/{_options.Granularity}/{_options.Scope}) stopped: {outcome.StopReason}");
        if (confirmation is not null) report.Notes.Add(confirmation);
        if (quantization is not null) report.Notes.Add(quantization);
        return new NeuralNetworkTransformer(chosen.Network, _options.FeatureColumnName, input, _options.LabelColumnName, report);
    }

    /// <summary>
    /// The Quantize stage on the chosen network, judged against the dense network on the loop's validation rows with
    /// the loop's margin: the int8 network when it is within budget, otherwise the float one, with a note either way.
    /// </summary>
    private (Checkpoint Chosen, string Note) Quantize(Checkpoint chosen, StageData data, TaskMetric metric, ValidationScores denseScores, int seed, IChannel channel, CancellationToken cancellation)
    {
        QuantizeResult result;
        try
        {
            result = new NetworkQuantizer(data, _options.QuantizeStepOptions(), metric)
                .Run(chosen.Network, denseScores, nameof(AdaptivePruneOptions.Quantization), _host, channel, unchecked(seed + 104729), cancellation);
        }
        catch (ArgumentException ex)
        {
            // The loop's result is never lost to the last stage: it is returned as float, and the note says why.
            string failed = $"Quantization {_options.Quantization} not applied: {ex.Message} The float network is returned.";
            channel.Warning(MessageSensitivity.None, failed);
            return (chosen, failed);
        }
        string name = TaskMetrics.Name(metric);
        string judged = $"{name} {result.Metric:0.#####}, judged drop from dense {result.JudgedDrop:0.#####} (budget {_options.MaxMetricDrop}), {result.PrunedByRounding} weight(s) rounded to zero{result.FloatLayersNote}";
        string note = result.WithinBudget
            ? $"Quantized to {_options.Quantization} ({result.MethodNote}): {judged}."
            : $"Quantization {_options.Quantization} missed the budget ({judged}); the float network is returned.";
        channel.Info(MessageSensitivity.None, note);
        if (!result.WithinBudget) return (chosen, note);
        // With a held-out half, the report's metric is the held-out one, as for the float choice.
        double reported = data.HeldOut is null ? result.Metric : data.EvaluateHeldOut(result.Network, metric);
        return (new Checkpoint(result.Network, chosen.Sparsity, reported, result.StandardError), note);
    }

    /// <summary>The input schema plus the task's scoring columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        ScoreSchemaShape.Create(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)), _options.Task, _options.FeatureColumnName);

    /// <summary>The metric at which a step's fine-tuning may end early, or null to train to a plateau.</summary>
    private double? FineTuneGoal(TaskMetric metric, double baselineMetric)
    {
        // Fixed schedules fine-tune for all their epochs, as the recipes they reproduce do.
        if (_options.Schedule != PruningSchedule.Adaptive) return null;
        double slack = TaskMetrics.HigherIsBetter(metric) ? -_options.MaxMetricDrop : _options.MaxMetricDrop;
        return _options.FineTuneStop switch
        {
            FineTuneStop.WithinBudget => baselineMetric + slack,
            FineTuneStop.BaselineRecovered => baselineMetric,
            _ => null,
        };
    }

    private Func<Checkpoint, bool>? TargetsMet(IDataView input)
    {
        if (_options.MaxParameters is null && _options.MaxFlops is null && _options.MaxLatency is null) return null;
        Func<NeuralNetwork, TimeSpan>? latency = _options.MaxLatency is null ? null
            : LatencyProbe.Create(_options.ValidationData ?? input, _options.FeatureColumnName, _options.LabelColumnName);
        return checkpoint =>
            (_options.MaxParameters is not long p || checkpoint.Network.NonzeroParameterCount <= p)
            && (_options.MaxFlops is not long f || checkpoint.Network.FlopsPerRow <= f)
            && (latency is null || latency(checkpoint.Network) <= _options.MaxLatency!.Value);
    }
}
