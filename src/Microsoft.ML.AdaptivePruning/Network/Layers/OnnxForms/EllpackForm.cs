using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The ELLPACK form: each unit's kept weights padded to the widest unit's count K. A Gather (axis 1) of x by the
/// [units, K] column indices gives [N, units, K], a Mul by the [units, K] weights, a ReduceSum over axis 2 (keepdims 0)
/// and an Add of the bias give [N, units].
/// </summary>
/// <remarks>
/// The work is units·K per row instead of units·inputs, at the price of four nodes instead of one. A padding slot
/// reads column 0 with weight +0, which adds an exact zero for finite inputs (the network's non-finite guard keeps a
/// NaN feature's NaN, see <see cref="NonFiniteGuard"/>). A unit with no kept weight is all padding and yields its bias.
/// ONNX Runtime 1.31 runs it slower than the dense Gemm in every case the <c>onnx-forms</c> verb measured (its Gather
/// costs about 14 ns per value), so <see cref="DenseOnnxFormRule"/> never writes it; the verb keeps measuring it and
/// the reader keeps reading it, so a runtime with a faster Gather can be checked without new code.
/// </remarks>
internal sealed class EllpackForm : DenseOnnxForm
{
    public static readonly EllpackForm Instance = new();

    private EllpackForm()
    {
    }

    public override string Name => "ELL Gather-Mul-ReduceSum";

    /// <summary>The padded width K: the most kept weights of any unit, at least 1 so no tensor is empty.</summary>
    public static int Width(DenseLayer layer)
    {
        int width = 1;
        foreach (var columns in KeptColumns(layer)) width = System.Math.Max(width, columns.Count);
        return width;
    }

    public override void Emit(OnnxGraphBuilder graph, OnnxLayerNames names, DenseLayer layer, string input, string output)
    {
        var kept = KeptColumns(layer);
        int width = Width(layer);
        var indices = new long[layer.OutputSize * width];
        var weights = new float[layer.OutputSize * width];
        for (int u = 0; u < layer.OutputSize; u++)
        {
            for (int k = 0; k < kept[u].Count; k++)
            {
                indices[u * width + k] = kept[u][k];
                weights[u * width + k] = layer.Weights[u * layer.InputSize + kept[u][k]];
            }
        }
        string gathered = names.Of("EllX"), products = names.Of("EllProducts"), sums = names.Of("EllSums");
        graph.AddInt64Initializer(names.Of("EllColumns"), indices, layer.OutputSize, width)
            .AddFloatInitializer(names.Of("EllW"), weights, layer.OutputSize, width)
            .AddInt64Initializer(names.Of("EllAxis"), new long[] { 2 }, 1)
            .AddFloatInitializer(names.Of("B"), layer.Bias, layer.OutputSize)
            .AddNode("Gather", names.Of("EllGather"), new[] { input, names.Of("EllColumns") }, new[] { gathered }, IntAttribute("axis", 1))
            .AddNode("Mul", names.Of("EllMul"), new[] { gathered, names.Of("EllW") }, new[] { products })
            .AddNode("ReduceSum", names.Of("EllSum"), new[] { products, names.Of("EllAxis") }, new[] { sums }, IntAttribute("keepdims", 0))
            .AddNode("Add", names.Of("EllBias"), new[] { sums, names.Of("B") }, new[] { output });
    }
}
