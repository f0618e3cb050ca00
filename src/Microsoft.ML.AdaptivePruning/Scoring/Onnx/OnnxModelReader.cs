using System;
using System.IO;
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

    /// <summary>The ONNX model in the file at <paramref name="path"/>, which is untrusted input.</summary>
    /// <remarks>
    /// The parser checks every length prefix against the bytes left, so a truncated or corrupted file fails here
    /// without allocating what its fields claim; the only buffer is the file itself.
    /// </remarks>
    /// <exception cref="FileNotFoundException">There is no file at <paramref name="path"/>.</exception>
    /// <exception cref="OnnxImportException">The file is not a protobuf ONNX model.</exception>
    public static ModelProto ParseFile(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new ArgumentException("The ONNX path is empty.", nameof(path));
        if (!File.Exists(path)) throw new FileNotFoundException($"ONNX file '{path}' was not found.", path);
        byte[] bytes = File.ReadAllBytes(path);
        if (bytes.Length == 0) throw new OnnxImportException(path, "The file is empty.");
        ModelProto model;
        try
        {
            model = ModelProto.Parser.ParseFrom(bytes);
        }
        catch (InvalidProtocolBufferException e)
        {
            throw new OnnxImportException(path, "The file is not a valid ONNX model (" + e.Message + ").", e);
        }
        if (model.Graph is null) throw new OnnxImportException(path, "The file holds no ONNX graph (is it an ONNX model?).");
        return model;
    }
}
