using System.IO;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Soak;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// A saved convolutional network through LoadPruned: a weight-pruned one is read back from its ONNX graph and scored by
/// the engine, bit-identically in a fresh process; a large dense one keeps its ONNX step, which is faster for it.
/// </summary>
[TestFixture]
public class LoadPrunedConvolutionTests : TempFolderFixture
{
    /// <summary>A 1x8x8 network, or a 1x28x28 one whose 3.8 MFLOPs per row are above the engine's small-network rule.</summary>
    private static NeuralNetwork Network(double sparsity, bool large = false)
    {
        NeuralNetwork dense = large
            ? ConvNetworks.LargeDense()
            : ConvNetworks.Random(4, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "4x3p2", new[] { 6 }, 4);
        return sparsity == 0 ? dense : ConvNetworks.Pruned(dense, sparsity, seed: 2);
    }

    private static byte[] Zip(MLContext ml, NeuralNetwork network, out IDataView data)
    {
        data = Labeled(ml, network, ConvNetworks.Rows(network, 20, 5));
        using var scorer = new NeuralNetworkTransformer(network, Features, data, "Label", null);
        return Saved(ml, scorer, data.Schema);
    }

    private static float[][] Scores(ITransformer model, IDataView data) => model.Transform(data).GetColumn<float[]>("Score").ToArray();

    [Test]
    public void ALargeDenseConvolutionalModel_KeepsItsOnnxStep_AndScoresAsThePlainLoad()
    {
        var ml = new MLContext(seed: 1);
        byte[] zip = Zip(ml, Network(0, large: true), out IDataView data);

        ITransformer pruned = LoadPruned(ml, zip);

        Assert.That(Flatten(pruned).OfType<OnnxTransformer>().Count(), Is.EqualTo(1), "the ONNX step stays");
        Assert.That(Flatten(pruned).OfType<EngineScoringTransformer>(), Is.Empty);
        Assert.That(Scores(pruned, data), Is.EqualTo(Scores(PlainLoad(ml, zip), data)));
    }

    [Test]
    public void AWeightPrunedConvolutionalModel_ScoresThroughTheEngine_WithTheSavedWeights()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = Network(0.9);
        byte[] zip = Zip(ml, network, out IDataView data);

        ITransformer pruned = LoadPruned(ml, zip);

        EngineScoringTransformer step = Flatten(pruned).OfType<EngineScoringTransformer>().Single();
        Assert.That(Flatten(pruned).OfType<OnnxTransformer>(), Is.Empty);
        for (int l = 0; l < network.Layers.Count; l++)
            Assert.That(step.Network.Layers[l].Weights, Is.EqualTo(network.Layers[l].Weights), $"layer {l}");
        float[][] engine = Scores(pruned, data), plain = Scores(PlainLoad(ml, zip), data);
        for (int r = 0; r < engine.Length; r++)
            Assert.That(engine[r], Is.EqualTo(plain[r]).Within(1e-5f), $"row {r}");
    }

    [Test]
    public void AFreshProcess_ScoresAWeightPrunedConvolutionalModelBitIdenticallyToTheEngineInMemory()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = Network(0.9);
        float[][] rows = ConvNetworks.Rows(network, 30, 7);
        IDataView data = Labeled(ml, network, rows);
        string zip = Path.Combine(Folder, "conv.zip");
        HostOutput inMemory;
        using (var scorer = new NeuralNetworkTransformer(network, Features, data, "Label", null))
        {
            Assert.That(EngineScoringTests.EngineSteps(scorer.Chain).Count(), Is.EqualTo(1), "the engine scores it in memory");
            inMemory = HostOutput.From(scorer.Transform(FeaturesOnly(ml, rows)), Features);
            ml.Model.Save(scorer, data.Schema, zip);
        }

        HostOutput fresh = FreshProcess.Score(zip, new HostInput { FeatureColumn = Features, Rows = rows }, Folder, loadPruned: true);

        Assert.That(EngineScoringTests.HostOutputBits(fresh), Is.EqualTo(EngineScoringTests.HostOutputBits(inMemory)));
    }

    private static System.Collections.Generic.IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is TransformerChain<ITransformer> chain ? chain.SelectMany(Flatten) : new[] { model };
}
