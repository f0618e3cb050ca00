using System;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Which path scores a convolutional network in memory: the engine when its convolutions are weight-pruned (the
/// direct kernel) or the whole network is small (ONNX Runtime's per-row cost then dominates), ONNX Runtime when a
/// large network keeps dense convolutions; either way the scores are the plain load's.
/// </summary>
public class ConvolutionEngineServingTests
{
    private static bool Spreads => Environment.ProcessorCount >= 2;

    /// <summary>A 1x28x28 network of 3.8 MFLOPs per row, above the small-network rule, or a 1x8x8 one of a few thousand.</summary>
    private static NeuralNetwork Dense(bool large) => large
        ? ConvNetworks.LargeDense()
        : ConvNetworks.Random(4, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "4x3p2", new[] { 6 }, 4);

    [TestCase(true, 0.0)]
    [TestCase(true, 0.5)]
    [TestCase(true, 0.9)]
    [TestCase(false, 0.0)]
    [TestCase(false, 0.9)]
    public void TheEngineScoresWeightPrunedOrSmallConvolutionalNetworks_OnnxRuntimeLargeDenseOnes(bool large, double sparsity)
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = sparsity == 0 ? Dense(large) : ConvNetworks.Pruned(Dense(large), sparsity, seed: 2);
        bool engine = sparsity > 0 || (!large && Spreads);
        float[][] rows = ConvNetworks.Rows(network, 20, 5);
        IDataView data = Labeled(ml, network, rows);
        using var transformer = new NeuralNetworkTransformer(network, "Features", data, "Label", null);

        Assert.That(EngineScoringTests.EngineSteps(transformer.Chain).Count(), Is.EqualTo(engine ? 1 : 0),
            $"{network.FlopsPerRow:N0} FLOPs per row, {network.Layers[0].NonzeroWeightCount} of {network.Layers[0].Weights.Length} kernel weights kept");
        float[][] inMemory = transformer.Transform(data).GetColumn<float[]>("Score").ToArray();
        float[][] plain = PlainLoad(ml, Saved(ml, transformer, data.Schema)).Transform(data).GetColumn<float[]>("Score").ToArray();
        for (int r = 0; r < rows.Length; r++)
            Assert.That(inMemory[r], Is.EqualTo(plain[r]).Within(1e-5f), $"row {r}");
    }

    [Test]
    public void ASmallDenseConvolutionalNetworkOnTheEngine_ScoresSingleRowsThroughItsOnnxStep()
    {
        // Every weight multiplied is what ONNX Runtime computes, so one row is no faster on the engine; blocks are.
        var engine = new ManagedNetworkEngine(Dense(large: false));
        var pruned = new ManagedNetworkEngine(ConvNetworks.Pruned(Dense(large: false), 0.9, seed: 2));

        Assert.That(engine.RowPathIsDense, Is.True);
        Assert.That(pruned.RowPathIsDense, Is.False);
    }
}
