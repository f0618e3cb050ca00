using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// One fully connected layer: y = W·x + b, with W stored row-major as [OutputSize, InputSize].
/// An optional mask marks the weights that pruning removed; a removed weight is always exactly zero.
/// </summary>
/// <remarks>
/// Its units are its output rows, so removing unit j removes row j of W and entry j of b, and in the next layer the
/// weights that read output j. Its input channels are its input columns.
/// </remarks>
public sealed partial class DenseLayer : NetworkLayer
{
    /// <summary>Creates a layer from weights (row-major [outputSize, inputSize]), bias and an optional keep-mask.</summary>
    public DenseLayer(int inputSize, int outputSize, float[] weights, float[] bias, bool[]? mask = null)
        : this(inputSize, outputSize, weights, bias, mask, inputChannelWidth: 1)
    {
    }

    /// <summary>
    /// Creates a layer whose input channels are blocks of <paramref name="inputChannelWidth"/> consecutive columns: the
    /// first dense layer after a convolution's flatten reads each filter's pooled image (height × width values) as one channel.
    /// </summary>
    public DenseLayer(int inputSize, int outputSize, float[] weights, float[] bias, bool[]? mask, int inputChannelWidth)
        : base(inputSize, outputSize, outputSize, checked(inputSize * outputSize), weights, bias, mask)
    {
        if (inputChannelWidth <= 0 || inputSize % inputChannelWidth != 0)
            throw new ArgumentOutOfRangeException(nameof(inputChannelWidth), inputChannelWidth, $"Must be positive and divide the input width {inputSize}.");
        InputChannelWidth = inputChannelWidth;
    }

    /// <summary>Consecutive input columns per input channel: 1, or a filter's pooled image after a convolution.</summary>
    public int InputChannelWidth { get; }

    /// <summary>Weight at unit <paramref name="output"/>, input <paramref name="input"/>.</summary>
    public float this[int output, int input] => Weights[output * InputSize + input];

    /// <inheritdoc />
    public override string Shape => $"{OutputSize}x{InputSize}";

    /// <inheritdoc />
    public override long FlopsPerRow => 2L * InputSize * OutputSize + 2L * OutputSize;

    /// <inheritdoc />
    public override long SparseFlopsPerRow => 2L * NonzeroWeightCount + 2L * OutputSize;

    /// <summary>A deep copy.</summary>
    public new DenseLayer Clone()
    {
        var copy = new DenseLayer(InputSize, OutputSize, (float[])Weights.Clone(), (float[])Bias.Clone(), (bool[]?)Mask?.Clone(), InputChannelWidth);
        // The quantization is immutable and the copied weights are on its grid, so the copy shares it.
        copy.AttachQuantization(Quantization);
        return copy;
    }

    /// <summary>
    /// This layer read as one whose input channels are blocks of <paramref name="inputChannelWidth"/> columns, sharing its
    /// arrays and quantization: what a reader that meets the layer before it knows its place after a flatten builds.
    /// </summary>
    internal DenseLayer WithInputChannelWidth(int inputChannelWidth)
    {
        var layer = new DenseLayer(InputSize, OutputSize, Weights, Bias, Mask, inputChannelWidth);
        layer.AttachQuantization(Quantization);
        return layer;
    }

    private protected override string KindName => "Dense";

    private protected override NetworkLayer CloneLayer() => Clone();
}
