using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>What quantizing one network gave: the int8 network and how it was judged against the reference.</summary>
/// <param name="Network">The quantized network.</param>
/// <param name="Metric">Its validation metric.</param>
/// <param name="StandardError">Standard error of its drop from the reference (0 without a margin).</param>
/// <param name="JudgedDrop">Drop plus the margin's standard errors: what the budget is compared with.</param>
/// <param name="WithinBudget">Whether the judged drop is within the budget.</param>
/// <param name="PrunedByRounding">Kept weights that rounded to zero and are now pruned.</param>
/// <param name="FloatLayers">Layers kept float because their int8 graph deflates to no fewer bytes (<see cref="LayerStorageChoice"/>).</param>
internal sealed record QuantizeResult(NeuralNetwork Network, double Metric, double StandardError, double JudgedDrop, bool WithinBudget, long PrunedByRounding, int FloatLayers)
{
    /// <summary>What the notes add about layers kept float: nothing when every layer is int8.</summary>
    public string FloatLayersNote => FloatLayers == 0 ? "" : $", {FloatLayers} layer(s) kept float (no smaller as int8 in the zip)";
}

/// <summary>
/// Quantizes a network to int8, with or without quantization-aware fine-tuning, and judges the result against a
/// reference (the source network for the stage, the dense network for the loop) with the loop's margin rule.
/// </summary>
internal sealed class NetworkQuantizer
{
    private readonly StageData _data;
    private readonly QuantizeOptions _options;
    private readonly TaskMetric _metric;

    public NetworkQuantizer(StageData data, QuantizeOptions options, TaskMetric metric)
    {
        _data = data;
        _options = options;
        _metric = metric;
    }

    /// <param name="source">The float network to quantize.</param>
    /// <param name="referenceScores">The reference network's validation outputs, on the rows <paramref name="source"/> is judged on.</param>
    /// <param name="optionName">The option that asked for int8, named in errors.</param>
    public QuantizeResult Run(NeuralNetwork source, ValidationScores referenceScores, string optionName, PipelineHost host, IChannel? channel, int seed, CancellationToken cancellation)
    {
        // Checked on the source first, so a network that cannot be quantized fails before any training.
        Int8Quantizer.Quantize(source, optionName, _options.Bits);
        NeuralNetwork trained = source;
        if (_options.Mode == QuantizationMode.QuantizationAware)
        {
            var tuner = new FineTuner(_data, _options.FineTuneOptions(), _metric, measureInitialMetric: false, fakeQuantize: true, fakeQuantizeBits: _options.Bits);
            trained = tuner.Run(source, host, channel, seed, cancellation).Network;
        }
        NeuralNetwork quantized = LayerStorageChoice.KeepFloatWhereSmaller(Int8Quantizer.Quantize(trained, optionName, _options.Bits), out int floatLayers);
        // The budget judges the stored network, scored as it will be scored, not the fake-quantized session.
        ValidationScores scores = _data.Score(quantized);
        double reference = referenceScores.Metric(_metric), metric = scores.Metric(_metric);
        double error = _options.UncertaintyMargin > 0
            ? PairedBootstrap.DropStandardError(_metric, referenceScores.Outcomes(), scores.Outcomes(), seed) : 0;
        double judged = MetricBudget.JudgedDrop(_metric, reference, metric, _options.UncertaintyMargin, error);
        long roundedAway = source.NonzeroWeightCount - quantized.NonzeroWeightCount;
        return new QuantizeResult(quantized, metric, error, judged, MetricBudget.Within(judged, _options.MaxMetricDrop), roundedAway, floatLayers);
    }
}
