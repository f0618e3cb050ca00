using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// How precisely a validation set measures the drop between two models scored on the same rows. Both models are
/// re-measured on the same resamples of the rows, so what they get right or wrong together cancels and only their
/// disagreements count: the paired standard error, for any task metric.
/// </summary>
internal static class PairedBootstrap
{
    /// <summary>Replicates per estimate: the standard error comes out within about 5% of its limit.</summary>
    public const int DefaultReplicates = 200;

    /// <summary>Standard error of <c>TaskMetrics.Drop(metric, reference, candidate)</c> over rows resampled with replacement.</summary>
    /// <param name="metric">The metric the drop is measured in.</param>
    /// <param name="reference">The model the drop is measured from (the dense network).</param>
    /// <param name="candidate">The model measured, on the same rows in the same order.</param>
    /// <param name="seed">Seed of the resampling; the same seed gives the same estimate.</param>
    /// <param name="replicates">Bootstrap replicates.</param>
    public static double DropStandardError(TaskMetric metric, RowOutcomes reference, RowOutcomes candidate, int seed, int replicates = DefaultReplicates)
    {
        if (reference.Count != candidate.Count)
            throw new ArgumentException($"The two models were scored on {reference.Count} and {candidate.Count} rows; a paired estimate needs the same rows.", nameof(candidate));
        if (replicates < 2) throw new ArgumentOutOfRangeException(nameof(replicates), replicates, "At least 2 replicates are needed.");
        int n = reference.Count;
        var random = new Random(seed);
        var weights = new int[n];
        double sum = 0, sumOfSquares = 0;
        int used = 0;
        for (int b = 0; b < replicates; b++)
        {
            Array.Clear(weights);
            for (int i = 0; i < n; i++) weights[random.Next(n)]++;
            double drop = TaskMetrics.Drop(metric, reference.Metric(metric, weights), candidate.Metric(metric, weights));
            // A resample can leave a metric undefined (AUC with one class drawn); it says nothing about spread.
            if (double.IsNaN(drop)) continue;
            sum += drop;
            sumOfSquares += drop * drop;
            used++;
        }
        if (used < 2) return double.NaN;
        double mean = sum / used;
        return Math.Sqrt(Math.Max(0, (sumOfSquares - used * mean * mean) / (used - 1)));
    }
}
