namespace Microsoft.ML.AdaptivePruning;

/// <summary>Picks the ONNX form of each float dense layer from its shape and kept weights.</summary>
internal static class DenseOnnxFormRule
{
    /// <summary>The form to write <paramref name="layer"/> in.</summary>
    public static DenseOnnxForm For(DenseLayer layer)
    {
        if (layer.Quantization is not null) return DenseGemmForm.Instance;
        return DenseGemmForm.Instance;
    }
}
