using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Floors and target counts shared by <see cref="MaskSelector"/> and <see cref="UnitSelector"/>.</summary>
internal static class SelectionRules
{
    /// <summary>How many of <paramref name="size"/> entries a layer must keep: max(minimum, ⌈fraction·size⌉), at most size.</summary>
    public static long MinimumKept(long size, double fraction, int minimum)
    {
        // The small slack keeps 0.01 * 100 from rounding up to 2 through binary representation error.
        long byFraction = (long)Math.Ceiling(fraction * size - 1e-9);
        return Math.Min(size, Math.Max(minimum, byFraction));
    }

    /// <summary>round(fraction · total), halves rounded up, so 50% of 9 prunes 5.</summary>
    public static long TargetCount(double fraction, long total) => (long)Math.Round(fraction * total, MidpointRounding.AwayFromZero);

    /// <summary>Checks a score array's length and that eligible entries are not NaN (NaN has no rank).</summary>
    public static void CheckScores(float[]? scores, int expected, bool[]? eligible, string what, int layer)
    {
        if (scores is null)
            throw new InvalidOperationException($"No {what} scores were given for layer {layer}.");
        if (scores.Length != expected)
            throw new InvalidOperationException($"Expected {expected} {what} scores for layer {layer}, got {scores.Length}.");
        for (int k = 0; k < scores.Length; k++)
        {
            if (float.IsNaN(scores[k]) && (eligible is null || eligible[k]))
                throw new InvalidOperationException($"The {what} score at index {k} of layer {layer} is NaN; a pruning criterion must return comparable scores.");
        }
    }

    /// <summary>
    /// Divides each layer's scores by the mean of its finite eligible scores, so a global ranking compares each
    /// score with its own layer's typical value. Layers whose mean is not positive are left as they are.
    /// </summary>
    public static float[] DivideByLayerMean(float[] scores, bool[]? eligible)
    {
        double sum = 0;
        long count = 0;
        for (int k = 0; k < scores.Length; k++)
        {
            if ((eligible is null || eligible[k]) && float.IsFinite(scores[k]))
            {
                sum += scores[k];
                count++;
            }
        }
        var result = (float[])scores.Clone();
        double mean = count == 0 ? 0 : sum / count;
        if (!(mean > 0) || double.IsInfinity(mean)) return result;
        for (int k = 0; k < result.Length; k++) result[k] = (float)(result[k] / mean);
        return result;
    }

    /// <summary>
    /// Shares <paramref name="count"/> extra removals among groups so their removed fractions stay as equal as
    /// possible: repeatedly give one to the group whose fraction after it would be lowest (ties to the lower index),
    /// never above a group's cap. Groups that start above the common level get nothing until the others catch up.
    /// </summary>
    public static long[] WaterFill(IReadOnlyList<long> sizes, IReadOnlyList<long> alreadyRemoved, IReadOnlyList<long> caps, long count)
    {
        var extra = new long[sizes.Count];
        var queue = new PriorityQueue<int, (double Fraction, int Group)>();
        for (int g = 0; g < sizes.Count; g++)
        {
            if (caps[g] > 0) queue.Enqueue(g, ((double)(alreadyRemoved[g] + 1) / sizes[g], g));
        }
        for (long given = 0; given < count && queue.Count > 0; given++)
        {
            int g = queue.Dequeue();
            extra[g]++;
            if (extra[g] < caps[g]) queue.Enqueue(g, ((double)(alreadyRemoved[g] + extra[g] + 1) / sizes[g], g));
        }
        return extra;
    }
}
