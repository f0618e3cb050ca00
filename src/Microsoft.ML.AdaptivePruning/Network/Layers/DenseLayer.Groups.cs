using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A dense layer's pruning groups: unit j owns row j; input channel i is column i.</summary>
public sealed partial class DenseLayer
{
    internal override int InputChannelCount => InputSize;

    internal override int[] UnitWeightIndices(int unit)
    {
        CheckUnit(unit);
        var indices = new int[InputSize];
        for (int i = 0; i < InputSize; i++) indices[i] = unit * InputSize + i;
        return indices;
    }

    internal override int[] InputChannelWeightIndices(int channel)
    {
        CheckChannel(channel);
        var indices = new int[OutputSize];
        for (int o = 0; o < OutputSize; o++) indices[o] = o * InputSize + channel;
        return indices;
    }

    internal override NetworkLayer Slice(int[]? keptUnits, int[]? keptInputChannels)
    {
        int[] rows = keptUnits ?? Enumerable.Range(0, OutputSize).ToArray();
        int[] columns = keptInputChannels ?? Enumerable.Range(0, InputSize).ToArray();
        var weights = new float[rows.Length * columns.Length];
        bool[]? mask = Mask is null ? null : new bool[weights.Length];
        var bias = new float[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            bias[r] = Bias[rows[r]];
            for (int c = 0; c < columns.Length; c++)
            {
                int from = rows[r] * InputSize + columns[c];
                weights[r * columns.Length + c] = Weights[from];
                if (mask is not null) mask[r * columns.Length + c] = Mask![from];
            }
        }
        return new DenseLayer(columns.Length, rows.Length, weights, bias, mask);
    }

    /// <summary>Always exact: b[o] += W[o, channel] · value.</summary>
    internal override bool TryFoldConstantInputChannel(int channel, float value)
    {
        CheckChannel(channel);
        for (int o = 0; o < OutputSize; o++) Bias[o] += this[o, channel] * value;
        return true;
    }

    /// <summary>
    /// The single layer computing <paramref name="second"/>(<paramref name="first"/>(x)) with no non-linearity between:
    /// weights W₂·W₁ and bias W₂·b₁ + b₂, summed in double. It has no mask.
    /// </summary>
    internal static DenseLayer Compose(DenseLayer first, DenseLayer second)
    {
        var weights = new float[second.OutputSize * first.InputSize];
        var bias = new float[second.OutputSize];
        for (int o = 0; o < second.OutputSize; o++)
        {
            double b = second.Bias[o];
            for (int j = 0; j < first.OutputSize; j++) b += (double)second[o, j] * first.Bias[j];
            bias[o] = (float)b;
            for (int i = 0; i < first.InputSize; i++)
            {
                double w = 0;
                for (int j = 0; j < first.OutputSize; j++) w += (double)second[o, j] * first[j, i];
                weights[o * first.InputSize + i] = (float)w;
            }
        }
        return new DenseLayer(first.InputSize, second.OutputSize, weights, bias);
    }
}
