using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Fine-tunes a (pruned) network under its masks, judged each epoch by ML.NET's evaluator on validation data:
/// warm learning-rate restart, reduce on plateau, early stopping with the best epoch kept, and optional regrowth.
/// Create it with <c>mlContext.Transforms.Adjust</c>.
/// </summary>
public sealed class AdjustEstimator : IEstimator<NeuralNetworkTransformer>
{
    private readonly PipelineHost _host;
    private readonly NeuralNetworkTransformer _source;
    private readonly AdjustOptions _options;

    internal AdjustEstimator(PipelineHost host, NeuralNetworkTransformer source, AdjustOptions options)
    {
        _host = host;
        _source = source ?? throw new ArgumentNullException(nameof(source));
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Clone();
        _options.Validate();
        TaskMetrics.Resolve(source.Network.Spec.Task, _options.Metric, nameof(AdjustOptions.Metric));
    }

    /// <summary>The per-epoch record of the last <see cref="Fit"/>.</summary>
    public IReadOnlyList<AdjustEpoch> History { get; private set; } = Array.Empty<AdjustEpoch>();

    /// <summary>Fine-tunes on <paramref name="input"/> and returns the best epoch's network.</summary>
    public NeuralNetworkTransformer Fit(IDataView input) => Fit(input, CancellationToken.None);

    /// <summary>Fine-tunes on <paramref name="input"/>; cancellation stops between batches.</summary>
    public NeuralNetworkTransformer Fit(IDataView input, CancellationToken cancellation)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        NeuralNetwork network = _source.Network;
        TaskMetric metric = TaskMetrics.Resolve(network.Spec.Task, _options.Metric, nameof(AdjustOptions.Metric));
        int seed = _host.NextSeed();
        StageData data = StageData.Create(input, _options.ValidationData, _options.ValidationFraction, network.Spec.Task,
            _options.FeatureColumnName, _options.LabelColumnName, _options.BatchSize, seed);
        data.CheckNetwork(network);
        using IChannel channel = _host.StartChannel("Adjust");
        FineTuneResult result = new FineTuner(data, _options, metric).Run(network, _host, channel, seed, cancellation);
        History = result.History;
        double before = double.IsNaN(_source.Report.MetricBefore) || _source.Report.MetricName != metric.ToString() ? result.InitialMetric : _source.Report.MetricBefore;
        string note = $"Adjust {result.History.Count} epoch(s): {metric} {result.InitialMetric:0.#####} -> {result.Metric:0.#####}" + (result.RevivedWeights > 0 ? $", {result.RevivedWeights} weight(s) regrown" : "");
        CompressionReport report = CompressionReport.Chain(_source.Report, result.Network, metric.ToString(), before, result.Metric, new[] { note });
        return new NeuralNetworkTransformer(result.Network, _source.FeatureColumnName, input, _options.LabelColumnName, report);
    }

    /// <summary>The input schema plus the task's scoring columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        ScoreSchemaShape.Create(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)), _source.Network.Spec.Task, _source.FeatureColumnName);
}
