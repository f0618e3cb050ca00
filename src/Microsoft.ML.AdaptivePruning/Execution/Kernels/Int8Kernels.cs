namespace Microsoft.ML.AdaptivePruning;

/// <summary>Builds an int8 dense layer's kernel from its int8 values and per-unit scales, never from a float copy.</summary>
/// <remarks>
/// The layout is chosen as for float layers (<see cref="KernelCostModel"/>, on the same sparsity pattern: a weight is
/// kept exactly when its int8 value is not zero), and the forced layouts keep their meaning: <see cref="KernelLayout.Dense"/>
/// is the whole int8 matrix, <see cref="KernelLayout.Sparse"/> the int8 columns.
/// </remarks>
internal static class Int8Kernels
{
    public static LayerKernel Create(DenseLayer layer, LayerQuantization quantization, KernelLayout layout, bool batched)
    {
        sbyte[] values = quantization.Values(layer, $"The {layer.OutputSize}x{layer.InputSize} int8 layer");
        float[] scales = new float[layer.OutputSize];
        for (int u = 0; u < scales.Length; u++) scales[u] = quantization.Scales[u];
        if (layout == KernelLayout.Dense) return Int8DenseKernel.Full(layer.InputSize, layer.OutputSize, values, scales, layer.Bias);
        SparsityPattern pattern = SparsityPattern.Of(layer.Weights, layer.OutputSize, layer.InputSize);
        if (layout == KernelLayout.Automatic) layout = KernelCostModel.Choose(pattern, batched);
        return layout == KernelLayout.Sparse
            ? new Int8SparseColumnKernel(layer.InputSize, layer.OutputSize, values, scales, layer.Bias, pattern)
            : Int8DenseKernel.Compacted(layer.InputSize, layer.OutputSize, values, scales, layer.Bias, pattern);
    }
}
