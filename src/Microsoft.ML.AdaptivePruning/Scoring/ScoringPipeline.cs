using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Builds the ML.NET chain that scores a network: the ONNX model, then saveable post-processing that produces the
/// standard columns of the task. Every step is a stock ML.NET transformer or a CustomMapping with a registered
/// factory, so <c>mlContext.Model.Save</c>/<c>Load</c> round-trip the chain, weights included, into a plain TransformerChain.
/// In memory the ONNX step scores through <see cref="ManagedNetworkEngine"/> (<see cref="EngineScoringTransformer"/>),
/// which saves as the ONNX step it stands in for.
/// </summary>
internal static class ScoringPipeline
{
    /// <summary>
    /// Fits the chain against the schema of <paramref name="trainingData"/> (every step is trivial: no data is read).
    /// The ONNX model is read from <paramref name="onnxModelPath"/>, which must outlive the chain; saving copies its bytes into the zip.
    /// </summary>
    public static TransformerChain<ITransformer> Fit(MLContext mlContext, NeuralNetwork network, string onnxModelPath,
        string featureColumnName, IDataView trainingData, string? labelColumnName)
    {
        TaskStrategy task = TaskStrategy.For(network.Spec.Task);
        // Post-processing first: its checks must fail before the ONNX step opens a session.
        var estimators = new List<IEstimator<ITransformer>>(task.PostProcessing(mlContext, network.Spec, trainingData.Schema, labelColumnName));
        estimators.Insert(0, mlContext.Transforms.ApplyOnnxModel(
            new[] { task.OnnxOutputName }, new[] { featureColumnName }, onnxModelPath));

        var transformers = new List<ITransformer>(estimators.Count);
        IDataView current = trainingData;
        try
        {
            foreach (var estimator in estimators)
            {
                ITransformer transformer = estimator.Fit(current);
                if (transformers.Count == 0 && EngineServes(network))
                    transformer = new EngineScoringTransformer(transformer, File.ReadAllBytes(onnxModelPath), current.Schema, network, featureColumnName, keepNetwork: true);
                transformers.Add(transformer);
                current = transformer.Transform(current);
            }
        }
        catch
        {
            // The ONNX step holds a native session.
            foreach (var transformer in transformers) (transformer as IDisposable)?.Dispose();
            throw;
        }
        return new TransformerChain<ITransformer>(transformers.ToArray());
    }

    /// <summary>
    /// Whether the engine scores <paramref name="network"/> in memory: when every layer kind says it should, or when the
    /// network is small enough that the engine outruns ONNX Runtime anyway (<see cref="KernelCostModel.EngineOutrunsOnnxRuntime"/>).
    /// </summary>
    internal static bool EngineServes(NeuralNetwork network) =>
        network.Layers.All(layer => layer.ScoresThroughEngine) || KernelCostModel.EngineOutrunsOnnxRuntime(network);
}
