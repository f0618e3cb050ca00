using System;
using System.IO;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Argument checks shared by the report writers: an output path and an image size.</summary>
internal static class ReportOutput
{
    /// <summary>Large enough for any print figure; beyond it Skia's raster surface allocation becomes the failure.</summary>
    internal const int MaxImageSide = 16384;

    /// <summary>Checks the report and path, and creates the path's folder so a fresh output folder works.</summary>
    internal static string PrepareFile(CompressionReport report, string path)
    {
        if (report is null) throw new ArgumentNullException(nameof(report));
        return PrepareFile(path);
    }

    /// <summary>Checks the path and creates its folder.</summary>
    internal static string PrepareFile(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new ArgumentException("The output path is empty.", nameof(path));
        string full = Path.GetFullPath(path);
        string? folder = Path.GetDirectoryName(full);
        if (!string.IsNullOrEmpty(folder)) Directory.CreateDirectory(folder);
        return full;
    }

    /// <summary>Throws <see cref="ArgumentOutOfRangeException"/> naming <paramref name="name"/> when a side is not in [1, <see cref="MaxImageSide"/>].</summary>
    internal static void CheckSide(int pixels, string name)
    {
        if (pixels < 1 || pixels > MaxImageSide)
            throw new ArgumentOutOfRangeException(name, pixels, $"{name} must be between 1 and {MaxImageSide} pixels; got {pixels}.");
    }
}
