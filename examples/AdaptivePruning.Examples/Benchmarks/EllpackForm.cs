using System;
using System.Linq;
using Microsoft.ML.AdaptivePruning;
using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>
/// The ELLPACK form, measured by the <c>onnx-forms</c> benchmark only: each unit's kept weights padded to the widest
/// unit's count K. A Gather (axis 1) of x by the [units, K] column indices gives [N, units, K], a Mul by the [units, K]
/// weights, a ReduceSum over axis 2 (keepdims 0) and an Add of the bias give [N, units].
/// </summary>
/// <remarks>
/// The work is units·K per row instead of units·inputs, at the price of four nodes instead of one. A padding slot
/// reads column 0 with weight +0, which adds an exact zero for finite inputs; a unit with no kept weight is all padding
/// and yields its bias. ONNX Runtime 1.31 ran it slower than the dense Gemm in every case the benchmark measured (its
/// Gather costs about 14 ns per value), so the library neither writes nor reads it; the benchmark keeps measuring it
/// (its output checked against the dense Gemm's), so a runtime with a faster Gather can be checked without new code.
/// </remarks>
internal sealed class EllpackForm : DenseOnnxForm
{
    public static readonly EllpackForm Instance = new();

    private EllpackForm()
    {
    }

    public override string Name => "ELL Gather-Mul-ReduceSum";

    public override void Emit(OnnxGraphBuilder graph, OnnxLayerNames names, DenseLayer layer, SparsityPattern pattern, string input, string output)
    {
        int units = layer.OutputSize, inputs = layer.InputSize;
        var counts = new int[units];
        for (int u = 0; u < units; u++)
            foreach (float weight in layer.Weights.AsSpan(u * inputs, inputs)) if (SparsityPattern.IsKeptWithSign(weight)) counts[u]++;
        // K is at least 1, so no tensor is empty.
        int width = Math.Max(1, counts.Length == 0 ? 0 : counts.Max());
        var indices = new long[units * width];
        var weights = new float[units * width];
        for (int u = 0; u < units; u++)
        {
            int k = 0;
            for (int i = 0; i < inputs; i++)
            {
                float weight = layer.Weights[u * inputs + i];
                if (!SparsityPattern.IsKeptWithSign(weight)) continue;
                indices[u * width + k] = i;
                weights[u * width + k] = weight;
                k++;
            }
        }
        string gathered = names.Of("EllX"), products = names.Of("EllProducts"), sums = names.Of("EllSums");
        graph.AddInt64Initializer(names.Of("EllColumns"), indices, units, width)
            .AddFloatInitializer(names.Of("EllW"), weights, units, width)
            .AddInt64Initializer(names.Of("EllAxis"), new long[] { 2 }, 1)
            .AddFloatInitializer(names.Of("B"), layer.Bias, units)
            .AddNode("Gather", names.Of("EllGather"), new[] { input, names.Of("EllColumns") }, new[] { gathered }, IntAttribute("axis", 1))
            .AddNode("Mul", names.Of("EllMul"), new[] { gathered, names.Of("EllW") }, new[] { products })
            .AddNode("ReduceSum", names.Of("EllSum"), new[] { products, names.Of("EllAxis") }, new[] { sums }, IntAttribute("keepdims", 0))
            .AddNode("Add", names.Of("EllBias"), new[] { sums, names.Of("B") }, new[] { output });
    }
}
