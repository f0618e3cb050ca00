namespace Microsoft.ML.AdaptivePruning;

/// <summary>The non-linearity applied after every hidden layer.</summary>
public enum Activation
{
    /// <summary>max(0, x).</summary>
    Relu,

    /// <summary>Hyperbolic tangent.</summary>
    Tanh,
}
