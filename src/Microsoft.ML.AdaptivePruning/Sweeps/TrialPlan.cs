using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The sequence of points a sweep runs, produced lazily so a large trial budget costs nothing up front.</summary>
internal static class TrialPlan
{
    /// <summary>At most <paramref name="maxTrials"/> distinct points of <paramref name="space"/>, in the sampler's order.</summary>
    public static IEnumerable<PruningTrialSettings> Points(PruningSearchSpace space, SweepSampler sampler, int maxTrials, int seed)
    {
        long count = space.Count;
        long take = Math.Min(count, maxTrials);
        return sampler == SweepSampler.Grid ? Grid(space, take) : Shuffled(space, count, take, seed);
    }

    private static IEnumerable<PruningTrialSettings> Grid(PruningSearchSpace space, long take)
    {
        for (long i = 0; i < take; i++) yield return space.At(i);
    }

    // A partial Fisher-Yates shuffle of the indices 0..count-1: only the swapped positions are stored, so drawing k
    // points from a huge space takes O(k) memory, and no point repeats.
    private static IEnumerable<PruningTrialSettings> Shuffled(PruningSearchSpace space, long count, long take, int seed)
    {
        var random = new Random(seed);
        var swapped = new Dictionary<long, long>();
        for (long i = 0; i < take; i++)
        {
            long j = i + random.NextInt64(count - i);
            long atI = swapped.GetValueOrDefault(i, i);
            long atJ = swapped.GetValueOrDefault(j, j);
            swapped[j] = atI;
            yield return space.At(atJ);
        }
    }
}
