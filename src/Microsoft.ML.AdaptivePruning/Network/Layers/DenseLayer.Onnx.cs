namespace Microsoft.ML.AdaptivePruning;

/// <summary>A dense layer in ONNX: the form <see cref="DenseOnnxFormRule"/> picks for its shape and kept weights.</summary>
/// <remarks>The model writer decides every layer's form once per graph (<see cref="OnnxLayerForms"/>); this decides it for the layer alone.</remarks>
public sealed partial class DenseLayer
{
    internal override void EmitOnnxLinear(OnnxGraphBuilder graph, OnnxLayerNames names, string input, string output)
        => DenseOnnxFormRule.For(this).Emit(graph, names, input, output);
}
