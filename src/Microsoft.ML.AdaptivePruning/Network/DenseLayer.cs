using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// One fully connected layer: y = W·x + b, with W stored row-major as [OutputSize, InputSize].
/// An optional mask marks the weights that pruning removed; a removed weight is always exactly zero.
/// </summary>
public sealed class DenseLayer
{
    /// <summary>Creates a layer from weights (row-major [outputSize, inputSize]), bias and an optional keep-mask.</summary>
    public DenseLayer(int inputSize, int outputSize, float[] weights, float[] bias, bool[]? mask = null)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Must be positive.");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "Must be positive.");
        if (weights is null || weights.Length != inputSize * outputSize)
            throw new ArgumentException($"Expected {inputSize * outputSize} weights for a {outputSize}x{inputSize} layer, got {weights?.Length ?? 0}.", nameof(weights));
        if (bias is null || bias.Length != outputSize)
            throw new ArgumentException($"Expected {outputSize} biases, got {bias?.Length ?? 0}.", nameof(bias));
        if (mask is not null && mask.Length != weights.Length)
            throw new ArgumentException($"Expected a mask of {weights.Length} entries, got {mask.Length}.", nameof(mask));

        InputSize = inputSize;
        OutputSize = outputSize;
        Weights = weights;
        Bias = bias;
        Mask = mask;
        ApplyMask();
    }

    /// <summary>Input width.</summary>
    public int InputSize { get; }

    /// <summary>Output width (number of units).</summary>
    public int OutputSize { get; }

    /// <summary>Weights, row-major [OutputSize, InputSize]: the weight from input i to unit o is at o * InputSize + i.</summary>
    public float[] Weights { get; }

    /// <summary>One bias per unit.</summary>
    public float[] Bias { get; }

    /// <summary>Keep-mask over <see cref="Weights"/> (true = kept), or null when nothing is pruned.</summary>
    public bool[]? Mask { get; private set; }

    /// <summary>Weight count plus bias count.</summary>
    public int ParameterCount => Weights.Length + Bias.Length;

    /// <summary>Weights that are not zero.</summary>
    public int NonzeroWeightCount
    {
        get
        {
            int count = 0;
            foreach (float w in Weights) if (w != 0f) count++;
            return count;
        }
    }

    /// <summary>Nonzero weights plus nonzero biases.</summary>
    public int NonzeroParameterCount
    {
        get
        {
            int count = NonzeroWeightCount;
            foreach (float b in Bias) if (b != 0f) count++;
            return count;
        }
    }

    /// <summary>Weights still kept by the mask (all of them when there is no mask).</summary>
    public int KeptWeightCount
    {
        get
        {
            if (Mask is null) return Weights.Length;
            int count = 0;
            foreach (bool keep in Mask) if (keep) count++;
            return count;
        }
    }

    /// <summary>Weight at unit <paramref name="output"/>, input <paramref name="input"/>.</summary>
    public float this[int output, int input] => Weights[output * InputSize + input];

    /// <summary>Replaces the mask and zeroes every weight it removes.</summary>
    public void SetMask(bool[]? mask)
    {
        if (mask is not null && mask.Length != Weights.Length)
            throw new ArgumentException($"Expected a mask of {Weights.Length} entries, got {mask.Length}.", nameof(mask));
        Mask = mask;
        ApplyMask();
    }

    /// <summary>Zeroes every weight the mask removes.</summary>
    public void ApplyMask()
    {
        if (Mask is null) return;
        for (int k = 0; k < Weights.Length; k++)
        {
            if (!Mask[k]) Weights[k] = 0f;
        }
    }

    /// <summary>A deep copy.</summary>
    public DenseLayer Clone() => new(InputSize, OutputSize, (float[])Weights.Clone(), (float[])Bias.Clone(), (bool[]?)Mask?.Clone());
}
