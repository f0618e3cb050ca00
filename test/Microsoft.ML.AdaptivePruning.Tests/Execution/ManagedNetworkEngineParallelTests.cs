using System;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The batched path spread over threads: the same bits as one thread for every row, only for calls with enough work,
/// and the engine step's cursor reading a block per thread so that Transform spreads too.
/// </summary>
[TestFixture]
public sealed class ManagedNetworkEngineParallelTests
{
    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>A LeNet-like convolutional network (dense, or weight-pruned onto the direct kernel) and a pruned MLP, all with enough work per block to spread.</summary>
    private static NeuralNetwork Network(string kind) => kind switch
    {
        "dense conv" => ConvNetworks.Random(3, PruningTask.MulticlassClassification, new[] { 1, 16, 16 }, "8x3p2,12x3", new[] { 20 }, 5),
        "pruned conv" => ConvNetworks.Pruned(ConvNetworks.Random(3, PruningTask.MulticlassClassification, new[] { 1, 16, 16 }, "8x3p2,12x3", new[] { 20 }, 5), 0.7, seed: 1),
        _ => SparseNetworks.Create(seed: 5, PruningTask.Regression, 0.5, input: 300, hidden: new[] { 200, 100 }),
    };

    [Test]
    public void ScoringOnSeveralThreads_GivesEveryRowTheBitsOfOneThread([Values("dense conv", "pruned conv", "mlp")] string kind, [Values(2, 3, 8)] int threads)
    {
        NeuralNetwork network = Network(kind);
        const int rows = 64 * 5 + 17;   // five full blocks and a partial one
        float[] x = ConvNetworks.Rows(network, rows, seed: 4).SelectMany(r => r).ToArray();
        var one = new ManagedNetworkEngine(network) { MaxThreads = 1 };
        var several = new ManagedNetworkEngine(network) { MaxThreads = threads };
        var serial = new float[rows * network.Spec.OutputSize];
        var parallel = new float[serial.Length];

        one.Score(x, rows, serial);
        several.Score(x, rows, parallel);

        Assert.That(several.RowsPerCall, Is.EqualTo(64 * threads), "a call of one block per thread spreads");
        Assert.That(Bits(parallel), Is.EqualTo(Bits(serial)));
    }

    [Test]
    public void ACallWithLittleWork_OrOneThread_StaysOnOneBlockPerCall()
    {
        NeuralNetwork small = ScoringTestData.RandomNetwork(PruningTask.Regression, 4, new[] { 3 }, 1, Activation.Relu, seed: 2);
        NeuralNetwork large = Network("dense conv");

        Assert.That(new ManagedNetworkEngine(small) { MaxThreads = 4 }.RowsPerCall, Is.EqualTo(64), "4-3-1 does far less than a hand-off per block");
        Assert.That(new ManagedNetworkEngine(large) { MaxThreads = 1 }.RowsPerCall, Is.EqualTo(64));
        Assert.That(new ManagedNetworkEngine(large) { MaxThreads = 2 }.RowsPerCall, Is.EqualTo(128));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ManagedNetworkEngine(large) { MaxThreads = 0 });
    }

    [Test]
    public void TransformThroughTheEngineStep_ScoresTheRowsOfEveryBlockInOrder()
    {
        // The cursor reads a block per thread of the machine; on any machine the rows must come back in order with their own scores.
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = Network("pruned conv");
        float[][] rows = ConvNetworks.Rows(network, 64 * 4 + 9, seed: 8);
        IDataView data = Labeled(ml, network, rows);
        using var scorer = new NeuralNetworkTransformer(network, "Features", data, "Label", null);
        Assert.That(EngineScoringTests.EngineSteps(scorer.Chain).Count(), Is.EqualTo(1));

        float[][] scores = scorer.Transform(data).GetColumn<float[]>("Score").ToArray();

        float[][] plain = PlainLoad(ml, Saved(ml, scorer, data.Schema)).Transform(data).GetColumn<float[]>("Score").ToArray();
        Assert.That(scores.Length, Is.EqualTo(rows.Length));
        for (int r = 0; r < rows.Length; r++)
            Assert.That(scores[r], Is.EqualTo(plain[r]).Within(1e-5f), $"row {r}");
    }
}
