using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Where a row-major [units, inputs] weight matrix has nonzero weights: the cost model's and the kernels' input.</summary>
internal sealed class SparsityPattern
{
    private SparsityPattern(int units, int inputs, int[] usedUnits, int[] usedInputs, long nonzeros)
    {
        Units = units;
        Inputs = inputs;
        UsedUnits = usedUnits;
        UsedInputs = usedInputs;
        Nonzeros = nonzeros;
    }

    /// <summary>Rows of the matrix.</summary>
    public int Units { get; }

    /// <summary>Columns of the matrix.</summary>
    public int Inputs { get; }

    /// <summary>Units with at least one nonzero weight, ascending.</summary>
    public int[] UsedUnits { get; }

    /// <summary>Inputs at least one nonzero weight reads, ascending.</summary>
    public int[] UsedInputs { get; }

    /// <summary>Nonzero weights.</summary>
    public long Nonzeros { get; }

    /// <summary>Nonzero weights over the used units and inputs only: the density a compacted dense kernel sees.</summary>
    public double CompactedDensity => UsedUnits.Length == 0 || UsedInputs.Length == 0
        ? 0
        : (double)Nonzeros / ((long)UsedUnits.Length * UsedInputs.Length);

    /// <summary>
    /// Whether a weight is kept when its bits must survive a round trip: anything but +0, so a -0 weight keeps its sign
    /// (what the sparse ONNX forms store, so that reading them back is bit-identical).
    /// </summary>
    public static bool IsKeptWithSign(float weight) => BitConverter.SingleToInt32Bits(weight) != 0;

    /// <summary>
    /// The pattern of <paramref name="rowMajorWeights"/>. A weight counts as kept when it is nonzero: a masked weight is
    /// exactly zero, and a zero that training left multiplies to nothing too. With <paramref name="keepNegativeZeros"/>
    /// a -0 weight counts as kept as well (<see cref="IsKeptWithSign"/>): a writer that must give every bit back reads
    /// the pattern that way, the kernels do not.
    /// </summary>
    public static SparsityPattern Of(ReadOnlySpan<float> rowMajorWeights, int units, int inputs, bool keepNegativeZeros = false)
    {
        if (rowMajorWeights.Length != (long)units * inputs)
            throw new ArgumentException($"Expected {units}x{inputs} weights, got {rowMajorWeights.Length}.", nameof(rowMajorWeights));
        var inputUsed = new bool[inputs];
        var usedUnits = new List<int>();
        long nonzeros = 0;
        for (int u = 0; u < units; u++)
        {
            ReadOnlySpan<float> row = rowMajorWeights.Slice(u * inputs, inputs);
            int before = (int)nonzeros;
            for (int i = 0; i < inputs; i++)
            {
                if (keepNegativeZeros ? !IsKeptWithSign(row[i]) : row[i] == 0f) continue;
                nonzeros++;
                inputUsed[i] = true;
            }
            if (nonzeros != before) usedUnits.Add(u);
        }
        var usedInputs = new List<int>();
        for (int i = 0; i < inputs; i++) if (inputUsed[i]) usedInputs.Add(i);
        return new SparsityPattern(units, inputs, usedUnits.ToArray(), usedInputs.ToArray(), nonzeros);
    }
}
