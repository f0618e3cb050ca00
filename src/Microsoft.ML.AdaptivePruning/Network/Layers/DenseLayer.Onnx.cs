namespace Microsoft.ML.AdaptivePruning;

/// <summary>A dense layer in ONNX: the form <see cref="DenseOnnxFormRule"/> picks for its shape and kept weights.</summary>
public sealed partial class DenseLayer
{
    internal override void EmitOnnxLinear(OnnxGraphBuilder graph, OnnxLayerNames names, string input, string output)
        => DenseOnnxFormRule.For(this).Emit(graph, names, this, input, output);
}
