using System;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Which path scores a convolutional network in memory: the engine when its convolutions are weight-pruned (the
/// direct kernel), ONNX Runtime when they are dense; either way the scores are the plain load's.
/// </summary>
public class ConvolutionEngineServingTests
{
    [TestCase(0.0, false)]
    [TestCase(0.5, true)]
    [TestCase(0.9, true)]
    public void AWeightPrunedConvolutionScoresThroughTheEngine_ADenseOneThroughOnnx(double sparsity, bool engine)
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork dense = ConvNetworks.Random(4, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "4x3p2", new[] { 6 }, 4);
        NeuralNetwork network = sparsity == 0 ? dense : ConvNetworks.Pruned(dense, sparsity, seed: 2);
        float[][] rows = ConvNetworks.Rows(network, 20, 5);
        IDataView data = Labeled(ml, network, rows);
        using var transformer = new NeuralNetworkTransformer(network, "Features", data, "Label", null);

        Assert.That(EngineScoringTests.EngineSteps(transformer.Chain).Count(), Is.EqualTo(engine ? 1 : 0),
            $"{network.Layers[0].NonzeroWeightCount} of {network.Layers[0].Weights.Length} kernel weights kept");
        float[][] inMemory = transformer.Transform(data).GetColumn<float[]>("Score").ToArray();
        float[][] plain = PlainLoad(ml, Saved(ml, transformer, data.Schema)).Transform(data).GetColumn<float[]>("Score").ToArray();
        for (int r = 0; r < rows.Length; r++)
            Assert.That(inMemory[r], Is.EqualTo(plain[r]).Within(1e-5f), $"row {r}");
    }
}
