using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// One weight layer of a <see cref="NeuralNetwork"/>: its weights, one bias per prunable unit, and a keep-mask over the
/// weights. A removed weight is always exactly zero.
/// </summary>
/// <remarks>
/// This is the seam every kind of layer extends (a fully connected layer today; a convolution or a quantized layer
/// next). A kind owns everything that depends on how its weights are laid out: its pruning groups (which weights a
/// structured unit owns, and which weights of the next layer read it), its structured surgery, its TorchSharp module,
/// its ONNX nodes, its managed execution and its FLOP count. Adding a kind is one new subclass plus its tests; the
/// criteria, the selectors, the surgery, the trainer and the writers go through these members only.
/// Inputs and outputs are flat rows of <see cref="InputSize"/> and <see cref="OutputSize"/> values; a kind that sees
/// its input as channels (a convolution, or a dense layer after one) says so through <see cref="InputChannelCount"/>.
/// </remarks>
public abstract partial class NetworkLayer
{
    /// <summary>Validates and stores the parameters; <paramref name="expectedWeights"/> is the kind's weight count for its shape.</summary>
    private protected NetworkLayer(int inputSize, int outputSize, int unitCount, int expectedWeights, float[] weights, float[] bias, bool[]? mask)
    {
        if (inputSize <= 0) throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "Must be positive.");
        if (outputSize <= 0) throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "Must be positive.");
        if (weights is null || weights.Length != expectedWeights)
            throw new ArgumentException($"Expected {expectedWeights} weights for a {KindName} layer of {unitCount} units over {inputSize} inputs, got {weights?.Length ?? 0}.", nameof(weights));
        if (bias is null || bias.Length != unitCount)
            throw new ArgumentException($"Expected {unitCount} biases, got {bias?.Length ?? 0}.", nameof(bias));
        if (mask is not null && mask.Length != weights.Length)
            throw new ArgumentException($"Expected a mask of {weights.Length} entries, got {mask.Length}.", nameof(mask));

        InputSize = inputSize;
        OutputSize = outputSize;
        UnitCount = unitCount;
        Weights = weights;
        Bias = bias;
        Mask = mask;
        ApplyMask();
    }

    /// <summary>Input width: values per row read by the layer.</summary>
    public int InputSize { get; }

    /// <summary>Output width: values per row written by the layer.</summary>
    public int OutputSize { get; }

    /// <summary>Units that structured pruning removes whole, one bias each: the rows of a dense layer.</summary>
    public int UnitCount { get; }

    /// <summary>The weights, laid out as the kind documents.</summary>
    public float[] Weights { get; }

    /// <summary>One bias per unit.</summary>
    public float[] Bias { get; }

    /// <summary>Keep-mask over <see cref="Weights"/> (true = kept), or null when nothing is pruned.</summary>
    public bool[]? Mask { get; private set; }

    /// <summary>The kind's name, as reports show it, e.g. "Dense".</summary>
    public string Kind => KindName;

    /// <summary>The layer's shape as reports show it, e.g. "300x784" (units x inputs) for a dense layer.</summary>
    public abstract string Shape { get; }

    /// <summary>Multiply-adds counted as two FLOPs, plus the bias, for one row as the layer executes densely.</summary>
    public abstract long FlopsPerRow { get; }

    /// <summary>FLOPs per row if only nonzero weights were multiplied (what a sparse kernel could reach).</summary>
    public abstract long SparseFlopsPerRow { get; }

    /// <summary>Bytes the parameters take stored densely (four per float weight and bias for the float kinds).</summary>
    /// <remarks>A kind that stores fewer bits per weight (a quantized layer) says so here, so reports need no case for it.</remarks>
    public virtual long ParameterBytes => Quantization is LayerQuantization q
        ? (long)Weights.Length * q.BitsPerWeight / 8 + (long)q.Scales.Count * sizeof(float) + (long)Bias.Length * sizeof(float)
        : (long)ParameterCount * sizeof(float);

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

    /// <summary>A deep copy, mask included.</summary>
    public NetworkLayer Clone() => CloneLayer();

    /// <summary>The kind's name, fixed per subclass.</summary>
    private protected abstract string KindName { get; }

    /// <summary>A deep copy of the same kind.</summary>
    private protected abstract NetworkLayer CloneLayer();
}
