namespace Microsoft.ML.AdaptivePruning;

/// <summary>A convolution's kernel for the managed engine: im2col, then per kept weight one vectorised multiply-add over the output positions.</summary>
public sealed partial class Conv2dLayer
{
    internal override LayerKernel CreateKernel(KernelLayout layout, bool batched) =>
        // The forced dense layout keeps every weight, zeros included, as a dense scorer would; otherwise only the
        // nonzero weights are stored, since each costs one pass over the output positions and a zero adds nothing.
        new ConvolutionKernel(_geometry, Weights, Bias, skipZeros: layout != KernelLayout.Dense);

    /// <remarks>
    /// No: the im2col kernel measured slower than ONNX Runtime's convolution on dense LeNet-5 (README, "LeNet-5 on
    /// MNIST"), and the ONNX reader behind LoadPruned does not rebuild convolutions yet.
    /// </remarks>
    internal override bool ScoresThroughEngine => false;
}
