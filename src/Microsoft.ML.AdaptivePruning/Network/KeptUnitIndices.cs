using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Per hidden layer, indices of units in some source network: how a network that lost units lines up with the one
/// it was cut from.
/// </summary>
internal static class KeptUnitIndices
{
    /// <summary>Every unit of every hidden layer of <paramref name="spec"/>, in order.</summary>
    public static int[][] All(NetworkSpec spec)
    {
        var kept = new int[spec.HiddenUnitCounts.Count][];
        for (int h = 0; h < kept.Length; h++)
        {
            kept[h] = new int[spec.HiddenUnitCounts[h]];
            for (int j = 0; j < kept[h].Length; j++) kept[h][j] = j;
        }
        return kept;
    }

    /// <summary>
    /// The source indices after a further cut: <paramref name="sourceIndices"/> maps the current units to the source,
    /// <paramref name="keptOfCurrent"/> lists the current units that remain.
    /// </summary>
    public static int[][] Compose(int[][] sourceIndices, int[][] keptOfCurrent)
    {
        if (keptOfCurrent.Length != sourceIndices.Length)
            throw new ArgumentException($"Expected kept units for {sourceIndices.Length} hidden layers, got {keptOfCurrent.Length}.", nameof(keptOfCurrent));
        var composed = new int[sourceIndices.Length][];
        for (int h = 0; h < composed.Length; h++)
        {
            int[] before = sourceIndices[h];
            composed[h] = Array.ConvertAll(keptOfCurrent[h], j => before[j]);
        }
        return composed;
    }
}
