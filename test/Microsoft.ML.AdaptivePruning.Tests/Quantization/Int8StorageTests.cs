using System;
using System.IO;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Soak;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Quantization;

/// <summary>
/// Int8 layers in the zip: dense or delta-coded sparse values widened and scaled by Cast and Mul, scored by the plain load (ONNX
/// Runtime) within its usual tolerance of the engine, read back by LoadPruned bit for bit (a fresh process too), and smaller.
/// </summary>
[TestFixture]
public class Int8StorageTests : TempFolderFixture
{
    private const int Width = 40;
    private static readonly float[][] Rows = RandomRows(60, Width, seed: 71);

    /// <summary>Hidden layers 95% pruned (stored sparse) and an output layer with every weight (stored dense), quantized.</summary>
    private static NeuralNetwork QuantizedNetwork(PruningTask task, int seed = 7)
    {
        NeuralNetwork network = SparseNetworks.Create(seed, task, 0.95, removeUnitsAndInputs: false, input: Width, hidden: new[] { 50, 30 });
        NetworkLayer output = network.Layers[^1];
        var random = new Random(seed);
        output.SetMask(null);
        for (int k = 0; k < output.Weights.Length; k++) if (output.Weights[k] == 0f) output.Weights[k] = (float)(random.NextDouble() - 0.5);
        return Int8Quantizer.Quantize(network, "Quantization");
    }

    [Test]
    public void SparseLayout_CodesGapsOver255WithFillers_AndExpandsBackExactly()
    {
        var weights = new float[3 * 400];
        int[] kept = { 0, 300, 301, 1199 };
        foreach (int k in kept) weights[k] = k % 2 == 0 ? 0.5f : -1f;
        var network = new NeuralNetwork(new NetworkSpec(PruningTask.MulticlassClassification, 400, Array.Empty<int>(), 3), new NetworkLayer[] { new DenseLayer(400, 3, weights, new float[3]) });
        var layer = (DenseLayer)Int8Quantizer.Quantize(network, "Quantization").Layers[0];

        Int8WeightStorage storage = Int8WeightStorage.Of(layer, "layer 0");

        Assert.That(storage.Layout, Is.EqualTo(Int8Layout.Sparse));
        // 0 (gap 0); 300 = 255 + 45 (one filler); 301 (gap 1); 1199 = 301 + 255 + 255 + 255 + 133 (three fillers).
        Assert.That(storage.Gaps, Is.EqualTo(new byte[] { 0, 255, 45, 1, 255, 255, 255, 133 }));
        Assert.That(storage.Values.Count(v => v == 0), Is.EqualTo(4), "the fillers store zeros");
        Assert.That(storage.IndexBytes, Is.EqualTo(8));
        Assert.That(storage.Dequantize(), Is.EqualTo(layer.Weights));
    }

    [Test]
    public void EachLayerTakesTheSmallerLayout()
    {
        NeuralNetwork network = QuantizedNetwork(PruningTask.MulticlassClassification);
        Int8Layout[] layouts = network.Layers.Select((l, i) => Int8WeightStorage.Of((DenseLayer)l, $"layer {i}").Layout).ToArray();
        Assert.That(layouts, Is.EqualTo(new[] { Int8Layout.Sparse, Int8Layout.Sparse, Int8Layout.Dense }));
    }

    [Test]
    public void TheGraphScalesWithCastAndMul_WhichOnnxRuntimeFolds_NotDequantizeLinear()
    {
        NeuralNetwork network = QuantizedNetwork(PruningTask.MulticlassClassification);
        Onnx.Proto.ModelProto model = OnnxModelReader.Parse(OnnxModelWriter.Write(network, "Features", new System.Collections.Generic.Dictionary<string, string>(), OnnxLayout.Batched));
        var initializers = model.Graph.Initializer.ToDictionary(t => t.Name);

        Assert.That(model.Graph.Node.Select(n => n.OpType), Has.None.EqualTo("DequantizeLinear"));
        Onnx.Proto.NodeProto[] scaling = model.Graph.Node.Where(n => n.OpType == "Mul").ToArray();
        Assert.That(scaling, Has.Length.EqualTo(network.Layers.Count), "one q · scale per layer");
        for (int l = 0; l < scaling.Length; l++)
        {
            Assert.That(initializers[scaling[l].Input[1]].Dims, Is.EqualTo(new long[] { network.Layers[l].UnitCount, 1 }), $"layer {l}: one scale per unit, broadcast along its row");
            Onnx.Proto.NodeProto widen = model.Graph.Node.Single(n => n.Output.Contains(scaling[l].Input[0]));
            Assert.That(widen.OpType, Is.EqualTo("Cast"));
        }
    }

