using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning.Tests.Data;

/// <summary>Writes small idx files for the reader tests: 5 images of 2x3 with known pixels and labels.</summary>
internal static class IdxTestFiles
{
    public const int Count = 5;
    public const int Rows = 2;
    public const int Cols = 3;

    public static readonly byte[] Labels = { 3, 1, 4, 1, 5 };

    /// <summary>Pixel j of image i; distinct for every (i, j) and spanning 0..250.</summary>
    public static byte Pixel(int image, int pixel) => (byte)(image * 50 + pixel * 10);

    public static byte[] Header(int magic, params int[] dims)
    {
        var header = new byte[4 + 4 * dims.Length];
        BinaryPrimitives.WriteInt32BigEndian(header, magic);
        for (int d = 0; d < dims.Length; d++) BinaryPrimitives.WriteInt32BigEndian(header.AsSpan(4 + 4 * d), dims[d]);
        return header;
    }

    public static byte[] ImagesContent(int count = Count, int magic = 0x00000803)
    {
        byte[] pixels = Enumerable.Range(0, count)
            .SelectMany(i => Enumerable.Range(0, Rows * Cols).Select(j => Pixel(i, j)))
            .ToArray();
        return Header(magic, count, Rows, Cols).Concat(pixels).ToArray();
    }

    public static byte[] LabelsContent(int count = Count, int magic = 0x00000801)
        => Header(magic, count).Concat(Labels.Take(count)).ToArray();

    public static string Write(string folder, string name, byte[] content, bool gzip = false)
    {
        string path = Path.Combine(folder, name);
        if (gzip)
        {
            using var file = File.Create(path);
            using var zip = new GZipStream(file, CompressionLevel.Optimal);
            zip.Write(content);
        }
        else
        {
            File.WriteAllBytes(path, content);
        }
        return path;
    }
}
