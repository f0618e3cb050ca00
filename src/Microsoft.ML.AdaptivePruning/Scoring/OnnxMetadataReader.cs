using System;
using System.Collections.Generic;
using Google.Protobuf;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Reads only the metadata_props of an ONNX ModelProto, skipping the graph and everything else.</summary>
internal static class OnnxMetadataReader
{
    /// <summary>The key/value metadata of the ONNX model in <paramref name="model"/>.</summary>
    /// <exception cref="FormatException">The bytes are not a protobuf message.</exception>
    public static Dictionary<string, string> Read(byte[] model)
    {
        if (model is null) throw new ArgumentNullException(nameof(model));
        var metadata = new Dictionary<string, string>(StringComparer.Ordinal);
        try
        {
            var input = new CodedInputStream(model);
            uint tag;
            while ((tag = input.ReadTag()) != 0)
            {
                if (WireFormat.GetTagFieldNumber(tag) == OnnxFields.Model.MetadataProps
                    && WireFormat.GetTagWireType(tag) == WireFormat.WireType.LengthDelimited)
                {
                    var (key, value) = ReadEntry(input.ReadBytes());
                    metadata[key] = value;
                }
                else
                {
                    input.SkipLastField();
                }
            }
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("The bytes are not a valid ONNX model: " + e.Message, e);
        }
        return metadata;
    }

    private static (string Key, string Value) ReadEntry(ByteString bytes)
    {
        var input = bytes.CreateCodedInput();
        string key = "", value = "";
        uint tag;
        while ((tag = input.ReadTag()) != 0)
        {
            switch (WireFormat.GetTagFieldNumber(tag))
            {
                case OnnxFields.StringStringEntry.Key: key = input.ReadString(); break;
                case OnnxFields.StringStringEntry.Value: value = input.ReadString(); break;
                default: input.SkipLastField(); break;
            }
        }
        return (key, value);
    }
}
