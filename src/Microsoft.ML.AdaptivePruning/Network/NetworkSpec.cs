using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The shape of a network: input width, optional convolutions over the input read as an image, hidden widths, output
/// width and activation. Structured pruning produces a new spec with fewer filters or smaller (or fewer) hidden layers.
/// </summary>
public sealed partial class NetworkSpec
{
    /// <summary>Creates a fully connected spec and validates every width.</summary>
    public NetworkSpec(PruningTask task, int inputSize, IReadOnlyList<int> hiddenLayers, int outputSize, Activation activation = Activation.Relu)
        : this(task, inputSize, hiddenLayers, outputSize, activation, null, Array.Empty<ConvolutionLayer>())
    {
    }

    /// <summary>
    /// Creates a spec whose input, read as the image <paramref name="inputShape"/> (channels, height, width), runs
    /// through <paramref name="convolutionLayers"/> before the flatten and the hidden layers; validates every size.
    /// </summary>
    public NetworkSpec(PruningTask task, int inputSize, IReadOnlyList<int> hiddenLayers, int outputSize, Activation activation,
        IReadOnlyList<int>? inputShape, IReadOnlyList<ConvolutionLayer> convolutionLayers)
    {
        if (inputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input width must be positive.");
        if (hiddenLayers is null)
            throw new ArgumentNullException(nameof(hiddenLayers));
        for (int i = 0; i < hiddenLayers.Count; i++)
        {
            if (hiddenLayers[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers[i], $"HiddenLayers[{i}] is {hiddenLayers[i]}; every hidden layer needs at least one unit.");
        }
        if (outputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "The output width must be positive.");
        if (!TaskStrategy.For(task).AllowsOutputSize(outputSize))
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"A {task} network has exactly one output.");

        _geometry = ConvolutionGeometry.Chain(inputShape, convolutionLayers);
        ConvolutionGeometry.CheckFeatureWidth(inputShape, inputSize, "the input width");
        InputShape = inputShape?.ToArray();
        ConvolutionLayers = convolutionLayers.Select(c => c.Clone()).ToArray();

        Task = task;
        InputSize = inputSize;
        HiddenLayers = hiddenLayers.ToArray();
        OutputSize = outputSize;
        Activation = activation;
    }

    /// <summary>The task, which fixes the loss and the scoring columns.</summary>
    public PruningTask Task { get; }

    /// <summary>Width of the feature vector.</summary>
    public int InputSize { get; }

    /// <summary>Widths of the hidden layers, input side first.</summary>
    public IReadOnlyList<int> HiddenLayers { get; }

    /// <summary>Width of the output layer: 1, or the class count for multiclass.</summary>
    public int OutputSize { get; }

    /// <summary>The hidden-layer non-linearity.</summary>
    public Activation Activation { get; }

    /// <summary>Number of weight layers (convolutions, hidden layers and the output layer).</summary>
    public int LayerCount => ConvolutionLayers.Count + HiddenLayers.Count + 1;

    /// <summary>Input width (flat values per row) of weight layer <paramref name="layer"/>.</summary>
    public int LayerInput(int layer)
    {
        int convolutions = ConvolutionLayers.Count;
        if (layer < convolutions) return _geometry[layer].InputSize;
        if (layer == convolutions) return convolutions == 0 ? InputSize : _geometry[^1].OutputSize;
        return HiddenLayers[layer - convolutions - 1];
    }

    /// <summary>Units of weight layer <paramref name="layer"/>: a convolution's filters, a dense layer's width.</summary>
    public int LayerOutput(int layer) => layer == LayerCount - 1 ? OutputSize : HiddenUnitCounts[layer];

    /// <summary>The same spec with other hidden widths (the convolutions stay as they are).</summary>
    public NetworkSpec WithHiddenLayers(IReadOnlyList<int> hiddenLayers) => new(Task, InputSize, hiddenLayers, OutputSize, Activation, InputShape, ConvolutionLayers);

    /// <summary>A readable form such as "784-300-100-10", or "1x28x28-conv20x5p2-conv50x5p2-500-10" with convolutions.</summary>
    public override string ToString()
    {
        IEnumerable<string> hidden = HiddenLayers.Select(w => w.ToString(System.Globalization.CultureInfo.InvariantCulture));
        IEnumerable<string> parts = ConvolutionLayers.Count == 0
            ? hidden.Prepend(InputSize.ToString(System.Globalization.CultureInfo.InvariantCulture))
            : ConvolutionLayers.Select(c => "conv" + c).Concat(hidden).Prepend(string.Join("x", InputShape!));
        return string.Join("-", parts.Append(OutputSize.ToString(System.Globalization.CultureInfo.InvariantCulture)));
    }
}
