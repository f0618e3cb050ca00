using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The dense form: one Gemm over the whole [units, inputs] matrix, keeping its layout (transB = 1).</summary>
/// <remarks>Fastest when most weights are kept; the only form an int8 layer is written in (its own storage feeds the Gemm).</remarks>
internal sealed class DenseGemmForm : DenseOnnxForm
{
    public static readonly DenseGemmForm Instance = new();

    private DenseGemmForm()
    {
    }

    public override string Name => "dense Gemm";

    public override void Emit(OnnxGraphBuilder graph, OnnxLayerNames names, DenseLayer layer, SparsityPattern pattern, string input, string output)
    {
        string weights = names.Of("W"), bias = names.Of("B");
        // An int8 layer stores its values and scales and computes the float matrix in the graph (Int8WeightStorage).
        if (layer.Quantization is null) graph.AddFloatInitializer(weights, layer.Weights, layer.OutputSize, layer.InputSize);
        else weights = Int8WeightStorage.Of(layer, $"Dense layer {names.Layer} ({layer.Shape})").Emit(graph, names);
        graph.AddFloatInitializer(bias, layer.Bias, layer.OutputSize)
            .AddNode("Gemm", names.Of("Gemm"), new[] { input, weights, bias }, new[] { output }, IntAttribute("transB", 1));
    }
}
