using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>An ONNX file that cannot be imported as a network: malformed, or holding a graph this library cannot represent.</summary>
/// <remarks>
/// ONNX files often come from elsewhere, so the import treats them as untrusted input: every problem it finds, from a
/// truncated file to an unsupported operator, surfaces as this one exception, whose message starts with the file's path
/// and names the node, tensor or field at fault. It derives from <see cref="FormatException"/> (as the reader of the library's own ONNX metadata throws) because the data,
/// not the call, is what is wrong.
/// </remarks>
public sealed class OnnxImportException : FormatException
{
    /// <summary>Creates the exception for <paramref name="filePath"/>; the message is prefixed with the path.</summary>
    public OnnxImportException(string filePath, string message, Exception? innerException = null)
        : base($"ONNX file '{filePath}': {message}", innerException)
    {
        FilePath = filePath;
    }

    /// <summary>The file that could not be imported.</summary>
    public string FilePath { get; }
}
