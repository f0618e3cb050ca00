using System;
using System.IO;
namespace Microsoft.ML.AdaptivePruning;

/// <summary>Model loading that scores this library's networks through the managed engine: <c>mlContext.Model.LoadPruned</c>.</summary>
public static class AdaptivePruningModelCatalog
{
    /// <summary>Loads a model saved with <c>mlContext.Model.Save</c>, with every network of this library scoring through <see cref="ManagedNetworkEngine"/>.</summary>
    /// <remarks>
    /// <para>
    /// The plain <c>mlContext.Model.Load</c> scores a saved network through ONNX Runtime, which multiplies every pruned
    /// zero (a dense Gemm). LoadPruned loads the same zip the same way, then replaces each ONNX step that holds a
    /// network of this library with the managed engine, which stores only the kept weights and picks a dense or sparse
    /// kernel per layer. Every other step (key mapping, normalisers, the scoring columns' post-processing, nested
    /// chains) is the one the plain load returns, so the pipeline gives the same columns, within float rounding.
    /// </para>
    /// <para>
    /// A zip that holds none of these networks comes back exactly as the plain load returns it. Saving the result
    /// writes the ONNX steps again, so the saved zip still loads with the plain load. Dispose the result as the plain
    /// load's (it holds the ONNX sessions saving needs).
    /// </para>
    /// </remarks>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="filePath">The model zip.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <exception cref="FileNotFoundException">No file at <paramref name="filePath"/>.</exception>
    /// <exception cref="InvalidDataException">The file is damaged or not a model, or its network cannot be read; the message names the file.</exception>
    public static ITransformer LoadPruned(this ModelOperationsCatalog catalog, string filePath, out DataViewSchema inputSchema)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (string.IsNullOrEmpty(filePath)) throw new ArgumentException("The model path is empty.", nameof(filePath));
        if (!File.Exists(filePath)) throw new FileNotFoundException($"No model at '{filePath}'.", filePath);
        using FileStream stream = File.OpenRead(filePath);
        return PrunedModelLoader.Load(catalog, stream, $"'{filePath}'", out inputSchema);
    }

    /// <summary>Loads a model from <paramref name="stream"/>; see <see cref="LoadPruned(ModelOperationsCatalog, string, out DataViewSchema)"/>.</summary>
    /// <remarks>The stream must be readable and seekable, as for <c>mlContext.Model.Load</c>; it stays open.</remarks>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="stream">The model zip.</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    /// <exception cref="InvalidDataException">The stream holds a damaged zip or no model, or its network cannot be read.</exception>
    public static ITransformer LoadPruned(this ModelOperationsCatalog catalog, Stream stream, out DataViewSchema inputSchema)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        return PrunedModelLoader.Load(catalog, stream, "the stream", out inputSchema);
    }
}
