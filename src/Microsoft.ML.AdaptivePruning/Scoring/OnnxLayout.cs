namespace Microsoft.ML.AdaptivePruning;

/// <summary>The tensor shapes an encoded network exposes.</summary>
internal enum OnnxLayout
{
    /// <summary>Input [N, inputs], output [N, outputs] with a symbolic batch dimension "N": the standalone export.</summary>
    Batched,

    /// <summary>
    /// Input [inputs], output [outputs], reshaped to and from a batch of one inside the graph. ML.NET scores one row at
    /// a time and turns every ONNX dimension into a vector dimension, so only rank-1 tensors give the usual
    /// Vector&lt;Single, K&gt; columns (a batched [N, K] output would arrive as Vector&lt;Single, 1, K&gt;).
    /// </summary>
    SingleRow,
}
