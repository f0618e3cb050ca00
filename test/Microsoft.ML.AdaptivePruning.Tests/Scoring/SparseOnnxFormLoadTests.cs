using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using Microsoft.ML.AdaptivePruning.Tests.Soak;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// A saved pruned network whose layers the writer puts in sparse ONNX forms: the plain <c>Model.Load</c>, in a fresh
/// process, scores it as the engine does in memory, and <c>LoadPruned</c> reads the forms back to the same network.
/// </summary>
[TestFixture]
public class SparseOnnxFormLoadTests : TempFolderFixture
{
    private const int Width = 784;
    private static readonly float[][] Rows = RandomRows(20, Width, seed: 71);

    /// <summary>
    /// The shape and sparsity (784-300-100-10 at 98%), with some units and inputs removed outright, and, as an
    /// image's empty borders leave them, the first layer reading only the middle quarter of the features: a layer the
    /// rule writes as a Gather of its used inputs (a random mask alone reads every input and stays a dense Gemm).
    /// </summary>
    private static NeuralNetwork Network(PruningTask task)
    {
        NeuralNetwork network = SparseNetworks.Create(73, task, 0.98, input: Width, hidden: new[] { 300, 100 });
        NetworkLayer first = network.Layers[0];
        bool[] mask = first.Weights.Select(w => w != 0).ToArray();
        for (int u = 0; u < first.UnitCount; u++)
            for (int i = 0; i < Width; i++)
                if (i < Width * 3 / 8 || i >= Width * 5 / 8) mask[u * Width + i] = false;
        first.SetMask(mask);
        return network;
    }

    private static ModelProto SavedGraph(string zip)
    {
        using ZipArchive archive = ZipFile.OpenRead(zip);
        ZipArchiveEntry entry = archive.Entries.Single(SavedOnnxEntry.IsOnnxModel);
        return OnnxModelReader.Parse(SavedOnnxEntry.ModelBytes(entry, zip));
    }

    [Test]
    public void ThePlainLoadInAFreshProcess_ScoresTheSparseFormsAsTheEngine_AndLoadPrunedReadsThemBackBitForBit([Values] PruningTask task)
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = Network(task);
        IDataView labeled = Labeled(ml, network, Rows);
        using var model = new NeuralNetworkTransformer(network, Features, labeled, "Label", null);
        HostOutput inMemory = HostOutput.From(model.Transform(FeaturesOnly(ml, Rows)), Features);
        string zip = Path.Combine(Folder, "model.zip");
        File.WriteAllBytes(zip, Saved(ml, model, labeled.Schema));
        ModelProto graph = SavedGraph(zip);
        Assert.That(graph.Graph.Node.Count(n => n.OpType == "Gather"), Is.GreaterThan(0), "the saved graph writes some layer in a sparse form");

        HostOutput plain = FreshProcess.Score(zip, new HostInput { FeatureColumn = Features, Rows = Rows }, Folder, loadPruned: false);
        ScoringAssert.SameScores(plain, inMemory, "the plain load of the sparse forms against the engine");

        using (var pruned = (IDisposable)ml.Model.LoadPruned(zip, out _))
        {
            NeuralNetwork read = EngineScoringTests.EngineSteps((ITransformer)pruned).Single().Network;
            for (int l = 0; l < network.Layers.Count; l++)
            {
                Assert.That(read.Layers[l].Weights.Select(BitConverter.SingleToUInt32Bits), Is.EqualTo(network.Layers[l].Weights.Select(BitConverter.SingleToUInt32Bits)), $"layer {l} weights");
                Assert.That(read.Layers[l].Bias, Is.EqualTo(network.Layers[l].Bias), $"layer {l} bias");
            }
        }
        HostOutput fresh = FreshProcess.Score(zip, new HostInput { FeatureColumn = Features, Rows = Rows }, Folder, loadPruned: true);
        Assert.That(EngineScoringTests.HostOutputBits(fresh), Is.EqualTo(EngineScoringTests.HostOutputBits(inMemory)), "LoadPruned in a fresh process");
    }

    [Test]
    public void ExportOnnx_WritesTheSameForms_AndOnnxRuntimeScoresThemAsTheEngine()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = Network(PruningTask.MulticlassClassification);
        string path = Path.Combine(Folder, "model.onnx");
        using var model = new NeuralNetworkTransformer(network, Features, Labeled(ml, network, Rows), "Label", null);
        model.ExportOnnx(path);

        ModelProto exported = OnnxModelReader.ParseFile(path);
        Assert.That(exported.Graph.Node.Count(n => n.OpType == "Gather"), Is.GreaterThan(0), "the export writes some layer in a sparse form");
        NeuralNetwork read = OnnxNetworkReader.Read(exported);
        Assert.That(read.Layers.Select(l => l.Weights), Is.EqualTo(network.Layers.Select(l => l.Weights)));

        using var session = new Microsoft.ML.OnnxRuntime.InferenceSession(path);
        var input = new Microsoft.ML.OnnxRuntime.Tensors.DenseTensor<float>(Rows.SelectMany(r => r).ToArray(), new[] { Rows.Length, Width });
        using var results = session.Run(new[] { Microsoft.ML.OnnxRuntime.NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input) });
        float[] scores = results.Single().AsEnumerable<float>().ToArray();
        float[][] byRow = Enumerable.Range(0, Rows.Length).Select(r => scores.Skip(r * 5).Take(5).ToArray()).ToArray();
        ScoringAssert.Probabilities(byRow, HostOutput.From(model.Transform(FeaturesOnly(ml, Rows)), Features).Vectors["Score"], "exported graph against the engine");
    }
}
