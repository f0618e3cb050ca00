namespace Microsoft.ML.AdaptivePruning;

/// <summary>A dense layer's kernels for the managed engine: its row-major matrix as is, compacted, or as sparse columns.</summary>
public sealed partial class DenseLayer
{
    internal override LayerKernel CreateKernel(KernelLayout layout, bool batched)
    {
        // An int8 layer runs on its int8 values and scales, not on the dequantized floats it also holds.
        if (Quantization is LayerQuantization quantization) return Int8Kernels.Create(this, quantization, layout, batched);
        // The forced dense layout is the dense scorer's baseline: the whole matrix, dropped units and inputs included.
        if (layout == KernelLayout.Dense) return DenseKernel.Full(InputSize, OutputSize, Weights, Bias);
        SparsityPattern pattern = SparsityPattern.Of(Weights, OutputSize, InputSize);
        if (layout == KernelLayout.Automatic) layout = KernelCostModel.Choose(pattern, batched);
        return layout == KernelLayout.Sparse
            ? new SparseColumnKernel(InputSize, OutputSize, Weights, Bias, pattern)
            : DenseKernel.Compacted(InputSize, OutputSize, Weights, Bias, pattern);
    }
}
