using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The gathered-inputs form: a Gather (axis 1) of only the input columns some kept weight reads, then a Gemm over the
/// [units, used] matrix of those columns.
/// </summary>
/// <remarks>
/// It wins when whole inputs are dead (after neuron pruning, dead-unit removal, or an image's empty borders); under a
/// random mask nearly every input stays used and it is only the dense Gemm plus a Gather.
/// </remarks>
internal sealed class GatheredInputsGemmForm : DenseOnnxForm
{
    public static readonly GatheredInputsGemmForm Instance = new();

    private GatheredInputsGemmForm()
    {
    }

    public override string Name => "Gather used inputs + Gemm";

    public override void Emit(OnnxGraphBuilder graph, OnnxLayerNames names, DenseLayer layer, SparsityPattern pattern, string input, string output)
    {
        int[] used = pattern.UsedInputs;
        var columns = new long[used.Length];
        var weights = new float[layer.OutputSize * used.Length];
        for (int j = 0; j < used.Length; j++)
        {
            columns[j] = used[j];
            for (int u = 0; u < layer.OutputSize; u++) weights[u * used.Length + j] = layer.Weights[u * layer.InputSize + used[j]];
        }
        string gathered = names.Of("UsedX");
        graph.AddInt64Initializer(names.Of("Used"), columns, used.Length)
            .AddFloatInitializer(names.Of("W"), weights, layer.OutputSize, used.Length)
            .AddFloatInitializer(names.Of("B"), layer.Bias, layer.OutputSize)
            .AddNode("Gather", names.Of("GatherUsed"), new[] { input, names.Of("Used") }, new[] { gathered }, IntAttribute("axis", 1))
            .AddNode("Gemm", names.Of("Gemm"), new[] { gathered, names.Of("W"), names.Of("B") }, new[] { output }, IntAttribute("transB", 1));
    }
}
