using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Reads the <see cref="CompressionReport"/> back from a model saved with <c>mlContext.Model.Save</c>.</summary>
public static class SavedModelReport
{
    /// <summary>
    /// The report embedded in the model zip at <paramref name="modelZipPath"/>. Its SerializedBytes is the value the
    /// report had before the transformer measured the saved size (the measurement needs the finished model).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a zip, or holds no network from this library.</exception>
    public static CompressionReport Read(string modelZipPath)
    {
        if (string.IsNullOrEmpty(modelZipPath)) throw new ArgumentException("The model path is empty.", nameof(modelZipPath));
        if (!File.Exists(modelZipPath)) throw new FileNotFoundException($"No model at '{modelZipPath}'.", modelZipPath);
        using var stream = File.OpenRead(modelZipPath);
        return Read(stream);
    }

    /// <summary>The report embedded in the model zip read from <paramref name="modelZip"/>; see <see cref="Read(string)"/>.</summary>
    public static CompressionReport Read(Stream modelZip)
    {
        if (modelZip is null) throw new ArgumentNullException(nameof(modelZip));
        using var zip = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
        foreach (ZipArchiveEntry entry in zip.Entries)
        {
            if (entry.Name != ScoringNames.OnnxZipEntryName) continue;
            if (TryReadMetadata(entry) is { } metadata && metadata.TryGetValue(ScoringNames.ReportMetadataKey, out string? json))
                return CompressionReport.FromJson(json);
        }
        throw new InvalidDataException("The model holds no network saved by Microsoft.ML.AdaptivePruning (no ONNX model with a compression report).");
    }

    private static Dictionary<string, string>? TryReadMetadata(ZipArchiveEntry entry)
    {
        using var content = new MemoryStream();
        using (var entryStream = entry.Open()) entryStream.CopyTo(content);
        byte[] bytes = content.ToArray();
        // ML.NET writes the ONNX bytes as a byte array: a 32-bit little-endian length, then the bytes.
        if (bytes.Length < sizeof(int) || BitConverter.ToInt32(bytes, 0) != bytes.Length - sizeof(int)) return null;
        try
        {
            return OnnxMetadataReader.Read(bytes[sizeof(int)..]);
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
