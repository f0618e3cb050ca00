using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A dense layer in ONNX: one Gemm that keeps the [out, in] weight layout (transB = 1).</summary>
public sealed partial class DenseLayer
{
    internal override void EmitOnnxLinear(OnnxGraphBuilder graph, OnnxLayerNames names, string input, string output)
    {
        string weights = names.Of("W"), bias = names.Of("B");
        // An int8 layer stores its values and scales and computes the float matrix in the graph (Int8WeightStorage).
        if (Quantization is null) graph.AddFloatInitializer(weights, Weights, OutputSize, InputSize);
        else weights = Int8WeightStorage.Of(this, $"Dense layer {names.Layer} ({Shape})").Emit(graph, names);
        graph.AddFloatInitializer(bias, Bias, OutputSize)
            .AddNode("Gemm", names.Of("Gemm"), new[] { input, weights, bias }, new[] { output }, IntAttribute("transB", 1));
    }
}
