namespace Microsoft.ML.AdaptivePruning;

/// <summary>A convolution's kernel for the managed engine (<see cref="ConvolutionKernel"/>), and when the engine should score it.</summary>
public sealed partial class Conv2dLayer
{
    internal override LayerKernel CreateKernel(KernelLayout layout, bool batched) =>
        // The forced dense layout keeps every weight, zeros included, as a dense scorer would; otherwise only the
        // nonzero weights are stored, since each costs one pass over the output positions and a zero adds nothing.
        new ConvolutionKernel(_geometry, Weights, Bias, skipZeros: layout != KernelLayout.Dense);

    /// <remarks>
    /// Only a convolution that pruning has thinned to at most <see cref="ConvolutionKernel.EngineBelowDensity"/> of its
    /// weights (stride 1, vector hardware). On LeNet-5 (`conv-engine`, one core each)
    /// the engine ran the dense network and a filter-pruned one at 1.03x and 0.98x ONNX Runtime's rows/s, a tie that
    /// ONNX Runtime's second thread decides in its favour in an ordinary session, but weight-pruned networks at 2.6x
    /// (90% removed), 4.8x (96%) and 6.1x (99%): ONNX Runtime multiplies every zero.
    /// </remarks>
    internal override bool ScoresThroughEngine => ConvolutionKernel.OutrunsDenseConvolution(_geometry, NonzeroWeightCount);
}
