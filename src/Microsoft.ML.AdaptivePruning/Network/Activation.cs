namespace Microsoft.ML.AdaptivePruning;

/// <summary>The non-linearity applied after every hidden layer.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,

    /// <summary>The logistic function 1 / (1 + e^-x).</summary>
    Sigmoid,

    /// <summary>x for x &gt; 0, else 0.01·x: the negative slope PyTorch's <c>LeakyReLU</c> and ONNX's <c>LeakyRelu</c> default to.</summary>
    LeakyRelu,
}
