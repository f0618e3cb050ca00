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
public sealed class TaskOptimizeEstimator : IEstimator<NeuralNetworkTransformer>
{
    private readonly PipelineHost _host;
    private readonly NeuralNetworkTransformer _source;
    private readonly TaskOptimizeOptions _options;

    internal TaskOptimizeEstimator(PipelineHost host, NeuralNetworkTransformer source, TaskOptimizeOptions options)
    {
        _host = host;
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Clone();
        _options.Validate();
        TaskMetrics.Resolve(source.Network.Spec.Task, _options.Metric, nameof(TaskOptimizeOptions.Metric));
    }

    /// <summary>Optimises on <paramref name="input"/> and returns the reshaped network.</summary>
    public NeuralNetworkTransformer Fit(IDataView input) => Fit(input, CancellationToken.None);

    /// <summary>Optimises on <paramref name="input"/>; cancellation stops between batches.</summary>
    public NeuralNetworkTransformer Fit(IDataView input, CancellationToken cancellation)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        NeuralNetwork network = _source.Network;
        TaskMetric metric = TaskMetrics.Resolve(network.Spec.Task, _options.Metric, nameof(TaskOptimizeOptions.Metric));
        int seed = _host.NextSeed();
        StageData data = StageData.Create(input, _options.ValidationData, _options.ValidationFraction, network.Spec.Task,
            _options.FeatureColumnName, _options.LabelColumnName, _options.BatchSize, seed);
        data.CheckNetwork(network);
        Func<NeuralNetwork, TimeSpan>? latency = _options.MaxLatency is null ? null
            : LatencyProbe.Create(_options.ValidationData ?? input, _source.FeatureColumnName, _options.LabelColumnName);
        using IChannel channel = _host.StartChannel("TaskOptimize");
        TaskOptimizeResult result = new TaskOptimizer(data, _options, metric, latency).Run(network, _host, channel, seed, cancellation);
        double before = double.IsNaN(_source.Report.MetricBefore) || _source.Report.MetricName != metric.ToString() ? result.ReferenceMetric : _source.Report.MetricBefore;
        // One summary line even when nothing changed, so the report's notes always show every stage that ran.
        string summary = $"TaskOptimize {metric} {result.ReferenceMetric:0.#####} -> {result.Metric:0.#####}: {result.Network.Spec}" + (result.Actions.Count == 0 ? ", no change" : "");
        IEnumerable<string> notes = result.Actions.Select(action => "TaskOptimize: " + action).Prepend(summary);
        CompressionReport report = CompressionReport.Chain(_source.Report, result.Network, metric.ToString(), before, result.Metric, notes);
        return new NeuralNetworkTransformer(result.Network, _source.FeatureColumnName, input, _options.LabelColumnName, report);
    }

    /// <summary>The input schema plus the task's scoring columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        ScoreSchemaShape.Create(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)), _source.Network.Spec.Task, _source.FeatureColumnName);
}
