using System.Globalization;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// How a layer writes itself into an ONNX graph, in the same phases as it runs: the linear part, then (after the
/// network's activation) the after-activation part. Every layer reads and writes flat [N, width] tensors, so kinds can
/// follow each other in any order; a kind that needs another shape inside (a convolution's [N, C, H, W]) reshapes there.
/// </summary>
public abstract partial class NetworkLayer
{
    /// <summary>Adds the linear part's initializers and nodes, reading tensor <paramref name="input"/> and writing <paramref name="output"/>.</summary>
    internal abstract void EmitOnnxLinear(OnnxGraphBuilder graph, OnnxLayerNames names, string input, string output);

    /// <summary>Adds the after-activation part and returns the tensor it writes; by default there is none and <paramref name="activated"/> is returned.</summary>
    internal virtual string EmitOnnxAfterActivation(OnnxGraphBuilder graph, OnnxLayerNames names, string activated) => activated;
}

/// <summary>Names of one layer's ONNX tensors and nodes: the graph's prefix, a kind of tensor, the layer's index ("AdaptivePruning.W0").</summary>
internal readonly record struct OnnxLayerNames(string Prefix, int Layer)
{
    public string Of(string kind) => Prefix + kind + Layer.ToString(CultureInfo.InvariantCulture);
}
