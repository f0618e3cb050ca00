using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Reshapes a network for its task and budget: the task's metric decides, dead units and (when affordable) whole
/// hidden layers are removed, and units are removed until MaxParameters, MaxFlops and MaxLatency hold.
/// Throws <see cref="BudgetNotMetException"/> when a budget cannot be met within MaxMetricDrop.
/// Create it with <c>mlContext.Transforms.TaskOptimize</c>.
/// </summary>
public sealed class TaskOptimizeEstimator : StageEstimator
{
    private readonly TaskOptimizeOptions _options;

    internal TaskOptimizeEstimator(PipelineHost host, NeuralNetworkTransformer source, TaskOptimizeOptions options) : base(host, source)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Clone();
        _options.Validate();
        TaskMetrics.Resolve(source.Network.Spec.Task, _options.Metric, nameof(TaskOptimizeOptions.Metric));
    }

    private protected override NeuralNetworkTransformer FitCore(IDataView input, CancellationToken cancellation)
    {
        NeuralNetwork network = Source.Network;
        (TaskMetric metric, int seed, StageData data) = PrepareValidatedStage(input, _options.Metric, nameof(TaskOptimizeOptions.Metric),
            _options.ValidationData, _options.ValidationFraction, _options.FeatureColumnName, _options.LabelColumnName, _options.BatchSize, _options.Device);
        Func<NeuralNetwork, TimeSpan>? latency = _options.MaxLatency is null ? null
            : LatencyProbe.Create(_options.ValidationData ?? input, Source.FeatureColumnName, _options.LabelColumnName);
        using IChannel channel = Host.StartChannel("TaskOptimize");
        TaskOptimizeResult result = new TaskOptimizer(data, _options, metric, latency).Run(network, Host, channel, seed, cancellation);
        double before = MetricBefore(metric, result.ReferenceMetric);
        // One summary line even when nothing changed, so the report's notes always show every stage that ran.
        string summary = $"TaskOptimize {TaskMetrics.Name(metric)} {result.ReferenceMetric:0.#####} -> {result.Metric:0.#####}: {result.Network.Spec}" + (result.Actions.Count == 0 ? ", no change" : "");
        IEnumerable<string> notes = result.Actions.Select(action => "TaskOptimize: " + action).Prepend(summary);
        CompressionReport report = CompressionReport.Chain(Source.Report, result.Network, TaskMetrics.Name(metric), before, result.Metric, notes);
        return new NeuralNetworkTransformer(result.Network, Source.FeatureColumnName, input, _options.LabelColumnName, report);
    }

}
