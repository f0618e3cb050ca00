using System;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Reads the ONNX model bytes that ML.NET's OnnxTransformer stores in an entry of a saved model zip.</summary>
internal static class SavedOnnxEntry
{
    /// <summary>True for the entries OnnxTransformer writes its model to.</summary>
    public static bool IsOnnxModel(ZipArchiveEntry entry) => entry.Name == ScoringNames.OnnxZipEntryName;

    /// <summary>The ONNX bytes of <paramref name="entry"/>; <paramref name="source"/> names the model in messages.</summary>
    /// <exception cref="InvalidDataException">The entry cannot be read or does not hold the length it declares.</exception>
    public static byte[] ModelBytes(ZipArchiveEntry entry, string source)
    {
        byte[] bytes;
        try
        {
            using var content = new MemoryStream();
            using (var entryStream = entry.Open()) entryStream.CopyTo(content);
            bytes = content.ToArray();
        }
        catch (InvalidDataException e)
        {
            throw Corrupt(entry, source, e.Message, e);
        }
        // ML.NET writes the ONNX bytes as a byte array: a 32-bit little-endian length, then the bytes.
        if (bytes.Length < sizeof(int) || BitConverter.ToInt32(bytes, 0) != bytes.Length - sizeof(int))
            throw Corrupt(entry, source, $"the entry holds {bytes.Length} bytes, which do not match the length it declares.");
        return bytes[sizeof(int)..];
    }

    /// <summary>The error for an ONNX entry that cannot be read or parsed: corrupt, not foreign.</summary>
    public static InvalidDataException Corrupt(ZipArchiveEntry entry, string source, string why, Exception? inner = null)
        => new($"The ONNX model in entry '{entry.FullName}' of the model {source} is corrupt: {why}", inner);
}
