using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The keep-masks chosen by <see cref="MaskSelector"/>, one per weight layer.</summary>
public sealed class MaskSelection
{
    internal MaskSelection(bool[][] masks)
    {
        Masks = masks;
        TotalWeights = masks.Sum(m => (long)m.Length);
        PrunedWeights = masks.Sum(m => (long)m.Count(keep => !keep));
    }

    /// <summary>Per weight layer, a keep-mask laid out like its weights (true = kept).</summary>
    public IReadOnlyList<bool[]> Masks { get; }

    /// <summary>All weights of the network.</summary>
    public long TotalWeights { get; }

    /// <summary>Weights the masks remove, earlier pruning included.</summary>
    public long PrunedWeights { get; }

    /// <summary>Fraction of all weights removed; below the requested target only when the floors stopped it.</summary>
    public double Sparsity => TotalWeights == 0 ? 0 : (double)PrunedWeights / TotalWeights;

    /// <summary>A copy of <paramref name="network"/> with these masks set (removed weights zeroed).</summary>
    public NeuralNetwork ApplyTo(NeuralNetwork network)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (network.Layers.Count != Masks.Count)
            throw new ArgumentException($"These masks are for {Masks.Count} weight layers; network {network.Spec} has {network.Layers.Count}.", nameof(network));
        NeuralNetwork copy = network.Clone();
        for (int l = 0; l < Masks.Count; l++) copy.Layers[l].SetMask((bool[])Masks[l].Clone());
        return copy;
    }
}
