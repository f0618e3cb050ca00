using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The values a pruning sweep tries for each swept option of <see cref="AdaptivePruneOptions"/>. The space is the cross
/// product of the lists (<see cref="QuantizationBits"/> multiplies only the quantized choices); the grid sampler walks
/// it with <see cref="Criteria"/> outermost and the quantization choice innermost, each list in the order given. Every list defaults to the one value
/// <see cref="AdaptivePruneOptions"/> uses by default, so set only the lists you want to search.
/// </summary>
public sealed class PruningSearchSpace
{
    /// <summary>Importance criteria to try. Default: <see cref="AdaptivePruningDefaults.Criterion"/>.</summary>
    public PruningCriterion[] Criteria { get; set; } = { AdaptivePruningDefaults.Criterion };

    /// <summary>Granularities to try (single weights, whole hidden units). Default: <see cref="AdaptivePruningDefaults.Granularity"/>.</summary>
    public PruningGranularity[] Granularities { get; set; } = { AdaptivePruningDefaults.Granularity };

    /// <summary>Step policies to try. Default: <see cref="AdaptivePruningDefaults.Schedule"/>.</summary>
    public PruningSchedule[] Schedules { get; set; } = { AdaptivePruningDefaults.Schedule };

    /// <summary>Metric budgets to try, in the metric's units, each zero or positive. Default: <see cref="AdaptivePruningDefaults.MaxMetricDrop"/>.</summary>
    public double[] MaxMetricDrops { get; set; } = { AdaptivePruningDefaults.MaxMetricDrop };

    /// <summary>Hidden-layer widths of the dense network to try; an empty array is a linear model. Default: <see cref="AdaptivePruningDefaults.HiddenLayers"/>.</summary>
    public int[][] HiddenLayers { get; set; } = { AdaptivePruningDefaults.HiddenLayers };

    /// <summary>
    /// Whether each trial quantizes its result (<see cref="AdaptivePruneOptions.Quantization"/>). Default:
    /// <see cref="AdaptivePruningDefaults.LoopQuantization"/> (none).
    /// </summary>
    /// <remarks>
    /// A quantized trial runs the same loop as the float one with the same other settings (the same seed gives the same
    /// float network), then the Quantize stage under the loop's budget, so it costs one loop more. Set
    /// <see cref="SweepSelection.Size"/> to <see cref="SweepSizeMeasure.SavedBytes"/> to compare them by bytes on disk:
    /// by nonzero parameters an int8 network is no smaller than its float source.
    /// </remarks>
    public WeightQuantization[] Quantizations { get; set; } = { AdaptivePruningDefaults.LoopQuantization };

    /// <summary>
    /// Bits per weight value of the quantized choices (<see cref="AdaptivePruneOptions.QuantizationBits"/>), each from
    /// <see cref="AdaptivePruningDefaults.MinQuantizationBits"/> to 8. Default: <see cref="AdaptivePruningDefaults.QuantizationBits"/>.
    /// </summary>
    /// <remarks>Only quantized choices take a bit count: <see cref="WeightQuantization.None"/> is one point, not one per entry.</remarks>
    public int[] QuantizationBits { get; set; } = { AdaptivePruningDefaults.QuantizationBits };

    /// <summary>Number of points in the space: the product of the list lengths (see <see cref="QuantizationBits"/>).</summary>
    /// <exception cref="ArgumentException">A list is null or empty (see <see cref="Validate"/>).</exception>
    public long Count
    {
        get
        {
            Validate();
            return checked((long)Criteria.Length * Granularities.Length * Schedules.Length * MaxMetricDrops.Length * HiddenLayers.Length * QuantizationChoices().Count);
        }
    }

