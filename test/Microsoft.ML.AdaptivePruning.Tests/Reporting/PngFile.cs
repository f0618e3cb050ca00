using System;
using System.Buffers.Binary;
using System.IO;
using System.Linq;
using NUnit.Framework;
using SkiaSharp;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Reads what the rendering tests check in a PNG: the signature, the IHDR size and pixel colours.</summary>
internal static class PngFile
{
    private static readonly byte[] Signature = { 0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A };

    /// <summary>Asserts the file is a PNG and returns its width and height from the IHDR chunk (bytes 16-23, big-endian).</summary>
    public static (int Width, int Height) Size(string path)
    {
        Assert.That(File.Exists(path), Is.True, $"{path} was not written");
        byte[] bytes = File.ReadAllBytes(path);
        Assert.That(bytes.Length, Is.GreaterThan(33), "too short for a PNG header");
        Assert.That(bytes.Take(8), Is.EqualTo(Signature), "PNG signature");
        Assert.That(System.Text.Encoding.ASCII.GetString(bytes, 12, 4), Is.EqualTo("IHDR"));
        return (BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(16, 4)), BinaryPrimitives.ReadInt32BigEndian(bytes.AsSpan(20, 4)));
    }

    /// <summary>How many pixels of each column have exactly the colour (r, g, b).</summary>
    public static int[] ColumnCounts(string path, byte r, byte g, byte b)
    {
        using SKBitmap bitmap = SKBitmap.Decode(path) ?? throw new AssertionException($"{path} does not decode");
        var counts = new int[bitmap.Width];
        for (int x = 0; x < bitmap.Width; x++)
        {
            for (int y = 0; y < bitmap.Height; y++)
            {
                SKColor c = bitmap.GetPixel(x, y);
                if (c.Red == r && c.Green == g && c.Blue == b) counts[x]++;
            }
        }
        return counts;
    }
}
