namespace Microsoft.ML.AdaptivePruning;

/// <summary>One weight layer of a <see cref="CompressionReport"/>: its shape before and after, and how sparse it is.</summary>
public sealed class LayerReport
{
    /// <summary>Position of the layer, input side first.</summary>
    public int Index { get; set; }

    /// <summary>The layer's kind, e.g. "Dense".</summary>
    public string Kind { get; set; } = "";

    /// <summary>Shape of the dense network's layer, as "outputs x inputs".</summary>
    public string ShapeBefore { get; set; } = "";

    /// <summary>Shape of the compressed network's layer, as "outputs x inputs" ("removed" when the layer is gone).</summary>
    public string ShapeAfter { get; set; } = "";

    /// <summary>Weights in the compressed layer.</summary>
    public long Weights { get; set; }

    /// <summary>Weights in the compressed layer that are not zero.</summary>
    public long NonzeroWeights { get; set; }

    /// <summary>FLOPs per row of the compressed layer as it executes densely (0 when the layer is gone).</summary>
    public long FlopsPerRow { get; set; }

    /// <summary>Bytes the compressed layer's parameters take stored densely (0 when the layer is gone).</summary>
    public long ParameterBytes { get; set; }

    /// <summary>Fraction of the compressed layer's weights that are zero.</summary>
    public double Sparsity { get; set; }

    /// <summary>How the weights are stored in the saved model: "Float32", "Int8 dense" or "Int8 sparse" ("" when the layer is gone).</summary>
    public string Storage { get; set; } = "";

    /// <summary>Bits per stored weight value: 32 for float layers, 8 for int8 ones (0 when the layer is gone).</summary>
    public int BitsPerWeight { get; set; }

    /// <summary>Bytes of the stored weight positions (the sparse int8 layout's uint8 gaps; 0 otherwise).</summary>
    public long IndexBytes { get; set; }

    /// <summary>
    /// Bytes the layer's tensors take in the saved ONNX graph: values, positions, scales and biases, before the zip's
    /// deflate (which compresses the whole graph at once, so it has no per-layer share).
    /// </summary>
    public long StoredBytes { get; set; }
}