    [Test]
    public void DamagedSparseParts_AreAFormatExceptionNamingTheTensor()
    {
        var beyond = Assert.Throws<FormatException>(() => Int8WeightStorage.FromParts(2, 3, new sbyte[] { 1, 2 }, new byte[] { 2, 4 }, new[] { 1f, 1f }, "W0"))!;
        Assert.That(beyond.Message, Does.Contain("'W0'").And.Contain("beyond"));
        var repeated = Assert.Throws<FormatException>(() => Int8WeightStorage.FromParts(2, 3, new sbyte[] { 1, 2 }, new byte[] { 1, 0 }, new[] { 1f, 1f }, "W0"))!;
        Assert.That(repeated.Message, Does.Contain("repeat"));
        Assert.Throws<FormatException>(() => Int8WeightStorage.FromParts(2, 3, new sbyte[6], null, new[] { 1f }, "W0"));
        Assert.Throws<FormatException>(() => Int8WeightStorage.FromParts(2, 3, new sbyte[6], null, new[] { 1f, float.NaN }, "W0"));
    }

    [TestCase(PruningTask.BinaryClassification)]
    [TestCase(PruningTask.MulticlassClassification)]
    [TestCase(PruningTask.Regression)]
    public void SavedInt8Model_ScoresUnderThePlainLoad_AndLoadPrunedReadsTheInt8LayersBackBitForBit_AlsoInAFreshProcess(PruningTask task)
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = QuantizedNetwork(task);
        string zip = Path.Combine(Folder, "model.zip");
        HostOutput inMemory;
        using (var model = new NeuralNetworkTransformer(network, Features, Labeled(ml, network, Rows), "Label", null))
        {
            inMemory = HostOutput.From(model.Transform(FeaturesOnly(ml, Rows)), Features);
            ml.Model.Save(model, Labeled(ml, network, Rows).Schema, zip);
        }

        using (var plain = (IDisposable)ml.Model.Load(zip, out _))
            ScoringAssert.SameScores(HostOutput.From(((ITransformer)plain).Transform(FeaturesOnly(ml, Rows)), Features), inMemory, "ONNX Runtime on the int8 graph against the engine");
        using (var pruned = (IDisposable)ml.Model.LoadPruned(zip, out _))
        {
            NeuralNetwork read = EngineScoringTests.EngineSteps((ITransformer)pruned).Single().Network;
            for (int l = 0; l < network.Layers.Count; l++)
            {
                Assert.That(read.Layers[l].Quantization, Is.Not.Null, $"layer {l} is read back as int8");
                Assert.That(read.Layers[l].Quantization!.Scales, Is.EqualTo(network.Layers[l].Quantization!.Scales), $"layer {l} scales");
                Assert.That(read.Layers[l].Weights, Is.EqualTo(network.Layers[l].Weights), $"layer {l} weights");
            }
        }
        HostOutput plainHere;
        using (var plain = (IDisposable)ml.Model.Load(zip, out _))
            plainHere = HostOutput.From(((ITransformer)plain).Transform(FeaturesOnly(ml, Rows)), Features);
        HostOutput fresh = FreshProcess.Score(zip, new HostInput { FeatureColumn = Features, Rows = Rows }, Folder, loadPruned: true);
        Assert.That(EngineScoringTests.HostOutputBits(fresh), Is.EqualTo(EngineScoringTests.HostOutputBits(inMemory)));
        HostOutput freshPlain = FreshProcess.Score(zip, new HostInput { FeatureColumn = Features, Rows = Rows }, Folder, loadPruned: false);
        Assert.That(EngineScoringTests.HostOutputBits(freshPlain), Is.EqualTo(EngineScoringTests.HostOutputBits(plainHere)), "the plain load scores the int8 zip alike in a fresh process");
    }

    [Test]
    public void TheInt8ZipOfA98PercentSparseLeNet_IsMoreThanTwiceSmallerThanTheFloatZip()
    {
        var ml = new MLContext(seed: 1);
        // LeNet-300-100 with a random 2% of each layer's weights kept, as the float baseline (36.8 KB for 5,300 weights).
        NeuralNetwork asFloat = SparseNetworks.Create(11, PruningTask.MulticlassClassification, 0.98, removeUnitsAndInputs: false, input: 784, hidden: new[] { 300, 100 });
        NeuralNetwork quantized = Int8Quantizer.Quantize(asFloat, "Quantization");
        float[][] rows = RandomRows(20, 784, seed: 3);
        IDataView data = Labeled(ml, quantized, rows);
        long Size(NeuralNetwork n)
        {
            using var model = new NeuralNetworkTransformer(n, Features, data, "Label", null);
            return Saved(ml, model, data.Schema).Length;
        }

        long floatBytes = Size(asFloat), int8Bytes = Size(quantized);

        TestContext.Progress.WriteLine($"98% sparse 784-300-100-10, {quantized.NonzeroWeightCount} weights: float zip {floatBytes} bytes, int8 zip {int8Bytes} bytes ({(double)floatBytes / int8Bytes:0.00}x)");
        // Random masks and uniform random values are the incompressible case: about 7 bits per gap and 8 per value, so
        // 2 bytes per kept weight plus the zip's fixed part (2.2x measured). Trained networks' values compress further.
        Assert.That(floatBytes, Is.GreaterThan(2 * int8Bytes), $"int8 {int8Bytes} bytes against float {floatBytes}");
    }
}
