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
        : base(inputSize, outputSize, outputSize, checked(inputSize * outputSize), weights, bias, mask)
    {
    }

    /// <summary>Weight at unit <paramref name="output"/>, input <paramref name="input"/>.</summary>
    public float this[int output, int input] => Weights[output * InputSize + input];

    /// <inheritdoc />
    public override string Shape => $"{OutputSize}x{InputSize}";

    /// <inheritdoc />
    public override long FlopsPerRow => 2L * InputSize * OutputSize + 2L * OutputSize;

    /// <inheritdoc />
    public override long SparseFlopsPerRow => 2L * NonzeroWeightCount + 2L * OutputSize;

    /// <summary>A deep copy.</summary>
    public new DenseLayer Clone() => new(InputSize, OutputSize, (float[])Weights.Clone(), (float[])Bias.Clone(), (bool[]?)Mask?.Clone());

    private protected override string KindName => "Dense";

    private protected override NetworkLayer CloneLayer() => Clone();
}
