using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Structured edits that make a network physically smaller: removing hidden units, removing units that provably
/// contribute nothing, and merging a hidden layer into its neighbour. Every method returns a new network and
/// leaves its argument untouched.
/// </summary>
public static class NeuronSurgery
{
    /// <summary>
    /// Keeps only the listed units of every hidden layer (a convolution is one, its filters the units): removing unit j
    /// of hidden layer h removes its weights and bias in layer h and what reads it in layer h+1 (a column, a block of
    /// columns after the flatten, or a next convolution's input channel); masks are sliced the same way.
    /// </summary>
    /// <param name="network">The network to shrink.</param>
    /// <param name="keptUnitsPerHiddenLayer">Per hidden layer, the distinct indices of the units to keep (at least one).</param>
    public static NeuralNetwork RemoveUnits(NeuralNetwork network, IReadOnlyList<int[]> keptUnitsPerHiddenLayer)
    {
        int[][] kept = CheckKeptUnits(network, keptUnitsPerHiddenLayer);
        int hidden = kept.Length;
        var layers = new NetworkLayer[network.Layers.Count];
        for (int l = 0; l < layers.Length; l++)
        {
            // The pruning group of unit j: its own weights and bias here, and what reads channel j in the next layer.
            int[]? units = l < hidden ? kept[l] : null;
            int[]? channels = l > 0 ? kept[l - 1] : null;
            layers[l] = network.Layers[l].Slice(units, channels);
        }
        return new NeuralNetwork(network.Spec.WithHiddenUnitCounts(kept.Select(k => k.Length).ToArray()), layers);
    }

    /// <summary>
    /// The same-shape network that behaves like <see cref="RemoveUnits"/>'s result: every removed unit has its incoming
    /// weights and the next layer's weights that read it masked, and its bias zeroed, so it outputs act(0) = 0 and reaches nothing.
    /// </summary>
    public static NeuralNetwork MaskedEquivalent(NeuralNetwork network, IReadOnlyList<int[]> keptUnitsPerHiddenLayer)
    {
        int[][] kept = CheckKeptUnits(network, keptUnitsPerHiddenLayer);
        NeuralNetwork copy = network.Clone();
        for (int h = 0; h < kept.Length; h++)
        {
            NetworkLayer incoming = copy.Layers[h];
            NetworkLayer outgoing = copy.Layers[h + 1];
            bool[] inMask = (bool[]?)incoming.Mask?.Clone() ?? Enumerable.Repeat(true, incoming.Weights.Length).ToArray();
            bool[] outMask = (bool[]?)outgoing.Mask?.Clone() ?? Enumerable.Repeat(true, outgoing.Weights.Length).ToArray();
            var keep = new HashSet<int>(kept[h]);
            for (int j = 0; j < incoming.UnitCount; j++)
            {
                if (keep.Contains(j)) continue;
                foreach (int k in incoming.UnitWeightIndices(j)) inMask[k] = false;
                incoming.Bias[j] = 0f;
                foreach (int k in outgoing.InputChannelWeightIndices(j)) outMask[k] = false;
            }
            incoming.SetMask(inMask);
            outgoing.SetMask(outMask);
        }
        return copy;
    }

    /// <summary>
    /// Removes hidden units that provably do not affect the outputs, repeating until none is left (removals can
    /// expose more): a unit whose outgoing weights are all zero reaches nothing; a unit whose incoming weights are
    /// all zero outputs the constant act(b), which is folded into the next layer's bias (b' += W[:, j]·act(b))
    /// before the unit goes, where the next layer's kind can fold it exactly (otherwise the unit stays). The result computes the same function up to float rounding. Every hidden layer keeps
    /// at least one unit (the lowest-indexed one when all are dead).
    /// </summary>
    /// <param name="network">The network to clean.</param>
    /// <param name="removed">How many hidden units were removed in total.</param>
    public static NeuralNetwork RemoveDeadUnits(NeuralNetwork network, out int removed) => RemoveDeadUnits(network, out removed, out _);

