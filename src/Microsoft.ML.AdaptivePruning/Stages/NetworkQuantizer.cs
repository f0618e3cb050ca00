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
/// <param name="Mode">How the returned network was reached: post-training rounding when fine-tuning was asked for but missed the budget and rounding did better.</param>
/// <param name="AwareJudgedDrop">The judged drop of the quantization-aware network that was set aside for rounding, or NaN.</param>
internal sealed record QuantizeResult(NeuralNetwork Network, double Metric, double StandardError, double JudgedDrop, bool WithinBudget, long PrunedByRounding, int FloatLayers,
    QuantizationMode Mode, double AwareJudgedDrop = double.NaN)
{
    /// <summary>What the notes add about layers kept float: nothing when every layer is int8.</summary>
    public string FloatLayersNote => FloatLayers == 0 ? "" : $", {FloatLayers} layer(s) kept float (no smaller as int8 in the zip)";

    /// <summary>How the network was quantized, for the notes; names the fallback when there was one.</summary>
    public string MethodNote => double.IsNaN(AwareJudgedDrop)
        ? Mode.ToString()
        : $"{QuantizationMode.PostTraining}: {QuantizationMode.QuantizationAware} missed the budget with judged drop {AwareJudgedDrop:0.#####}";
}

/// <summary>
/// Quantizes a network to int8, with or without quantization-aware fine-tuning, and judges the result against a
/// reference (the source network for the stage, the dense network for the loop) with the loop's margin rule.
/// </summary>
/// <remarks>
/// When quantization-aware fine-tuning misses the budget, the source network rounded without training is judged too,
/// and kept if its judged drop is lower. Why: fine-tuning is the default because it can repair a network that rounding
/// hurts, but a few epochs under fake quantization can also move a network the budget only just admitted (the digits
/// set, seed 1: judged drop 0.0132 against 0.01 after fine-tuning, 0 after rounding alone). A user who asked for int8
/// should then get the rounded network that is within budget, not an exception; it costs one validation pass.
/// </remarks>
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
        // Checked on the source first, so a network that cannot be quantized fails before any training; the rounded
        // source is also the post-training result, and the fallback after a missed fine-tuning.
        NeuralNetwork roundedSource = Int8Quantizer.Quantize(source, optionName, _options.Bits);
        if (_options.Mode != QuantizationMode.QuantizationAware)
            return Judge(source, roundedSource, referenceScores, seed, _options.Mode);
        var tuner = new FineTuner(_data, _options.FineTuneOptions(), _metric, measureInitialMetric: false, fakeQuantize: true, fakeQuantizeBits: _options.Bits);
        NeuralNetwork trained = tuner.Run(source, host, channel, seed, cancellation).Network;
        QuantizeResult result = Judge(source, Int8Quantizer.Quantize(trained, optionName, _options.Bits), referenceScores, seed, _options.Mode);
        if (result.WithinBudget) return result;
        QuantizeResult rounded = Judge(source, roundedSource, referenceScores, seed, QuantizationMode.PostTraining);
        channel?.Info(MessageSensitivity.None, $"Quantization-aware fine-tuning missed the budget (judged drop {result.JudgedDrop:0.#####}); post-training rounding: judged drop {rounded.JudgedDrop:0.#####}.");
        return rounded.JudgedDrop < result.JudgedDrop ? rounded with { AwareJudgedDrop = result.JudgedDrop } : result;
    }

    /// <summary>Judges an int8 network as it will be stored and scored (not the fake-quantized session).</summary>
    private QuantizeResult Judge(NeuralNetwork source, NeuralNetwork int8, ValidationScores referenceScores, int seed, QuantizationMode mode)
    {
        NeuralNetwork quantized = LayerStorageChoice.KeepFloatWhereSmaller(int8, out int floatLayers);
        ValidationScores scores = _data.Score(quantized);
        double reference = referenceScores.Metric(_metric), metric = scores.Metric(_metric);
        double error = _options.UncertaintyMargin > 0
            ? PairedBootstrap.DropStandardError(_metric, referenceScores.Outcomes(), scores.Outcomes(), seed) : 0;
        double judged = MetricBudget.JudgedDrop(_metric, reference, metric, _options.UncertaintyMargin, error);
        long roundedAway = source.NonzeroWeightCount - quantized.NonzeroWeightCount;
        return new QuantizeResult(quantized, metric, error, judged, MetricBudget.Within(judged, _options.MaxMetricDrop), roundedAway, floatLayers, mode);
    }
}
