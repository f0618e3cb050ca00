namespace Microsoft.ML.AdaptivePruning;

/// <summary>The convolutional part of the dense network the loop trains first.</summary>
public sealed partial class AdaptivePruneOptions
{
    /// <summary>
    /// The feature vector as an image, { channels, height, width } (ExtractPixels' layout); needed when
    /// <see cref="ConvolutionLayers"/> is not empty. Default <see cref="AdaptivePruningDefaults.InputShape"/>.
    /// </summary>
    public int[]? InputShape { get; set; } = AdaptivePruningDefaults.InputShape;

    /// <summary>
    /// Convolutions before the flatten and <see cref="HiddenLayers"/> of the dense network trained first (ignored when
    /// <see cref="InitialModel"/> is set). Neuron granularity prunes their filters. Default <see cref="AdaptivePruningDefaults.ConvolutionLayers"/>.
    /// </summary>
    public ConvolutionLayer[] ConvolutionLayers { get; set; } = AdaptivePruningDefaults.ConvolutionLayers;
}
