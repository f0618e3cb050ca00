using System;
using System.Globalization;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One point of a <see cref="PruningSearchSpace"/>: the values a sweep trial sets on its <see cref="AdaptivePruneOptions"/>.</summary>
public sealed class PruningTrialSettings
{
    /// <summary>The importance criterion.</summary>
    public PruningCriterion Criterion { get; set; }

    /// <summary>Weights or hidden units.</summary>
    public PruningGranularity Granularity { get; set; }

    /// <summary>The step policy.</summary>
    public PruningSchedule Schedule { get; set; }

    /// <summary>The loop's metric budget, in the metric's units.</summary>
    public double MaxMetricDrop { get; set; }

    /// <summary>Hidden-layer widths of the dense network.</summary>
    public int[] HiddenLayers { get; set; } = Array.Empty<int>();

    /// <summary>Whether the loop quantizes its result.</summary>
    public WeightQuantization Quantization { get; set; } = AdaptivePruningDefaults.LoopQuantization;

    /// <summary>Bits per weight value when <see cref="Quantization"/> is not None.</summary>
    public int QuantizationBits { get; set; } = AdaptivePruningDefaults.QuantizationBits;

    /// <summary>"none", or the quantization with its bits, e.g. "Int8/6 bits".</summary>
    public string QuantizationText => Quantization == WeightQuantization.None ? "none" : $"{Quantization}/{QuantizationBits} bits";

    /// <summary>The hidden layers as "64-32" ("none" for a linear model).</summary>
    public string HiddenLayersText => HiddenLayers.Length == 0 ? "none" : string.Join("-", HiddenLayers);

    /// <summary>For example "Magnitude/Weight/Adaptive, drop 0.01, hidden 64-32" (", Int8/8 bits" after it when quantized).</summary>
    public override string ToString() =>
        $"{Criterion}/{Granularity}/{Schedule}, drop {MaxMetricDrop.ToString("0.#####", CultureInfo.InvariantCulture)}, hidden {HiddenLayersText}" +
        (Quantization == WeightQuantization.None ? "" : ", " + QuantizationText);

    /// <summary>
    /// A copy of <paramref name="baseOptions"/> with these values set, the sweep's cancellation, and a loop time budget
    /// no longer than what is left of the sweep's.
    /// </summary>
    internal AdaptivePruneOptions ApplyTo(AdaptivePruneOptions baseOptions, TimeSpan? remaining, CancellationToken cancellation)
    {
        AdaptivePruneOptions options = baseOptions.Clone();
        options.Criterion = Criterion;
        options.Granularity = Granularity;
        options.Schedule = Schedule;
        options.MaxMetricDrop = MaxMetricDrop;
        options.HiddenLayers = (int[])HiddenLayers.Clone();
        options.Quantization = Quantization;
        options.QuantizationBits = QuantizationBits;
        options.CancellationToken = cancellation;
        if (remaining is TimeSpan left && (options.TimeBudget is null || options.TimeBudget > left)) options.TimeBudget = left;
        return options;
    }
}
