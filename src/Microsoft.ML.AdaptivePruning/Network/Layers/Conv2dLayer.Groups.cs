using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A convolution's pruning groups: filter f owns its C·K·K weights; input channel c is the K·K slice every filter applies to it.</summary>
public sealed partial class Conv2dLayer
{
    internal override int InputChannelCount => InputChannels;

    internal override int[] UnitWeightIndices(int unit)
    {
        CheckUnit(unit);
        int size = _geometry.WeightsPerFilter;
        return Enumerable.Range(unit * size, size).ToArray();
    }

    internal override int[] InputChannelWeightIndices(int channel)
    {
        CheckChannel(channel);
        int kernel = KernelSize * KernelSize;
        var indices = new int[Filters * kernel];
        for (int f = 0; f < Filters; f++)
            for (int k = 0; k < kernel; k++) indices[f * kernel + k] = WeightIndex(f, channel, 0, 0) + k;
        return indices;
    }

    internal override NetworkLayer Slice(int[]? keptUnits, int[]? keptInputChannels)
    {
        int[] filters = keptUnits ?? Enumerable.Range(0, Filters).ToArray();
        int[] channels = keptInputChannels ?? Enumerable.Range(0, InputChannels).ToArray();
        int kernel = KernelSize * KernelSize;
        var weights = new float[filters.Length * channels.Length * kernel];
        bool[]? mask = Mask is null ? null : new bool[weights.Length];
        var bias = new float[filters.Length];
        for (int f = 0; f < filters.Length; f++)
        {
            bias[f] = Bias[filters[f]];
            for (int c = 0; c < channels.Length; c++)
            {
                int from = WeightIndex(filters[f], channels[c], 0, 0);
                int to = (f * channels.Length + c) * kernel;
                Array.Copy(Weights, from, weights, to, kernel);
                if (mask is not null) Array.Copy(Mask!, from, mask, to, kernel);
            }
        }
        return Resized(filters.Length, channels.Length, weights, bias, mask);
    }

    /// <summary>
    /// Exact only without padding: a constant channel then reaches every output position through all K·K weights, so
    /// b[f] += value · ΣW[f, channel]. With padding the border positions read zeros instead, so the channel's
    /// contribution varies by position and cannot live in a bias (a zero channel contributes nothing either way).
    /// </summary>
    internal override bool TryFoldConstantInputChannel(int channel, float value)
    {
        CheckChannel(channel);
        if (value == 0f) return true;
        if (Padding > 0) return false;
        int kernel = KernelSize * KernelSize;
        for (int f = 0; f < Filters; f++)
        {
            float sum = 0f;
            int start = WeightIndex(f, channel, 0, 0);
            for (int k = 0; k < kernel; k++) sum += Weights[start + k];
            Bias[f] += sum * value;
        }
        return true;
    }
}
