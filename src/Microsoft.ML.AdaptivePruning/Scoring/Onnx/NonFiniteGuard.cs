using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Keeps the dense Gemm's answer to a NaN or infinite feature (every output NaN) in a graph whose layers skip the
/// features no kept weight reads: the row's dot product with zeros, NaN exactly when some feature is not finite
/// (NaN·0 and ∞·0 are NaN), added to the network's last linear output.
/// </summary>
/// <remarks>
/// A sparse form (<see cref="DenseOnnxForm"/>) never multiplies a pruned weight, so without the guard a NaN in a dead
/// feature would score a number under the plain <c>Model.Load</c>, while the dense graph, the engine and
/// <c>LoadPruned</c> score NaN (the engine tests the row the same way, see <see cref="EngineScoringTransformer"/>).
/// Adding the [N, 1] guard, +0 for a finite row, leaves every finite output as it was. It costs one MatMul of the
/// row by an [inputs, 1] column and one Add, so graphs written wholly as dense Gemms go without it.
/// </remarks>
internal static class NonFiniteGuard
{
    /// <summary>Whether a graph of layers written in <paramref name="forms"/> needs the guard: some float layer is written in a form that skips weights.</summary>
    public static bool IsNeeded(OnnxLayerForms forms) => forms.SkipWeights;

    /// <summary>Adds the [N, 1] guard of the [N, <paramref name="inputs"/>] tensor <paramref name="features"/> and returns its name.</summary>
    public static string Emit(OnnxGraphBuilder graph, string prefix, string features, int inputs)
    {
        string zeros = prefix + "FiniteZeros", guard = prefix + "NonFinite";
        graph.AddFloatInitializer(zeros, new float[inputs], inputs, 1)
            .AddNode("MatMul", prefix + "FiniteCheck", new[] { features, zeros }, new[] { guard });
        return guard;
    }

    /// <summary>Adds the guard to <paramref name="unguarded"/>, writing <paramref name="output"/>.</summary>
    public static void Apply(OnnxGraphBuilder graph, string prefix, string guard, string unguarded, string output) =>
        graph.AddNode("Add", prefix + "FiniteGuard", new[] { unguarded, guard }, new[] { output });

    /// <summary>Whether <paramref name="node"/> is the guard's check: a MatMul of the row by an [inputs, 1] column of +0 (what the reader skips).</summary>
    public static bool IsCheck(NodeProto node, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        if (node.OpType != "MatMul" || node.Input.Count != 2 || !initializers.TryGetValue(node.Input[1], out TensorProto? zeros)) return false;
        OnnxConstant column = OnnxTensorDecoder.Decode(zeros, "saved model", "initializer");
        return column.Dims is [_, 1] && column.Floats is float[] values && values.All(v => System.BitConverter.SingleToInt32Bits(v) == 0);
    }
}
