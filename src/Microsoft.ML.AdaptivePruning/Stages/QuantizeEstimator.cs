using System;
using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Stores a (pruned) network's weights as int8 with one scale per output unit, after quantization-aware fine-tuning
/// under the masks, and checks the metric against the source network. Create it with <c>mlContext.Transforms.Quantize</c>.
/// </summary>
/// <remarks>
/// Throws <see cref="BudgetNotMetException"/> (carrying the float source network) when the quantized network loses
/// more than <see cref="QuantizeOptions.MaxMetricDrop"/>, as TaskOptimize does for its budgets: a silently worse
/// model is never returned. When quantization-aware fine-tuning misses the budget, the source network rounded without
/// training is judged as well and returned if it is within budget; the report's note says so. The saved zip stores int8 initializers and scales (widened and multiplied in the graph), so the
/// plain <c>mlContext.Model.Load</c> scores it; <c>LoadPruned</c> reads the int8 layers back.
/// </remarks>
public sealed class QuantizeEstimator : StageEstimator
{
    private readonly QuantizeOptions _options;

    internal QuantizeEstimator(PipelineHost host, NeuralNetworkTransformer source, QuantizeOptions options) : base(host, source)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Clone();
        _options.Validate();
        TaskMetrics.Resolve(source.Network.Spec.Task, _options.Metric, nameof(QuantizeOptions.Metric));
    }

    private protected override NeuralNetworkTransformer FitCore(IDataView input, CancellationToken cancellation)
    {
        if (_options.Quantization == WeightQuantization.None)
            return new NeuralNetworkTransformer(Source.Network, Source.FeatureColumnName, input, _options.LabelColumnName,
                CompressionReport.Chain(Source.Report, Source.Network, Source.Report.MetricName, Source.Report.MetricBefore, Source.Report.MetricAfter, new[] { "Quantize: None, weights left as float" }));
        (TaskMetric metric, int seed, StageData data) = PrepareValidatedStage(input, _options.Metric, nameof(QuantizeOptions.Metric),
            _options.ValidationData, _options.ValidationFraction, _options.FeatureColumnName, _options.LabelColumnName, _options.BatchSize, _options.Device);
        using IChannel channel = Host.StartChannel("Quantize");
        ValidationScores reference = data.Score(Source.Network);
        double referenceMetric = reference.Metric(metric);
        QuantizeResult result = new NetworkQuantizer(data, _options, metric)
            .Run(Source.Network, reference, nameof(QuantizeOptions.Quantization), Host, channel, seed, cancellation);
        string name = TaskMetrics.Name(metric);
        string outcome = $"Quantize {_options.Quantization} ({result.MethodNote}): {name} {referenceMetric:0.#####} -> {result.Metric:0.#####}, judged drop {result.JudgedDrop:0.#####} (budget {_options.MaxMetricDrop}), {result.PrunedByRounding} weight(s) rounded to zero{result.FloatLayersNote}";
        channel.Info(MessageSensitivity.None, outcome);
        if (!result.WithinBudget)
            throw new BudgetNotMetException($"{outcome}: the int8 network is outside MaxMetricDrop; the float source network is returned in BestWithinMetric.", Source.Network, referenceMetric);
        CompressionReport report = CompressionReport.Chain(Source.Report, result.Network, name, MetricBefore(metric, referenceMetric), result.Metric, new[] { outcome });
        return new NeuralNetworkTransformer(result.Network, Source.FeatureColumnName, input, _options.LabelColumnName, report);
    }
}
