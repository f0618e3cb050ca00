using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Pruning groups: what structured removal must cut together. Removing unit j of a layer removes the weights
/// <see cref="UnitWeightIndices"/> returns and its bias, and in the next layer the weights that
/// <see cref="InputChannelWeightIndices"/> returns for channel j, as Torch-Pruning's dependency graph couples them.
/// </summary>
public abstract partial class NetworkLayer
{
    /// <summary>Input channels: the units of the layer before, each read by a group of this layer's weights.</summary>
    internal abstract int InputChannelCount { get; }

    /// <summary>Indices into <see cref="Weights"/> of the weights unit <paramref name="unit"/> owns (its incoming weights).</summary>
    internal abstract int[] UnitWeightIndices(int unit);

    /// <summary>Indices into <see cref="Weights"/> of the weights that read input channel <paramref name="channel"/>.</summary>
    internal abstract int[] InputChannelWeightIndices(int channel);

    /// <summary>
    /// A new layer with only the listed units (null: all) and only the listed input channels (null: all), in the order
    /// given; weights, biases and mask are sliced alike.
    /// </summary>
    internal abstract NetworkLayer Slice(int[]? keptUnits, int[]? keptInputChannels);

    /// <summary>
    /// Folds an input channel that always carries <paramref name="value"/> into the biases, so the channel can be
    /// removed without changing the outputs. Returns false, changing nothing, when the kind cannot do that exactly.
    /// </summary>
    internal abstract bool TryFoldConstantInputChannel(int channel, float value);

    /// <summary>True when every weight of unit <paramref name="unit"/> is zero.</summary>
    internal bool UnitIsZero(int unit) => AllZero(UnitWeightIndices(unit));

    /// <summary>True when no weight reads input channel <paramref name="channel"/>.</summary>
    internal bool InputChannelIsZero(int channel) => AllZero(InputChannelWeightIndices(channel));

    private bool AllZero(int[] indices)
    {
        foreach (int k in indices) if (Weights[k] != 0f) return false;
        return true;
    }

    /// <summary>Throws unless <paramref name="unit"/> is one of this layer's units.</summary>
    private protected void CheckUnit(int unit)
    {
        if ((uint)unit >= (uint)UnitCount)
            throw new ArgumentOutOfRangeException(nameof(unit), unit, $"This {Shape} layer has units 0 to {UnitCount - 1}.");
    }

    /// <summary>Throws unless <paramref name="channel"/> is one of this layer's input channels.</summary>
    private protected void CheckChannel(int channel)
    {
        if ((uint)channel >= (uint)InputChannelCount)
            throw new ArgumentOutOfRangeException(nameof(channel), channel, $"This {Shape} layer has input channels 0 to {InputChannelCount - 1}.");
    }
}
