namespace Microsoft.ML.AdaptivePruning;

/// <summary>The defaults of the convolutional part of a network.</summary>
public static partial class AdaptivePruningDefaults
{
    /// <summary>The input as an image: none, so the features are a plain vector.</summary>
    /// <remarks>Only convolutions need the image's shape, and a fully connected network is the default.</remarks>
    public static int[]? InputShape => null;

    /// <summary>The convolutions before the hidden layers: none; a fresh array on every read.</summary>
    /// <remarks>A fully connected network is the default, so every existing pipeline stays as it was.</remarks>
    public static ConvolutionLayer[] ConvolutionLayers => System.Array.Empty<ConvolutionLayer>();
}
