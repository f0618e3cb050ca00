using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The hidden units chosen to stay by <see cref="UnitSelector"/>.</summary>
public sealed class UnitSelection
{
    internal UnitSelection(int[][] keptUnits, int totalHiddenUnits)
    {
        KeptUnits = keptUnits;
        TotalHiddenUnits = totalHiddenUnits;
        RemovedUnits = totalHiddenUnits - keptUnits.Sum(k => k.Length);
    }

    /// <summary>Per hidden layer, the indices of the units kept, ascending; never empty.</summary>
    public IReadOnlyList<int[]> KeptUnits { get; }

    /// <summary>Hidden units before removal.</summary>
    public int TotalHiddenUnits { get; }

    /// <summary>Hidden units removed.</summary>
    public int RemovedUnits { get; }

    /// <summary>The physically smaller network without the removed units (see <see cref="NeuronSurgery.RemoveUnits"/>).</summary>
    public NeuralNetwork ApplyTo(NeuralNetwork network) => NeuronSurgery.RemoveUnits(network, KeptUnits);
}
