using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Which trial's model a sweep returns: a <see cref="Rule"/> and the number it needs. Every rule prefers fewer
/// parameters and a better metric, so its choice always lies on the Pareto front; <see cref="Select"/> works on any
/// list of trials, so another constraint can be tried on a finished sweep's <see cref="SweepResult.Trials"/>.
/// </summary>
public sealed class SweepSelection
{
    /// <summary>The constraint. Default <see cref="AdaptivePruningDefaults.SelectionRule"/>.</summary>
    public SweepSelectionRule Rule { get; set; } = AdaptivePruningDefaults.SelectionRule;

    /// <summary>
    /// What "smaller" means: the size the Pareto front and the rules compare. Default <see cref="AdaptivePruningDefaults.SweepSize"/>.
    /// </summary>
    /// <remarks>
    /// <see cref="SweepSelectionRule.BestMetricWithinParameters"/> still bounds nonzero parameters, whichever size orders the front.
    /// </remarks>
    public SweepSizeMeasure Size { get; set; } = AdaptivePruningDefaults.SweepSize;

    /// <summary>The validation metric a model must reach, for <see cref="SweepSelectionRule.SmallestMeetingMetric"/>.</summary>
    public double? MetricTarget { get; set; }

    /// <summary>The most nonzero parameters allowed, for <see cref="SweepSelectionRule.BestMetricWithinParameters"/>.</summary>
    public long? MaxParameters { get; set; }

    /// <summary>How far below the best trial's metric a model may be, in the metric's units, for <see cref="SweepSelectionRule.SmallestWithinDropOfBest"/>. Default <see cref="AdaptivePruningDefaults.MaxDropFromBest"/>.</summary>
    public double MaxDropFromBest { get; set; } = AdaptivePruningDefaults.MaxDropFromBest;

    /// <summary>The best validation metric.</summary>
    public static SweepSelection BestMetric() => new() { Rule = SweepSelectionRule.BestMetric };

    /// <summary>The smallest model whose validation metric is at least as good as <paramref name="metric"/>.</summary>
    public static SweepSelection SmallestMeeting(double metric) => new() { Rule = SweepSelectionRule.SmallestMeetingMetric, MetricTarget = metric };

    /// <summary>The best validation metric with at most <paramref name="maxParameters"/> nonzero parameters.</summary>
    public static SweepSelection BestWithin(long maxParameters) => new() { Rule = SweepSelectionRule.BestMetricWithinParameters, MaxParameters = maxParameters };

    /// <summary>The smallest model within <paramref name="drop"/> of the best trial's validation metric.</summary>
    public static SweepSelection SmallestWithinDrop(double drop) => new() { Rule = SweepSelectionRule.SmallestWithinDropOfBest, MaxDropFromBest = drop };

    /// <summary>Throws an exception naming the rule, or the value it needs, when either is missing or invalid.</summary>
    public void Validate()
    {
        OptionChecks.Defined(Size, nameof(Size), "Selection.Size");
        switch (Rule)
        {
            case SweepSelectionRule.BestMetric:
                break;
            case SweepSelectionRule.SmallestMeetingMetric:
                if (MetricTarget is not double target)
                    throw new ArgumentException("Selection.MetricTarget must be set for the SmallestMeetingMetric rule.", nameof(MetricTarget));
                OptionChecks.Require(double.IsFinite(target), target, nameof(MetricTarget), "a finite number", "Selection.MetricTarget");
                break;
            case SweepSelectionRule.BestMetricWithinParameters:
                if (MaxParameters is not long most)
                    throw new ArgumentException("Selection.MaxParameters must be set for the BestMetricWithinParameters rule.", nameof(MaxParameters));
                OptionChecks.Positive(most, nameof(MaxParameters), "Selection.MaxParameters");
                break;
            case SweepSelectionRule.SmallestWithinDropOfBest:
                OptionChecks.NonNegativeFinite(MaxDropFromBest, nameof(MaxDropFromBest), shownAs: "Selection.MaxDropFromBest");
                break;
            default:
                throw OptionChecks.OutOfRange(Rule, nameof(Rule), $"one of {string.Join(", ", Enum.GetNames<SweepSelectionRule>())}", "Selection.Rule");
        }
    }

    /// <summary>
    /// The trial this constraint chooses among the successful ones in <paramref name="trials"/>, or null when none meets it.
    /// </summary>
    /// <param name="trials">Trials of one sweep (failed ones are ignored).</param>
    /// <param name="metric">The metric they were scored with, for its direction.</param>
    public SweepTrial? Select(IEnumerable<SweepTrial> trials, TaskMetric metric)
    {
        Validate();
        // The front is ordered by size with a strictly improving metric, so "smallest that qualifies" is the first
        // qualifying point and "best that qualifies" the last.
        IReadOnlyList<SweepTrial> front = ParetoFront.Of(trials, metric, Size);
        if (front.Count == 0) return null;
        switch (Rule)
        {
            case SweepSelectionRule.BestMetric:
                return front[^1];
            case SweepSelectionRule.SmallestMeetingMetric:
                return front.FirstOrDefault(t => TaskMetrics.Drop(metric, MetricTarget!.Value, t.ValidationMetric) <= 0);
            case SweepSelectionRule.BestMetricWithinParameters:
                return front.LastOrDefault(t => t.NonzeroParameters <= MaxParameters!.Value);
            default:
                double best = front[^1].ValidationMetric;
                return front.First(t => TaskMetrics.Drop(metric, best, t.ValidationMetric) <= MaxDropFromBest);
        }
    }

    /// <summary>The constraint in words for <paramref name="metric"/>, e.g. "smallest model with validation MicroAccuracy &gt;= 0.95".</summary>
    public string Describe(TaskMetric metric)
    {
        string better = TaskMetrics.HigherIsBetter(metric) ? ">=" : "<=";
        return Rule switch
        {
            SweepSelectionRule.BestMetric => $"best validation {TaskMetrics.Name(metric)}",
            SweepSelectionRule.SmallestMeetingMetric => $"smallest model with validation {TaskMetrics.Name(metric)} {better} {Format(MetricTarget ?? double.NaN)}",
            SweepSelectionRule.BestMetricWithinParameters => $"best validation {TaskMetrics.Name(metric)} with at most {MaxParameters?.ToString("N0", CultureInfo.InvariantCulture)} nonzero parameters",
            SweepSelectionRule.SmallestWithinDropOfBest => $"smallest model within {Format(MaxDropFromBest)} of the best trial's validation {TaskMetrics.Name(metric)}",
            _ => $"unknown rule {Rule}",
        };
    }

    internal SweepSelection Clone() => (SweepSelection)MemberwiseClone();

    private static string Format(double value) => value.ToString("0.#####", CultureInfo.InvariantCulture);
}
