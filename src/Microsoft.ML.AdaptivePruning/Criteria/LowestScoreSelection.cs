using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Picks the lowest-scored entries across groups (layers) in one ranking, respecting a cap per group.
/// Ties go to the lower (group, index) first, so the choice is fully deterministic.
/// </summary>
internal static class LowestScoreSelection
{
    /// <summary>
    /// Marks, per group, the entries picked for removal: eligible entries in ascending score order, skipping groups
    /// that reached their cap, until <paramref name="count"/> are picked or the next score is not below
    /// <paramref name="threshold"/>. A null score array means the group takes no part.
    /// </summary>
    public static bool[]?[] Pick(IReadOnlyList<float[]?> scores, IReadOnlyList<bool[]?> eligible, IReadOnlyList<long> caps, long count, double? threshold = null)
    {
        var picked = new bool[]?[scores.Count];
        int candidates = 0;
        for (int g = 0; g < scores.Count; g++)
        {
            if (scores[g] is not float[] s) continue;
            picked[g] = new bool[s.Length];
            if (caps[g] <= 0) continue;
            for (int k = 0; k < s.Length; k++) if (eligible[g]?[k] ?? true) candidates++;
        }

        // Candidates are listed in (group, index) order, so their position is the tie-breaker.
        var value = new float[candidates];
        var group = new int[candidates];
        var index = new int[candidates];
        int n = 0;
        for (int g = 0; g < scores.Count; g++)
        {
            if (scores[g] is not float[] s || caps[g] <= 0) continue;
            for (int k = 0; k < s.Length; k++)
            {
                if (!(eligible[g]?[k] ?? true)) continue;
                value[n] = s[k];
                group[n] = g;
                index[n] = k;
                n++;
            }
        }
        var order = new int[candidates];
        for (int c = 0; c < candidates; c++) order[c] = c;
        Array.Sort(order, (a, b) =>
        {
            int byScore = value[a].CompareTo(value[b]);
            return byScore != 0 ? byScore : a.CompareTo(b);
        });

        var taken = new long[scores.Count];
        long total = 0;
        foreach (int c in order)
        {
            if (total >= count) break;
            if (threshold is double limit && !(value[c] < limit)) break;
            int g = group[c];
            if (taken[g] >= caps[g]) continue;
            picked[g]![index[c]] = true;
            taken[g]++;
            total++;
        }
        return picked;
    }
}
