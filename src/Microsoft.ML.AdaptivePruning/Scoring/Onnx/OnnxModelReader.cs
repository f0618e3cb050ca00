using System;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Parses ONNX model bytes into the classes generated from <c>Scoring/Onnx/onnx_subset.proto</c>.</summary>
internal static class OnnxModelReader
{
    /// <summary>The whole ONNX model in <paramref name="model"/>.</summary>
    /// <remarks>
    /// Fields the schema subset does not declare (training info, functions, sparse initializers…) are kept as unknown
    /// fields, so a parsed model written back with <c>ToByteArray</c> loses nothing.
    /// </remarks>
    /// <exception cref="FormatException">The bytes are not a protobuf message.</exception>
    public static ModelProto Parse(byte[] model)
    {
        if (model is null) throw new ArgumentNullException(nameof(model));
        try
        {
            return ModelProto.Parser.ParseFrom(model);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new FormatException("The bytes are not a valid ONNX model: " + e.Message, e);
        }
    }
}
