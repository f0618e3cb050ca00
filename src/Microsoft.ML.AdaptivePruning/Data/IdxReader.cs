using System;
using System.IO;
using Microsoft.ML;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Reads a pair of idx files (the format MNIST ships in) as a streaming <see cref="IDataView"/>:
/// rows are read from disk as a cursor moves, so the files are never held in memory.
/// </summary>
/// <remarks>
/// A loader for a file format, a peer of <c>mlContext.Data.LoadFromTextFile</c>, not sample code: it streams any idx
/// pair (MNIST, Fashion-MNIST, EMNIST) without holding it in memory, which the training loop relies on for large files.
/// It stays in the root namespace for the reason given in <see cref="SampleDatasets"/>'s remarks.
/// </remarks>
public static class IdxReader
{
    /// <summary>
    /// Opens an images file (magic 0x00000803: count × rows × columns unsigned bytes) and a labels file
    /// (magic 0x00000801: count unsigned bytes), plain or gzip-compressed, as a view with a
    /// Vector&lt;Single, rows·columns&gt; feature column and a Single label column holding the label byte's value.
    /// Headers (and, for uncompressed files, lengths) are validated here; a file that still ends early makes the cursor throw.
    /// </summary>
    /// <param name="mlContext">The ML.NET context.</param>
    /// <param name="imagesPath">Path of the idx images file.</param>
    /// <param name="labelsPath">Path of the idx labels file.</param>
    /// <param name="options">Column names, scaling and row limit; defaults when null.</param>
    /// <exception cref="FileNotFoundException">Either file is missing.</exception>
    /// <exception cref="InvalidDataException">Wrong magic, truncated file, or the two files hold different numbers of items.</exception>
    /// <exception cref="ArgumentException">Invalid options.</exception>
    public static IDataView Load(MLContext mlContext, string imagesPath, string labelsPath, IdxLoadOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        ArgumentException.ThrowIfNullOrWhiteSpace(imagesPath);
        ArgumentException.ThrowIfNullOrWhiteSpace(labelsPath);
        options ??= new IdxLoadOptions();
        options.Validate();

        IdxFile images = IdxFile.Open(imagesPath, IdxFile.ImagesMagic, "images");
        IdxFile labels = IdxFile.Open(labelsPath, IdxFile.LabelsMagic, "labels");
        if (images.Count != labels.Count)
            throw new InvalidDataException(
                $"The idx images file '{images.Path}' holds {images.Count} images but the labels file '{labels.Path}' holds {labels.Count} labels; they must match.");

        long rowCount = options.MaxRows is long max ? Math.Min(max, images.Count) : images.Count;
        return new IdxDataView(images, labels, options, rowCount);
    }
}
