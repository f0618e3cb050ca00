using System;
using System.Collections.Generic;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Reads the metadata_props of an ONNX model through the generated <see cref="ModelProto"/> parser.</summary>
internal static class OnnxMetadataReader
{
    /// <summary>The key/value metadata of the ONNX model in <paramref name="model"/>; a key written twice keeps its last value.</summary>
    /// <exception cref="FormatException">The bytes are not a protobuf message.</exception>
    public static Dictionary<string, string> Read(byte[] model)
    {
        if (model is null) throw new ArgumentNullException(nameof(model));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (StringStringEntryProto entry in OnnxModelReader.Parse(model).MetadataProps)
            metadata[entry.Key] = entry.Value;
        return metadata;
    }
}