    /// <summary>Throws an exception naming the first list that is empty or holds an invalid value.</summary>
    public void Validate()
    {
        CheckDefined(Criteria, nameof(Criteria));
        CheckDefined(Granularities, nameof(Granularities));
        CheckDefined(Schedules, nameof(Schedules));
        OptionChecks.NotEmpty(MaxMetricDrops, nameof(MaxMetricDrops), Shown(nameof(MaxMetricDrops)));
        for (int i = 0; i < MaxMetricDrops.Length; i++)
            OptionChecks.NonNegativeFinite(MaxMetricDrops[i], nameof(MaxMetricDrops), shownAs: Shown(nameof(MaxMetricDrops), i));
        OptionChecks.NotEmpty(HiddenLayers, nameof(HiddenLayers), Shown(nameof(HiddenLayers)));
        for (int i = 0; i < HiddenLayers.Length; i++)
            OptionChecks.Widths(HiddenLayers[i], nameof(HiddenLayers), Shown(nameof(HiddenLayers), i));
        CheckDefined(Quantizations, nameof(Quantizations));
        OptionChecks.NotEmpty(QuantizationBits, nameof(QuantizationBits), Shown(nameof(QuantizationBits)));
        for (int i = 0; i < QuantizationBits.Length; i++)
            OptionChecks.QuantizationBits(QuantizationBits[i], nameof(QuantizationBits), Shown(nameof(QuantizationBits), i));
    }

    /// <summary>
    /// The quantization points in order: each entry of <see cref="Quantizations"/>, a quantized one once per entry of
    /// <see cref="QuantizationBits"/>, None once (its bits are the default, which it never reads).
    /// </summary>
    internal IReadOnlyList<(WeightQuantization Quantization, int Bits)> QuantizationChoices()
    {
        var choices = new List<(WeightQuantization, int)>();
        foreach (WeightQuantization quantization in Quantizations)
        {
            if (quantization == WeightQuantization.None) choices.Add((quantization, AdaptivePruningDefaults.QuantizationBits));
            else foreach (int bits in QuantizationBits) choices.Add((quantization, bits));
        }
        return choices;
    }

    /// <summary>
    /// The point at a position of the grid order, read as a mixed-radix number whose last digit is the quantization
    /// choice; one formula serves both samplers, so a point is the same whichever sampler picks it.
    /// </summary>
    internal PruningTrialSettings At(long index)
    {
        IReadOnlyList<(WeightQuantization Quantization, int Bits)> quantizations = QuantizationChoices();
        int quantization = Digit(ref index, quantizations.Count);
        int hidden = Digit(ref index, HiddenLayers.Length);
        int drop = Digit(ref index, MaxMetricDrops.Length);
        int schedule = Digit(ref index, Schedules.Length);
        int granularity = Digit(ref index, Granularities.Length);
        int criterion = Digit(ref index, Criteria.Length);
        return new PruningTrialSettings
        {
            Criterion = Criteria[criterion],
            Granularity = Granularities[granularity],
            Schedule = Schedules[schedule],
            MaxMetricDrop = MaxMetricDrops[drop],
            HiddenLayers = (int[])HiddenLayers[hidden].Clone(),
            Quantization = quantizations[quantization].Quantization,
            QuantizationBits = quantizations[quantization].Bits,
        };
    }

    /// <summary>A deep copy, so a sweep is not changed by later edits of the caller's lists.</summary>
    internal PruningSearchSpace Clone() => new()
    {
        Criteria = (PruningCriterion[])Criteria.Clone(),
        Granularities = (PruningGranularity[])Granularities.Clone(),
        Schedules = (PruningSchedule[])Schedules.Clone(),
        MaxMetricDrops = (double[])MaxMetricDrops.Clone(),
        HiddenLayers = Array.ConvertAll(HiddenLayers, h => (int[])h.Clone()),
        Quantizations = (WeightQuantization[])Quantizations.Clone(),
        QuantizationBits = (int[])QuantizationBits.Clone(),
    };

    private static int Digit(ref long index, int radix)
    {
        int digit = (int)(index % radix);
        index /= radix;
        return digit;
    }

    /// <summary>A list must hold at least one value to try, each a member of its enum.</summary>
    private static void CheckDefined<T>(T[]? values, string name) where T : struct, Enum
    {
        OptionChecks.NotEmpty(values, name, Shown(name));
        for (int i = 0; i < values.Length; i++)
            OptionChecks.Defined(values[i], name, Shown(name, i));
    }

    /// <summary>How a list, or one of its values, is named in messages: "SearchSpace.HiddenLayers[1]".</summary>
    private static string Shown(string name, int? index = null) => index is int i ? $"SearchSpace.{name}[{i}]" : $"SearchSpace.{name}";
}
