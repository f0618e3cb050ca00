using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Loads a saved model with the plain <c>Model.Load</c> and puts the managed engine in place of every ONNX step that
/// scores a network of this library, keeping every other step (and nested chains) as loaded.
/// </summary>
/// <remarks>
/// ML.NET's save plumbing is internal, so the network is found through public calls only: each OnnxTransformer of
/// the loaded chain is saved on its own into memory, its ONNX bytes read from that zip, and its metadata checked for
/// this library's spec. The weights come back from the ONNX initializers (<see cref="OnnxNetworkReader"/>), so a
/// LoadPruned model scores what the plain load scores, through the engine.
/// </remarks>
internal static class PrunedModelLoader
{
    /// <param name="catalog">The context's model catalog, which loads and saves.</param>
    /// <param name="modelZip">The saved model.</param>
    /// <param name="source">Names the model in messages: the quoted path, or "the stream".</param>
    /// <param name="inputSchema">The schema the model was saved with.</param>
    public static ITransformer Load(ModelOperationsCatalog catalog, Stream modelZip, string source, out DataViewSchema inputSchema)
    {
        ITransformer model;
        try
        {
            model = catalog.Load(modelZip, out inputSchema);
        }
        catch (Exception e) when (e is InvalidDataException or FormatException or InvalidOperationException or IOException or ArgumentException)
        {
            throw new InvalidDataException($"The model {source} could not be loaded (damaged, or not a model saved by mlContext.Model.Save): {e.Message}", e);
        }

        try
        {
            return WithEngine(catalog, model, source);
        }
        catch
        {
            (model as IDisposable)?.Dispose();
            throw;
        }
    }

    /// <summary><paramref name="model"/> with its networks scored by the engine; the same object when it holds none.</summary>
    private static ITransformer WithEngine(ModelOperationsCatalog catalog, ITransformer model, string source)
    {
        switch (model)
        {
            case TransformerChain<ITransformer> chain:
                ITransformer[] steps = chain.ToArray();
                ITransformer[] replaced = steps.Select(step => WithEngine(catalog, step, source)).ToArray();
                return steps.SequenceEqual(replaced) ? chain : new TransformerChain<ITransformer>(replaced, ScopesOf(chain, steps));
            case OnnxTransformer onnx:
                if (OurNetwork(catalog, onnx, source) is not { } ours) return onnx;
                (ModelProto network, byte[] bytes) = ours;
                try
                {
                    NeuralNetwork read = OnnxNetworkReader.Read(network);
                    // A network the engine would not score in memory (dense convolutions) is faster on the plain load's path.
                    if (!ScoringPipeline.EngineServes(read)) return onnx;
                    // The loaded step is disposed by the engine step, which keeps only the bytes and the engine's kernels.
                    return new EngineScoringTransformer(onnx, bytes, null, read, network.Graph.Input[0].Name, keepNetwork: false);
                }
                catch (FormatException e)
                {
                    throw new InvalidDataException($"The network in the model {source} cannot be read back from its ONNX graph: {e.Message}", e);
                }
            default:
                return model;
        }
    }

    /// <summary>
    /// The scope of each step (training, testing, scoring), so the rebuilt chain filters as the loaded one does. The
    /// scopes array is not public; <see cref="TransformerChain{T}.GetModelFor"/> is, and a step belongs to a scope
    /// exactly when the chain filtered by that scope still holds it.
    /// </summary>
    private static TransformerScope[] ScopesOf(TransformerChain<ITransformer> chain, ITransformer[] steps)
    {
        var scopes = new TransformerScope[steps.Length];
        foreach (TransformerScope scope in new[] { TransformerScope.Training, TransformerScope.Testing, TransformerScope.Scoring })
        {
            ITransformer[] kept = chain.GetModelFor(scope).ToArray();
            for (int i = 0; i < steps.Length; i++)
                if (kept.Contains(steps[i], ReferenceEqualityComparer.Instance)) scopes[i] |= scope;
        }
        return scopes;
    }

    /// <summary>The ONNX model the step scores, when this library wrote it; null for any other ONNX model.</summary>
    private static (ModelProto Model, byte[] Bytes)? OurNetwork(ModelOperationsCatalog catalog, OnnxTransformer onnx, string source)
    {
        using var saved = new MemoryStream();
        catalog.Save(onnx, null, saved);
        saved.Position = 0;
        using var zip = new ZipArchive(saved, ZipArchiveMode.Read);
        ZipArchiveEntry entry = zip.Entries.Single(SavedOnnxEntry.IsOnnxModel);
        byte[] bytes = SavedOnnxEntry.ModelBytes(entry, source);
        ModelProto model;
        try
        {
            model = OnnxModelReader.Parse(bytes);
        }
        catch (FormatException e)
        {
            throw SavedOnnxEntry.Corrupt(entry, source, e.Message, e);
        }
        return OnnxNetworkReader.IsAdaptivePruningModel(model) ? (model, bytes) : null;
    }
}
