using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The values a pruning sweep tries for each swept option of <see cref="AdaptivePruneOptions"/>. The space is the cross
/// product of the five lists; the grid sampler walks it with <see cref="Criteria"/> outermost and
/// <see cref="HiddenLayers"/> innermost, each list in the order given. Every list defaults to the one value
/// <see cref="AdaptivePruneOptions"/> uses by default, so set only the lists you want to search.
/// </summary>
public sealed class PruningSearchSpace
{
    /// <summary>Importance criteria to try. Default: magnitude.</summary>
    public PruningCriterion[] Criteria { get; set; } = { PruningCriterion.Magnitude };

    /// <summary>Granularities to try (single weights, whole hidden units). Default: weights.</summary>
    public PruningGranularity[] Granularities { get; set; } = { PruningGranularity.Weight };

    /// <summary>Step policies to try. Default: adaptive.</summary>
    public PruningSchedule[] Schedules { get; set; } = { PruningSchedule.Adaptive };

    /// <summary>Metric budgets to try, in the metric's units, each zero or positive. Default: 0.005.</summary>
    public double[] MaxMetricDrops { get; set; } = { 0.005 };

    /// <summary>Hidden-layer widths of the dense network to try; an empty array is a linear model. Default: one layer of 100.</summary>
    public int[][] HiddenLayers { get; set; } = { new[] { 100 } };

    /// <summary>Number of points in the space: the product of the list lengths.</summary>
    /// <exception cref="ArgumentException">A list is null or empty (see <see cref="Validate"/>).</exception>
    public long Count
    {
        get
        {
            Validate();
            return checked((long)Criteria.Length * Granularities.Length * Schedules.Length * MaxMetricDrops.Length * HiddenLayers.Length);
        }
    }

    /// <summary>Throws an exception naming the first list that is empty or holds an invalid value.</summary>
    public void Validate()
    {
        CheckList(Criteria, nameof(Criteria));
        CheckList(Granularities, nameof(Granularities));
        CheckList(Schedules, nameof(Schedules));
        CheckList(MaxMetricDrops, nameof(MaxMetricDrops));
        CheckList(HiddenLayers, nameof(HiddenLayers));
        CheckDefined(Criteria, nameof(Criteria));
        CheckDefined(Granularities, nameof(Granularities));
        CheckDefined(Schedules, nameof(Schedules));
        for (int i = 0; i < MaxMetricDrops.Length; i++)
        {
            double drop = MaxMetricDrops[i];
            if (!(drop >= 0) || double.IsInfinity(drop))
                throw new ArgumentOutOfRangeException(nameof(MaxMetricDrops), drop, $"SearchSpace.MaxMetricDrops[{i}] is {drop}; every metric budget must be zero or a positive finite number.");
        }
        for (int i = 0; i < HiddenLayers.Length; i++)
        {
            if (HiddenLayers[i] is null)
                throw new ArgumentNullException(nameof(HiddenLayers), $"SearchSpace.HiddenLayers[{i}] is null; use an empty array for a linear model.");
            for (int j = 0; j < HiddenLayers[i].Length; j++)
            {
                if (HiddenLayers[i][j] <= 0)
                    throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers[i][j], $"SearchSpace.HiddenLayers[{i}][{j}] is {HiddenLayers[i][j]}; every hidden layer needs at least one unit.");
            }
        }
    }

    /// <summary>
    /// The point at a position of the grid order, read as a mixed-radix number whose last digit is the hidden-layer
    /// choice; one formula serves both samplers, so a point is the same whichever sampler picks it.
    /// </summary>
    internal PruningTrialSettings At(long index)
    {
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
    };

    private static int Digit(ref long index, int radix)
    {
        int digit = (int)(index % radix);
        index /= radix;
        return digit;
    }

    private static void CheckList<T>(IReadOnlyCollection<T>? values, string name)
    {
        if (values is null || values.Count == 0)
            throw new ArgumentException($"SearchSpace.{name} is empty; give at least one value to try.", name);
    }

    private static void CheckDefined<T>(T[] values, string name) where T : struct, Enum
    {
        for (int i = 0; i < values.Length; i++)
        {
            if (!Enum.IsDefined(values[i]))
                throw new ArgumentOutOfRangeException(name, values[i], $"SearchSpace.{name}[{i}] is {values[i]}, which is not a {typeof(T).Name}.");
        }
    }
}
