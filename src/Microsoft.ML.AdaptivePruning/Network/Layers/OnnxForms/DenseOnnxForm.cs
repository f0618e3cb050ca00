namespace Microsoft.ML.AdaptivePruning;

/// <summary>One way of writing a float dense layer's y = W·x + b into an ONNX graph from standard operators.</summary>
/// <remarks>
/// ONNX Runtime has no sparse kernels, so a pruned layer written as one dense Gemm multiplies every zero. Each form
/// here computes the same product from a different set of standard opset-13 operators, so that the plain
/// <c>Model.Load</c> (and any runtime outside .NET) skips the pruned weights; <see cref="DenseOnnxFormRule"/> picks
/// one per layer from measured costs. Every form stores the kept weights exactly, so the reader rebuilds the very
/// same float matrix (<see cref="OnnxNetworkReader"/>).
/// </remarks>
internal abstract class DenseOnnxForm
{
    /// <summary>The form's name in benchmark tables and messages.</summary>
    public abstract string Name { get; }

    /// <summary>
    /// Adds the layer's initializers and nodes, reading [N, inputs] tensor <paramref name="input"/> and writing [N,
    /// units] tensor <paramref name="output"/>; <paramref name="pattern"/> is the layer's <see cref="PatternOf"/>,
    /// scanned once by whoever chose the form.
    /// </summary>
    public abstract void Emit(OnnxGraphBuilder graph, OnnxLayerNames names, DenseLayer layer, SparsityPattern pattern, string input, string output);

    /// <summary>The layer's kept weights as the forms store them: every weight but +0, so a -0 weight comes back with its sign.</summary>
    public static SparsityPattern PatternOf(DenseLayer layer)
        => SparsityPattern.Of(layer.Weights, layer.OutputSize, layer.InputSize, keepNegativeZeros: true);
}
