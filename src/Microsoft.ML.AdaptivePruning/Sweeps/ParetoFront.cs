using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The trials no other trial beats on both model size (nonzero parameters, or saved bytes) and validation metric.</summary>
public static class ParetoFront
{
    /// <summary>
    /// The Pareto front of the successful trials in <paramref name="trials"/>: a trial is on it when no other trial has
    /// at most as many nonzero parameters and a metric at least as good, one of the two strictly. Of trials with equal
    /// size and metric only the first (lowest <see cref="SweepTrial.Index"/>) is kept. Ordered by size, smallest first,
    /// so the metric strictly improves along the list.
    /// </summary>
    /// <param name="trials">Trials of one sweep; failed trials and those without a finite metric are ignored.</param>
    /// <param name="metric">The metric the trials were scored with; its direction decides which value is better.</param>
    public static IReadOnlyList<SweepTrial> Of(IEnumerable<SweepTrial> trials, TaskMetric metric)
        => Of(trials, metric, AdaptivePruningDefaults.SweepSize);

    /// <summary>The same front with the model size measured by <paramref name="size"/>.</summary>
    /// <param name="trials">Trials of one sweep; failed trials and those without a finite metric are ignored.</param>
    /// <param name="metric">The metric the trials were scored with; its direction decides which value is better.</param>
    /// <param name="size">Nonzero parameters or saved bytes.</param>
    public static IReadOnlyList<SweepTrial> Of(IEnumerable<SweepTrial> trials, TaskMetric metric, SweepSizeMeasure size)
    {
        OptionChecks.Defined(size, nameof(size));
        if (trials is null) throw new ArgumentNullException(nameof(trials));
        int direction = TaskMetrics.HigherIsBetter(metric) ? 1 : -1;
        // By size, then best metric first, so walking the list a trial joins the front exactly when its metric beats
        // every smaller (or equally small) trial's.
        IEnumerable<SweepTrial> ordered = trials
            .Where(t => t.Succeeded && double.IsFinite(t.ValidationMetric))
            .OrderBy(t => SizeOf(t, size))
            .ThenByDescending(t => direction * t.ValidationMetric)
            .ThenBy(t => t.Index);
        var front = new List<SweepTrial>();
        foreach (SweepTrial trial in ordered)
        {
            if (front.Count == 0 || direction * trial.ValidationMetric > direction * front[^1].ValidationMetric)
                front.Add(trial);
        }
        return front;
    }

    /// <summary>A trial's size in the measure the front uses.</summary>
    internal static long SizeOf(SweepTrial trial, SweepSizeMeasure size) => size == SweepSizeMeasure.SavedBytes ? trial.SavedBytes : trial.NonzeroParameters;
}
