using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Text.Json;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Reads the <see cref="CompressionReport"/> back from a model saved with <c>mlContext.Model.Save</c>.</summary>
public static class SavedModelReport
{
    /// <summary>
    /// The report embedded in the model zip at <paramref name="modelZipPath"/>. Its SerializedBytes is the value the
    /// report had before the transformer measured the saved size (the measurement needs the finished model).
    /// </summary>
    /// <exception cref="FileNotFoundException">No file at the path.</exception>
    /// <exception cref="InvalidDataException">The file is not a readable zip (e.g. truncated), its ONNX model is corrupt,
    /// or it holds no network from this library. The message names the file.</exception>
    public static CompressionReport Read(string modelZipPath)
    {
        if (string.IsNullOrEmpty(modelZipPath)) throw new ArgumentException("The model path is empty.", nameof(modelZipPath));
        if (!File.Exists(modelZipPath)) throw new FileNotFoundException($"No model at '{modelZipPath}'.", modelZipPath);
        using var stream = File.OpenRead(modelZipPath);
        return Read(stream, $"'{modelZipPath}'");
    }

    /// <summary>The report embedded in the model zip read from <paramref name="modelZip"/>; see <see cref="Read(string)"/>.</summary>
    public static CompressionReport Read(Stream modelZip)
    {
        if (modelZip is null) throw new ArgumentNullException(nameof(modelZip));
        return Read(modelZip, "the stream");
    }

    private static CompressionReport Read(Stream modelZip, string source)
    {
        ZipArchive zip;
        try
        {
            zip = new ZipArchive(modelZip, ZipArchiveMode.Read, leaveOpen: true);
        }
        catch (InvalidDataException e)
        {
            // ZipArchive's own message ("End of Central Directory record could not be found.") names no file.
            throw new InvalidDataException($"The model {source} is not a readable zip (truncated or not a model saved by mlContext.Model.Save): {e.Message}", e);
        }
        using (zip)
        {
            foreach (ZipArchiveEntry entry in zip.Entries)
            {
                if (!SavedOnnxEntry.IsOnnxModel(entry)) continue;
                if (ReadMetadata(entry, source).TryGetValue(ScoringNames.ReportMetadataKey, out string? json))
                {
                    try
                    {
                        return CompressionReport.FromJson(json);
                    }
                    // FromJson also refuses an empty value (ArgumentException) and a JSON null (FormatException):
                    // in a saved model those are a corrupt report as much as malformed JSON is.
                    catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
                    {
                        throw new InvalidDataException($"The compression report in entry '{entry.FullName}' of the model {source} is corrupt: {e.Message}", e);
                    }
                }
            }
        }
        throw new InvalidDataException($"The model {source} holds no network saved by Microsoft.ML.AdaptivePruning (no ONNX model with a compression report).");
    }

    /// <summary>The metadata of an ONNX entry; an entry that cannot be read or parsed is corrupt, not foreign.</summary>
    private static Dictionary<string, string> ReadMetadata(ZipArchiveEntry entry, string source)
    {
        byte[] bytes = SavedOnnxEntry.ModelBytes(entry, source);
        try
        {
            return OnnxMetadataReader.Read(bytes);
        }
        catch (FormatException e)
        {
            throw SavedOnnxEntry.Corrupt(entry, source, e.Message, e);
        }
    }
}
