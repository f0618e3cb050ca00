using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>OnnxNetworkReader reads back exactly what OnnxModelWriter wrote, in either layout, and refuses graphs that are not a network.</summary>
[TestFixture]
public class OnnxNetworkReaderTests
{
    private static readonly Dictionary<string, string> NoMetadata = new();

    private static Dictionary<string, string> Metadata(NeuralNetwork network) => new()
    {
        [ScoringNames.SpecMetadataKey] = network.Spec.ToString(),
        [ScoringNames.TaskMetadataKey] = network.Spec.Task.ToString(),
    };

    private static ModelProto Written(NeuralNetwork network, OnnxLayout layout, Dictionary<string, string>? metadata = null)
        => OnnxModelReader.Parse(OnnxModelWriter.Write(network, "Features", metadata ?? Metadata(network), layout));

    [TestCase(PruningTask.BinaryClassification, true, Activation.Tanh)]
    [TestCase(PruningTask.MulticlassClassification, true, Activation.Relu)]
    [TestCase(PruningTask.MulticlassClassification, false, Activation.Tanh)]
    [TestCase(PruningTask.Regression, false, Activation.Relu)]
    public void ReadsBackTheSpecTheActivationAndEveryWeightBit(PruningTask task, bool singleRow, Activation activation)
    {
        OnnxLayout layout = singleRow ? OnnxLayout.SingleRow : OnnxLayout.Batched;
        NeuralNetwork network = SparseNetworks.Create(5, task, 0.7, activation: activation);

        NeuralNetwork read = OnnxNetworkReader.Read(Written(network, layout));

        Assert.That(read.Spec.ToString(), Is.EqualTo(network.Spec.ToString()));
        Assert.That(read.Spec.Task, Is.EqualTo(task));
        Assert.That(read.Spec.Activation, Is.EqualTo(activation));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Assert.That(read.Layers[l].Weights.Select(BitConverter.SingleToUInt32Bits), Is.EqualTo(network.Layers[l].Weights.Select(BitConverter.SingleToUInt32Bits)), $"layer {l} weights");
            Assert.That(read.Layers[l].Bias, Is.EqualTo(network.Layers[l].Bias), $"layer {l} bias");
        }
    }

    [Test]
    public void GemmWithoutTransB_IsTransposedOnRead_AndTypedFloatDataIsRead()
    {
        NeuralNetwork network = ScoringTestData.RandomNetwork(PruningTask.Regression, 3, new[] { 2 }, 1, Activation.Relu, seed: 9);
        ModelProto model = Written(network, OnnxLayout.Batched);
        NodeProto gemm = model.Graph.Node.First(n => n.OpType == "Gemm");
        gemm.Attribute.Clear();
        TensorProto weights = model.Graph.Initializer.Single(t => t.Name == gemm.Input[1]);
        float[] transposed = new float[6];
        for (int u = 0; u < 2; u++) for (int i = 0; i < 3; i++) transposed[i * 2 + u] = network.Layers[0].Weights[u * 3 + i];
        weights.ClearRawData();
        weights.FloatData.AddRange(transposed);
        weights.Dims.Clear();
        weights.Dims.AddRange(new long[] { 3, 2 });

        NeuralNetwork read = OnnxNetworkReader.Read(model);

        Assert.That(read.Layers[0].Weights, Is.EqualTo(network.Layers[0].Weights));
    }

    [Test]
    public void AModelWithoutOurMetadata_IsNotOurs_AndCannotBeReadWithoutATask()
    {
        NeuralNetwork network = SparseNetworks.Create(6, PruningTask.Regression, 0.5);
        ModelProto foreign = Written(network, OnnxLayout.Batched, NoMetadata);

        Assert.That(OnnxNetworkReader.IsAdaptivePruningModel(foreign), Is.False);
        Assert.That(OnnxNetworkReader.IsAdaptivePruningModel(Written(network, OnnxLayout.Batched)), Is.True);
        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(foreign))!;
        Assert.That(error.Message, Does.Contain(ScoringNames.SpecMetadataKey));
        Assert.That(OnnxNetworkReader.Read(foreign, PruningTask.Regression).Spec.ToString(), Is.EqualTo(network.Spec.ToString()), "the graph alone, with the task given");
    }

    [Test]
    public void MetadataThatDisagreesWithTheGraph_IsRefused()
    {
        NeuralNetwork network = SparseNetworks.Create(6, PruningTask.Regression, 0.5);
        var metadata = Metadata(network);
        metadata[ScoringNames.SpecMetadataKey] = "37-99-1";

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(Written(network, OnnxLayout.Batched, metadata)))!;
        Assert.That(error.Message, Does.Contain("37-99-1").And.Contain(network.Spec.ToString()));
    }

    [Test]
    public void UnknownOperator_AndSoftmaxOnTheWrongTask_AreRefused_NamingTheNode()
    {
        NeuralNetwork network = SparseNetworks.Create(6, PruningTask.Regression, 0.5);
        ModelProto model = Written(network, OnnxLayout.Batched);
        NodeProto relu = model.Graph.Node.First(n => n.OpType == "Relu");
        relu.OpType = "Selu";
        var unknown = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model))!;
        Assert.That(unknown.Message, Does.Contain(relu.Name).And.Contain("Selu"));

        ModelProto multiclass = Written(SparseNetworks.Create(6, PruningTask.MulticlassClassification, 0.5), OnnxLayout.Batched);
        var wrongTask = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(multiclass, PruningTask.Regression))!;
        Assert.That(wrongTask.Message, Does.Contain("Softmax"));
    }
}
