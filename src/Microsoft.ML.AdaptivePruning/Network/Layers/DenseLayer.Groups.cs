using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A dense layer's pruning groups: unit j owns row j; input channel c is column c, or after a convolution's flatten
/// the block of <see cref="InputChannelWidth"/> columns filter c writes.
/// </summary>
public sealed partial class DenseLayer
{
    internal override int InputChannelCount => InputSize / InputChannelWidth;

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
        int width = InputChannelWidth;
        var indices = new int[OutputSize * width];
        for (int o = 0; o < OutputSize; o++)
            for (int i = 0; i < width; i++) indices[o * width + i] = o * InputSize + channel * width + i;
        return indices;
    }

    internal override NetworkLayer Slice(int[]? keptUnits, int[]? keptInputChannels)
    {
        int[] rows = keptUnits ?? Enumerable.Range(0, OutputSize).ToArray();
        int[] columns = keptInputChannels is null ? Enumerable.Range(0, InputSize).ToArray()
            : keptInputChannels.SelectMany(c => Enumerable.Range(c * InputChannelWidth, InputChannelWidth)).ToArray();
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
        return new DenseLayer(columns.Length, rows.Length, weights, bias, mask, InputChannelWidth);
    }

    /// <summary>Always exact: b[o] += W[o, channel] · value, summed over the channel's columns.</summary>
    internal override bool TryFoldConstantInputChannel(int channel, float value)
    {
        CheckChannel(channel);
        int width = InputChannelWidth;
        for (int o = 0; o < OutputSize; o++)
        {
            if (width == 1)
            {
                Bias[o] += this[o, channel] * value;
                continue;
            }
            float sum = 0f;
            for (int i = 0; i < width; i++) sum += this[o, channel * width + i];
            Bias[o] += sum * value;
        }
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
        return new DenseLayer(first.InputSize, second.OutputSize, weights, bias, null, first.InputChannelWidth);
    }
}
