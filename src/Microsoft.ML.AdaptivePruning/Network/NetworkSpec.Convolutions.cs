using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The convolutional part of a spec: the input read as an image and the convolutions before the flatten.</summary>
public sealed partial class NetworkSpec
{
    private readonly ConvolutionGeometry[] _geometry;

    /// <summary>The input as an image, { channels, height, width } (ExtractPixels' layout), or null for a plain vector.</summary>
    public IReadOnlyList<int>? InputShape { get; }

    /// <summary>The convolutions, input side first; empty for a fully connected network.</summary>
    public IReadOnlyList<ConvolutionLayer> ConvolutionLayers { get; }

    /// <summary>
    /// Units of every layer before the output layer, input side first: the filters of each convolution, then the
    /// widths of the hidden layers. These are the layers structured pruning shrinks.
    /// </summary>
    public IReadOnlyList<int> HiddenUnitCounts => _hiddenUnitCounts ??= ConvolutionLayers.Select(c => c.Filters).Concat(HiddenLayers).ToArray();

    private int[]? _hiddenUnitCounts;

    /// <summary>The same spec with other unit counts for the layers <see cref="HiddenUnitCounts"/> lists: filters first, then hidden widths.</summary>
    public NetworkSpec WithHiddenUnitCounts(IReadOnlyList<int> unitCounts)
    {
        if (unitCounts is null) throw new ArgumentNullException(nameof(unitCounts));
        int convolutions = ConvolutionLayers.Count;
        if (unitCounts.Count < convolutions)
            throw new ArgumentException($"Spec {this} has {convolutions} convolutions, so it needs at least {convolutions} unit counts; got {unitCounts.Count}.", nameof(unitCounts));
        ConvolutionLayer[] convs = ConvolutionLayers.Select((c, i) => c.WithFilters(unitCounts[i])).ToArray();
        return new(Task, InputSize, unitCounts.Skip(convolutions).ToArray(), OutputSize, Activation, InputShape, convs);
    }

    /// <summary>
    /// The spec a trainer builds from its options for a feature column of <paramref name="featureCount"/> values;
    /// an input shape that does not hold that many values is refused naming the column.
    /// </summary>
    internal static NetworkSpec ForColumns(PruningTask task, int featureCount, string featureColumnName, int outputSize,
        int[] hiddenLayers, Activation activation, int[]? inputShape, ConvolutionLayer[] convolutionLayers)
    {
        ConvolutionGeometry.CheckFeatureWidth(inputShape, featureCount, $"the feature column '{featureColumnName}'");
        return new NetworkSpec(task, featureCount, hiddenLayers, outputSize, activation, inputShape, convolutionLayers);
    }

    /// <summary>
    /// Why <paramref name="layer"/> cannot be weight layer <paramref name="index"/> of this spec, or null when it can:
    /// the convolutions must be convolutions of exactly the spec's sizes, and the layers after them must not be.
    /// </summary>
    internal string? LayerKindMismatch(int index, NetworkLayer layer)
    {
        bool convolution = index < ConvolutionLayers.Count;
        if (layer is Conv2dLayer conv)
            return !convolution ? $"Layer {index} is a convolution ({conv.Shape}), but spec {this} has only {ConvolutionLayers.Count} convolutions before its dense layers."
                : conv.Sizes != _geometry[index] ? $"Layer {index} is {conv.Shape}; spec {this} needs the convolution {ConvolutionLayers[index]} over {_geometry[index].InputChannels}x{_geometry[index].InputHeight}x{_geometry[index].InputWidth}."
                : null;
        return convolution ? $"Layer {index} is a {layer.Kind} layer ({layer.Shape}); spec {this} needs the convolution {ConvolutionLayers[index]}." : null;
    }

    /// <summary>The sizes convolution <paramref name="layer"/> works on.</summary>
    internal ConvolutionGeometry Convolution(int layer) => _geometry[layer];

    /// <summary>Columns per input channel of weight layer <paramref name="layer"/>: a dense layer right after the flatten reads one block per filter.</summary>
    internal int InputChannelWidth(int layer) =>
        layer == ConvolutionLayers.Count && layer > 0 ? _geometry[^1].OutputChannelSize : 1;
}
