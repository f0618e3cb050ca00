using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Confirms the loop's choice on validation rows the loop never saw. The loop tries many candidates at the edge of
/// the budget and keeps the sparsest that passed, which favours candidates that were lucky on its validation rows;
/// checking the accepted networks, sparsest first, on untouched rows returns one whose drop holds on new data.
/// </summary>
internal static class HeldOutConfirmation
{
    /// <summary>The sparsest accepted checkpoint within budget on the held-out rows, or the baseline when none is.</summary>
    public static (Checkpoint Chosen, double BaselineMetric, double ChosenMetric, int Rejected) Select(
        IEnumerable<Checkpoint> accepted, Checkpoint baseline, Func<NeuralNetwork, double> evaluateHeldOut, TaskMetric metric, double maxDrop)
    {
        double baselineMetric = evaluateHeldOut(baseline.Network);
        int rejected = 0;
        foreach (Checkpoint candidate in accepted.OrderByDescending(c => c.Sparsity))
        {
            double heldOut = evaluateHeldOut(candidate.Network);
            if (TaskMetrics.Drop(metric, baselineMetric, heldOut) <= maxDrop) return (candidate, baselineMetric, heldOut, rejected);
            rejected++;
        }
        return (baseline, baselineMetric, baselineMetric, rejected);
    }
}
