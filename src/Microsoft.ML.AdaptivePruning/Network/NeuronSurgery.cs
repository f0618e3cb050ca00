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
    /// Keeps only the listed units of every hidden layer: removing unit j of hidden layer h removes row j of W_h,
    /// entry j of b_h and column j of W_(h+1); masks are sliced the same way.
    /// </summary>
    /// <param name="network">The network to shrink.</param>
    /// <param name="keptUnitsPerHiddenLayer">Per hidden layer, the distinct indices of the units to keep (at least one).</param>
    public static NeuralNetwork RemoveUnits(NeuralNetwork network, IReadOnlyList<int[]> keptUnitsPerHiddenLayer)
    {
        int[][] kept = CheckKeptUnits(network, keptUnitsPerHiddenLayer);
        int hidden = kept.Length;
        var layers = new DenseLayer[network.Layers.Count];
        for (int l = 0; l < layers.Length; l++)
        {
            int[]? rows = l < hidden ? kept[l] : null;
            int[]? columns = l > 0 ? kept[l - 1] : null;
            layers[l] = Slice(network.Layers[l], rows, columns);
        }
        return new NeuralNetwork(network.Spec.WithHiddenLayers(kept.Select(k => k.Length).ToArray()), layers);
    }

    /// <summary>
    /// The same-shape network that behaves like <see cref="RemoveUnits"/>'s result: every removed unit has its incoming
    /// row and outgoing column masked and its bias zeroed, so it outputs act(0) = 0 and reaches nothing.
    /// </summary>
    public static NeuralNetwork MaskedEquivalent(NeuralNetwork network, IReadOnlyList<int[]> keptUnitsPerHiddenLayer)
    {
        int[][] kept = CheckKeptUnits(network, keptUnitsPerHiddenLayer);
        NeuralNetwork copy = network.Clone();
        for (int h = 0; h < kept.Length; h++)
        {
            DenseLayer incoming = copy.Layers[h];
            DenseLayer outgoing = copy.Layers[h + 1];
            bool[] inMask = (bool[]?)incoming.Mask?.Clone() ?? Enumerable.Repeat(true, incoming.Weights.Length).ToArray();
            bool[] outMask = (bool[]?)outgoing.Mask?.Clone() ?? Enumerable.Repeat(true, outgoing.Weights.Length).ToArray();
            var keep = new HashSet<int>(kept[h]);
            for (int j = 0; j < incoming.OutputSize; j++)
            {
                if (keep.Contains(j)) continue;
                for (int i = 0; i < incoming.InputSize; i++) inMask[j * incoming.InputSize + i] = false;
                incoming.Bias[j] = 0f;
                for (int o = 0; o < outgoing.OutputSize; o++) outMask[o * outgoing.InputSize + j] = false;
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
    /// before the unit goes. The result computes the same function up to float rounding. Every hidden layer keeps
    /// at least one unit (the lowest-indexed one when all are dead).
    /// </summary>
    /// <param name="network">The network to clean.</param>
    /// <param name="removed">How many hidden units were removed in total.</param>
    public static NeuralNetwork RemoveDeadUnits(NeuralNetwork network, out int removed)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        NeuralNetwork current = network.Clone();
        removed = 0;
        int hidden = current.Spec.HiddenLayers.Count;
        while (hidden > 0)
        {
            var kept = new int[hidden][];
            int removedThisPass = 0;
            // Input side first: a fold into layer h+1's bias must happen before that layer's own constants are folded.
            for (int h = 0; h < hidden; h++)
            {
                DenseLayer incoming = current.Layers[h];
                DenseLayer outgoing = current.Layers[h + 1];
                var keep = new List<int>();
                var constant = new List<int>();
                for (int j = 0; j < incoming.OutputSize; j++)
                {
                    if (ColumnIsZero(outgoing, j)) continue;
                    if (RowIsZero(incoming, j)) constant.Add(j);
                    else keep.Add(j);
                }
                if (keep.Count == 0)
                {
                    keep.Add(0);
                    constant.Remove(0);
                }
                foreach (int j in constant)
                {
                    float value = NeuralNetwork.Activate(current.Spec.Activation, incoming.Bias[j]);
                    for (int o = 0; o < outgoing.OutputSize; o++) outgoing.Bias[o] += outgoing[o, j] * value;
                }
                kept[h] = keep.ToArray();
                removedThisPass += incoming.OutputSize - keep.Count;
            }
            if (removedThisPass == 0) break;
            removed += removedThisPass;
            current = RemoveUnits(current, kept);
        }
        return current;
    }

    /// <summary>
    /// Deletes hidden layer <paramref name="hiddenLayerIndex"/> by replacing its weight layer W_h and the next one
    /// W_(h+1) with their linear composition W_(h+1)·W_h and bias W_(h+1)·b_h + b_(h+1). This is exact when the
    /// activation acts as the identity on the values the layer produces (Relu with non-negative pre-activations);
    /// otherwise it is a starting point for fine-tuning. The merged layer has no mask.
    /// </summary>
    public static NeuralNetwork RemoveHiddenLayer(NeuralNetwork network, int hiddenLayerIndex)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        int hidden = network.Spec.HiddenLayers.Count;
        if (hiddenLayerIndex < 0 || hiddenLayerIndex >= hidden)
            throw new ArgumentOutOfRangeException(nameof(hiddenLayerIndex), hiddenLayerIndex, hidden == 0
                ? $"Network {network.Spec} has no hidden layer to remove."
                : $"Network {network.Spec} has hidden layers 0 to {hidden - 1}.");

        DenseLayer first = network.Layers[hiddenLayerIndex];
        DenseLayer second = network.Layers[hiddenLayerIndex + 1];
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

        var layers = new List<DenseLayer>();
        for (int l = 0; l < hiddenLayerIndex; l++) layers.Add(network.Layers[l].Clone());
        layers.Add(new DenseLayer(first.InputSize, second.OutputSize, weights, bias));
        for (int l = hiddenLayerIndex + 2; l < network.Layers.Count; l++) layers.Add(network.Layers[l].Clone());
        var widths = network.Spec.HiddenLayers.Where((_, h) => h != hiddenLayerIndex).ToArray();
        return new NeuralNetwork(network.Spec.WithHiddenLayers(widths), layers);
    }

    private static int[][] CheckKeptUnits(NeuralNetwork network, IReadOnlyList<int[]> keptUnitsPerHiddenLayer)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (keptUnitsPerHiddenLayer is null) throw new ArgumentNullException(nameof(keptUnitsPerHiddenLayer));
        IReadOnlyList<int> widths = network.Spec.HiddenLayers;
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

    // Null rows or columns mean "all of them".
    private static DenseLayer Slice(DenseLayer layer, int[]? rows, int[]? columns)
    {
        rows ??= Enumerable.Range(0, layer.OutputSize).ToArray();
        columns ??= Enumerable.Range(0, layer.InputSize).ToArray();
        var weights = new float[rows.Length * columns.Length];
        bool[]? mask = layer.Mask is null ? null : new bool[weights.Length];
        var bias = new float[rows.Length];
        for (int r = 0; r < rows.Length; r++)
        {
            bias[r] = layer.Bias[rows[r]];
            for (int c = 0; c < columns.Length; c++)
            {
                int from = rows[r] * layer.InputSize + columns[c];
                weights[r * columns.Length + c] = layer.Weights[from];
                if (mask is not null) mask[r * columns.Length + c] = layer.Mask![from];
            }
        }
        return new DenseLayer(columns.Length, rows.Length, weights, bias, mask);
    }

    private static bool RowIsZero(DenseLayer layer, int unit)
    {
        for (int i = 0; i < layer.InputSize; i++) if (layer[unit, i] != 0f) return false;
        return true;
    }

    private static bool ColumnIsZero(DenseLayer layer, int input)
    {
        for (int o = 0; o < layer.OutputSize; o++) if (layer[o, input] != 0f) return false;
        return true;
    }
}
