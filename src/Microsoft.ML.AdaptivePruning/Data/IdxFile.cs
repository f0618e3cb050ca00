using System;
using System.Buffers.Binary;
using System.IO;
using System.IO.Compression;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The validated header of one idx file (unsigned-byte data only), plus a way to open a stream positioned at its first item.
/// Plain and gzip-compressed files are both accepted; gzip is detected from its magic bytes, not the file name.
/// </summary>
internal sealed class IdxFile
{
    /// <summary>Magic of an idx file of unsigned bytes with three dimensions (count, rows, columns).</summary>
    public const int ImagesMagic = 0x00000803;

    /// <summary>Magic of an idx file of unsigned bytes with one dimension (count).</summary>
    public const int LabelsMagic = 0x00000801;

    private const int BufferSize = 1 << 16;

    private IdxFile(string path, string role, bool isGzip, int headerLength, int count, int itemSize)
    {
        Path = path;
        Role = role;
        IsGzip = isGzip;
        HeaderLength = headerLength;
        Count = count;
        ItemSize = itemSize;
    }

    /// <summary>Full path of the file.</summary>
    public string Path { get; }

    /// <summary>"images" or "labels", used in error messages.</summary>
    public string Role { get; }

    /// <summary>True when the file is gzip-compressed.</summary>
    public bool IsGzip { get; }

    /// <summary>Bytes before the first item: 4 for the magic plus 4 per dimension.</summary>
    public int HeaderLength { get; }

    /// <summary>Number of items (the first dimension).</summary>
    public int Count { get; }

    /// <summary>Bytes per item: the product of the dimensions after the first (1 for labels).</summary>
    public int ItemSize { get; }

    /// <summary>Dimensions after the first, e.g. rows and columns of an image; empty for labels.</summary>
    public int[] ItemShape { get; private set; } = Array.Empty<int>();

    /// <summary>Reads and checks the header of <paramref name="path"/>; for an uncompressed file also checks the length.</summary>
    /// <exception cref="FileNotFoundException">The file does not exist.</exception>
    /// <exception cref="InvalidDataException">Wrong magic, bad dimensions, or fewer bytes than the header declares.</exception>
    public static IdxFile Open(string path, int expectedMagic, string role)
    {
        string fullPath = System.IO.Path.GetFullPath(path);
        if (!File.Exists(fullPath))
            throw new FileNotFoundException($"The idx {role} file '{fullPath}' does not exist.", fullPath);

        int dimensionCount = expectedMagic & 0xFF;
        int headerLength = 4 + 4 * dimensionCount;
        bool isGzip;
        var header = new byte[headerLength];
        using (Stream stream = OpenStream(fullPath, out isGzip))
        {
            int read = stream.ReadAtLeast(header, headerLength, throwOnEndOfStream: false);
            if (read < 4)
                throw new InvalidDataException($"The idx {role} file '{fullPath}' is too short to be an idx file: expected at least {headerLength} header bytes, found {read}.");
            int magic = BinaryPrimitives.ReadInt32BigEndian(header);
            if (magic != expectedMagic)
                throw new InvalidDataException(
                    $"The file '{fullPath}' is not an idx {role} file: expected magic 0x{expectedMagic:X8} (unsigned bytes, {dimensionCount} dimension(s)), found 0x{magic:X8}.");
            if (read < headerLength)
                throw new InvalidDataException($"The idx {role} file '{fullPath}' is truncated inside its header: expected {headerLength} header bytes, found {read}.");
        }

        var dims = new int[dimensionCount];
        long itemSize = 1;
        for (int d = 0; d < dimensionCount; d++)
        {
            dims[d] = BinaryPrimitives.ReadInt32BigEndian(header.AsSpan(4 + 4 * d));
            // The item count may be zero; the item shape may not, or every row would be an empty vector.
            if (dims[d] < 0 || (d > 0 && dims[d] == 0))
                throw new InvalidDataException($"The idx {role} file '{fullPath}' declares an invalid size {dims[d]} for dimension {d}.");
            if (d > 0) itemSize *= dims[d];
        }
        if (itemSize > int.MaxValue)
            throw new InvalidDataException($"The idx {role} file '{fullPath}' declares items of {itemSize} bytes, more than this reader supports ({int.MaxValue}).");

        var file = new IdxFile(fullPath, role, isGzip, headerLength, dims[0], (int)itemSize) { ItemShape = dims[1..] };
        if (!isGzip)
        {
            // A compressed file's length says nothing about its content, so only plain files are checked here; the cursor catches the rest.
            long expected = headerLength + (long)file.Count * file.ItemSize;
            long actual = new FileInfo(fullPath).Length;
            if (actual < expected)
                throw new InvalidDataException(
                    $"The idx {role} file '{fullPath}' is truncated: its header declares {file.Count} item(s) of {file.ItemSize} byte(s), so {expected} bytes were expected, but the file has {actual}.");
        }
        return file;
    }

    /// <summary>Opens a new, independent stream positioned at the first item.</summary>
    public Stream OpenData()
    {
        Stream stream = OpenStream(Path, out _);
        try
        {
            var header = new byte[HeaderLength];
            if (stream.ReadAtLeast(header, HeaderLength, throwOnEndOfStream: false) < HeaderLength)
                throw new InvalidDataException($"The idx {Role} file '{Path}' is truncated inside its header (was it changed after loading?).");
            return stream;
        }
        catch
        {
            stream.Dispose();
            throw;
        }
    }

    /// <summary>Opens the file, transparently decompressing it when it starts with the gzip magic 1F 8B.</summary>
    private static Stream OpenStream(string path, out bool isGzip)
    {
        var file = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, BufferSize);
        try
        {
            Span<byte> magic = stackalloc byte[2];
            isGzip = file.ReadAtLeast(magic, 2, throwOnEndOfStream: false) == 2 && magic[0] == 0x1F && magic[1] == 0x8B;
            file.Position = 0;
            if (!isGzip) return file;
            return new BufferedStream(new GZipStream(file, CompressionMode.Decompress), BufferSize);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }
}
