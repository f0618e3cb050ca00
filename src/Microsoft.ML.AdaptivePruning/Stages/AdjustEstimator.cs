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
public sealed class AdjustEstimator : StageEstimator
{
    private readonly AdjustOptions _options;

    internal AdjustEstimator(PipelineHost host, NeuralNetworkTransformer source, AdjustOptions options) : base(host, source)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Clone();
        _options.Validate();
        TaskMetrics.Resolve(source.Network.Spec.Task, _options.Metric, nameof(AdjustOptions.Metric));
    }

    /// <summary>The per-epoch record of the last fit.</summary>
    public IReadOnlyList<AdjustEpoch> History { get; private set; } = Array.Empty<AdjustEpoch>();

    private protected override NeuralNetworkTransformer FitCore(IDataView input, CancellationToken cancellation)
    {
        NeuralNetwork network = Source.Network;
        (TaskMetric metric, int seed, StageData data) = PrepareValidatedStage(input, _options.Metric, nameof(AdjustOptions.Metric),
            _options.ValidationData, _options.ValidationFraction, _options.FeatureColumnName, _options.LabelColumnName, _options.BatchSize, _options.Device);
        using IChannel channel = Host.StartChannel("Adjust");
        FineTuneResult result = new FineTuner(data, _options, metric).Run(network, Host, channel, seed, cancellation);
        History = result.History;
        double before = MetricBefore(metric, result.InitialMetric);
        string note = $"Adjust {result.History.Count} epoch(s): {TaskMetrics.Name(metric)} {result.InitialMetric:0.#####} -> {result.Metric:0.#####}" + (result.RevivedWeights > 0 ? $", {result.RevivedWeights} weight(s) regrown" : "");
        CompressionReport report = CompressionReport.Chain(Source.Report, result.Network, TaskMetrics.Name(metric), before, result.Metric, new[] { note });
        return new NeuralNetworkTransformer(result.Network, Source.FeatureColumnName, input, _options.LabelColumnName, report);
    }

}
