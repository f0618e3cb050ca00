namespace Microsoft.ML.AdaptivePruning;

/// <summary>The convolutional part of the trainers' network.</summary>
public partial class NeuralNetworkOptions
{
    /// <summary>
    /// The feature vector as an image, { channels, height, width }, laid out channel-major as ML.NET's ExtractPixels
    /// writes it; needed when <see cref="ConvolutionLayers"/> is not empty. Default <see cref="AdaptivePruningDefaults.InputShape"/>.
    /// </summary>
    /// <remarks>Its product must be the feature column's width; Fit says so, naming the column, when it is not.</remarks>
    public int[]? InputShape { get; set; } = AdaptivePruningDefaults.InputShape;

    /// <summary>
    /// Convolutions run on the image before the flatten and <see cref="HiddenLayers"/>, input side first. Default
    /// <see cref="AdaptivePruningDefaults.ConvolutionLayers"/> (none: a fully connected network).
    /// </summary>
    public ConvolutionLayer[] ConvolutionLayers { get; set; } = AdaptivePruningDefaults.ConvolutionLayers;
}
