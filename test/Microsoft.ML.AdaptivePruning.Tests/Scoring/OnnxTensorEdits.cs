using System;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Reads and rewrites the raw little-endian values of a written graph's initializer, for tests that edit a graph.</summary>
internal static class OnnxTensorEdits
{
    public static long[] Int64s(TensorProto tensor)
    {
        byte[] raw = tensor.RawData.ToByteArray();
        return Enumerable.Range(0, raw.Length / sizeof(long)).Select(i => BitConverter.ToInt64(raw, i * sizeof(long))).ToArray();
    }

    /// <summary>Replaces the values and the dims (a vector of the values when no dims are given).</summary>
    public static void SetInt64s(TensorProto tensor, long[] values, params long[] dims)
    {
        tensor.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        tensor.Dims.Clear();
        tensor.Dims.AddRange(dims.Length > 0 ? dims : new long[] { values.Length });
    }

    /// <summary>Replaces the values and the dims (a vector of the values when no dims are given).</summary>
    public static void SetFloats(TensorProto tensor, float[] values, params long[] dims)
    {
        tensor.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        tensor.Dims.Clear();
        tensor.Dims.AddRange(dims.Length > 0 ? dims : new long[] { values.Length });
    }
}
