namespace Microsoft.ML.AdaptivePruning;

/// <summary>Picks the ONNX form of each float dense layer from its shape and the inputs its kept weights read.</summary>
/// <remarks>
/// <para>
/// ML.NET's ApplyOnnxModel runs ONNX Runtime one row per call (Transform and PredictionEngine alike), so what counts
/// is a node's cost at batch 1. ONNX Runtime's own per-node profile of the <c>onnx-forms</c> run (2 December 2026,
/// 14:15-14:25 UTC, load average 23-28 from other jobs, median kernel times) gave: the dense Gemm of a 300x784 layer
/// 17-18 µs, a Gather of its 784 columns 11 µs (about 14 ns per gathered element, the cost every sparse form pays
/// per value it gathers), and a tiny elementwise node 4-8 µs (<see cref="NodeMicroseconds"/>).
/// </para>
/// <para>
/// So the ELL form (gathering units·K values, then three more nodes; only the <c>onnx-forms</c> benchmark writes it),
/// measured slower than the dense Gemm in every case of that run (0.02-0.82x at 1-50% density) and is not a form of
/// the library: ONNX Runtime 1.31 has no standard operator that skips a random mask's zeros faster than its Gemm
/// multiplies them. Gathering the used
/// inputs (<see cref="GatheredInputsGemmForm"/>) measured 3.8-4.2x the dense Gemm when a quarter of a 300x784 layer's
/// inputs were read, 1.3-1.4x at half, and 0.3-1.0x when every input is read. It is chosen when its estimate (one
/// Gather node plus the smaller Gemm) is below <see cref="Margin"/> of the dense Gemm's; with these constants that
/// needs most inputs dead (about 30% or fewer read, on the 300x784 layer), and a small layer keeps its Gemm, whose
/// whole cost is below a Gather node's. The margin and the larger, loaded-machine node cost keep the rule on the
/// side of the dense Gemm: it writes no form that measured slower.
/// </para>
/// </remarks>
internal static class DenseOnnxFormRule
{
    /// <summary>A dense Gemm's cost per weight at batch 1 (17 µs for 300x784).</summary>
    internal const double GemmMicrosecondsPerWeight = 17.0 / (300 * 784);

    /// <summary>A Gather's cost per gathered value at batch 1 (11 µs for 784 columns).</summary>
    internal const double GatherMicrosecondsPerValue = 11.0 / 784;

    /// <summary>What one more node costs however small its tensors (the profile's tiny Add and Mul: 4-8 µs).</summary>
    internal const double NodeMicroseconds = 5.0;

    /// <summary>A sparse form must be estimated below this fraction of the dense Gemm's cost to be written.</summary>
    internal const double Margin = 0.8;

    /// <summary>The form to write <paramref name="layer"/> in: the dense Gemm unless gathering its used inputs is clearly cheaper.</summary>
    public static DenseOnnxFormChoice For(DenseLayer layer)
    {
        SparsityPattern pattern = DenseOnnxForm.PatternOf(layer);
        return new DenseOnnxFormChoice(layer, FormOf(layer, pattern.UsedInputs.Length), pattern);
    }

    private static DenseOnnxForm FormOf(DenseLayer layer, int used)
    {
        // An int8 layer's weights are computed in the graph from its own storage, which feeds a Gemm.
        if (layer.Quantization is not null) return DenseGemmForm.Instance;
        if (used == 0 || used == layer.InputSize) return DenseGemmForm.Instance;
        double gemm = GemmMicrosecondsPerWeight * layer.OutputSize * layer.InputSize;
        double gathered = NodeMicroseconds + GatherMicrosecondsPerValue * used + GemmMicrosecondsPerWeight * layer.OutputSize * used;
        return gathered < Margin * gemm ? GatheredInputsGemmForm.Instance : DenseGemmForm.Instance;
    }
}
