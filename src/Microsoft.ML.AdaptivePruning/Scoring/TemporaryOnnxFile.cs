using System;
using System.IO;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// An ONNX model written to a uniquely named file in the temp folder and deleted on Dispose. The scoring chain loads
/// the model from this file rather than from a stream: ML.NET's own temp copy of a streamed model outlives Dispose.
/// </summary>
internal sealed class TemporaryOnnxFile : IDisposable
{
    public const string FilePrefix = "AdaptivePruning-";

    public TemporaryOnnxFile(byte[] model)
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), FilePrefix + Guid.NewGuid().ToString("N") + ".onnx");
        File.WriteAllBytes(Path, model);
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>Deletes the file; call it only after ONNX Runtime has released it.</summary>
    public void Dispose()
    {
        try
        {
            File.Delete(Path);
        }
        catch (IOException)
        {
            // Still open elsewhere (Windows): leave it to the OS temp cleanup rather than fail a Dispose.
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