    /// <summary>
    /// <see cref="RemoveDeadUnits(NeuralNetwork, out int)"/>, also giving, per hidden layer, the indices in
    /// <paramref name="network"/> of the units kept, in order: what lets a caller line the result up with its source.
    /// </summary>
    internal static NeuralNetwork RemoveDeadUnits(NeuralNetwork network, out int removed, out int[][] keptUnits)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        NeuralNetwork current = network.Clone();
        removed = 0;
        int hidden = current.Spec.HiddenUnitCounts.Count;
        int[][] origins = KeptUnitIndices.All(current.Spec);
        while (hidden > 0)
        {
            var kept = new int[hidden][];
            int removedThisPass = 0;
            // Input side first: a fold into layer h+1's bias must happen before that layer's own constants are folded.
            for (int h = 0; h < hidden; h++)
            {
                NetworkLayer incoming = current.Layers[h];
                NetworkLayer outgoing = current.Layers[h + 1];
                var keep = new List<int>();
                var constant = new List<int>();
                for (int j = 0; j < incoming.UnitCount; j++)
                {
                    if (outgoing.InputChannelIsZero(j)) continue;
                    if (incoming.UnitIsZero(j)) constant.Add(j);
                    else keep.Add(j);
                }
                if (keep.Count == 0)
                {
                    keep.Add(0);
                    constant.Remove(0);
                }
                foreach (int j in constant.ToArray())
                {
                    float value = ActivationFunctions.Apply(current.Spec.Activation, incoming.Bias[j]);
                    if (outgoing.TryFoldConstantInputChannel(j, value)) continue;
                    constant.Remove(j);
                    keep.Add(j);
                }
                keep.Sort();
                kept[h] = keep.ToArray();
                removedThisPass += incoming.UnitCount - keep.Count;
            }
            if (removedThisPass == 0) break;
            removed += removedThisPass;
            current = RemoveUnits(current, kept);
            origins = KeptUnitIndices.Compose(origins, kept);
        }
        keptUnits = origins;
        return current;
    }

    /// <summary>
    /// Deletes hidden layer <paramref name="hiddenLayerIndex"/> by replacing its weight layer W_h and the next one
    /// W_(h+1) with their linear composition W_(h+1)·W_h and bias W_(h+1)·b_h + b_(h+1). This is exact when the
    /// activation acts as the identity on the values the layer produces (Relu with non-negative pre-activations);
    /// otherwise it is a starting point for fine-tuning. The merged layer has no mask. Both layers must be dense.
    /// </summary>
    public static NeuralNetwork RemoveHiddenLayer(NeuralNetwork network, int hiddenLayerIndex)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        int hidden = network.Spec.HiddenUnitCounts.Count;
        if (hiddenLayerIndex < 0 || hiddenLayerIndex >= hidden)
            throw new ArgumentOutOfRangeException(nameof(hiddenLayerIndex), hiddenLayerIndex, hidden == 0
                ? $"Network {network.Spec} has no hidden layer to remove."
                : $"Network {network.Spec} has hidden layers 0 to {hidden - 1}.");

        if (network.Layers[hiddenLayerIndex] is not DenseLayer first || network.Layers[hiddenLayerIndex + 1] is not DenseLayer second)
            throw new NotSupportedException($"Hidden layer {hiddenLayerIndex} of network {network.Spec} can be merged only between two dense layers; it is {network.Layers[hiddenLayerIndex].Kind} followed by {network.Layers[hiddenLayerIndex + 1].Kind}.");

        var layers = new List<NetworkLayer>();
        for (int l = 0; l < hiddenLayerIndex; l++) layers.Add(network.Layers[l].Clone());
        layers.Add(DenseLayer.Compose(first, second));
        for (int l = hiddenLayerIndex + 2; l < network.Layers.Count; l++) layers.Add(network.Layers[l].Clone());
        var widths = network.Spec.HiddenUnitCounts.Where((_, h) => h != hiddenLayerIndex).ToArray();
        return new NeuralNetwork(network.Spec.WithHiddenUnitCounts(widths), layers);
    }

    /// <summary>
    /// True when <see cref="RemoveHiddenLayer"/> can merge hidden layer <paramref name="hiddenLayerIndex"/>: it and the
    /// layer after it are dense (a convolution has no linear composition with its neighbour as one layer of a kind).
    /// </summary>
    public static bool CanRemoveHiddenLayer(NeuralNetwork network, int hiddenLayerIndex)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        return hiddenLayerIndex >= 0 && hiddenLayerIndex < network.Spec.HiddenUnitCounts.Count
            && network.Layers[hiddenLayerIndex] is DenseLayer && network.Layers[hiddenLayerIndex + 1] is DenseLayer;
    }

    private static int[][] CheckKeptUnits(NeuralNetwork network, IReadOnlyList<int[]> keptUnitsPerHiddenLayer)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (keptUnitsPerHiddenLayer is null) throw new ArgumentNullException(nameof(keptUnitsPerHiddenLayer));
        IReadOnlyList<int> widths = network.Spec.HiddenUnitCounts;
        if (keptUnitsPerHiddenLayer.Count != widths.Count)
            throw new ArgumentException($"Expected kept units for {widths.Count} hidden layers of network {network.Spec}, got {keptUnitsPerHiddenLayer.Count}.", nameof(keptUnitsPerHiddenLayer));
        var result = new int[widths.Count][];
        for (int h = 0; h < widths.Count; h++)
        {
            int[] units = keptUnitsPerHiddenLayer[h] ?? throw new ArgumentException($"The kept units of hidden layer {h} are null.", nameof(keptUnitsPerHiddenLayer));
            if (units.Length == 0)
                throw new ArgumentException($"Hidden layer {h} would have no units left; keep at least one.", nameof(keptUnitsPerHiddenLayer));
            int[] sorted = units.OrderBy(j => j).ToArray();
            for (int k = 0; k < sorted.Length; k++)
            {
                if (sorted[k] < 0 || sorted[k] >= widths[h])
                    throw new ArgumentException($"Unit {sorted[k]} does not exist in hidden layer {h}, which has {widths[h]} units.", nameof(keptUnitsPerHiddenLayer));
                if (k > 0 && sorted[k] == sorted[k - 1])
                    throw new ArgumentException($"Unit {sorted[k]} of hidden layer {h} is listed twice.", nameof(keptUnitsPerHiddenLayer));
            }
            result[h] = sorted;
        }
        return result;
    }
}
