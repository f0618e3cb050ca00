using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.OnnxGraphLookup;
using DataType = Microsoft.ML.AdaptivePruning.Onnx.Proto.TensorProto.Types.DataType;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Every rule of <see cref="OnnxNetworkReader"/>, one edit of a graph <see cref="OnnxModelWriter"/> wrote at a time:
/// an edit the reader cannot rebuild is refused with that rule's message, naming the node or tensor; the Gemm forms it
/// does accept give back the same weights.
/// </summary>
/// <remarks>
/// Written from the mutation run of <c>Scoring/Onnx/</c>: the reader's refusals were not reached by any test, so a
/// mutant that dropped a check or swapped its condition survived.
/// </remarks>
[TestFixture]
public class OnnxNetworkReaderRuleTests
{
    private const string Gemm0 = "AdaptivePruning.Gemm0", Gemm1 = "AdaptivePruning.Gemm1", Relu0 = "AdaptivePruning.Relu0";

    /// <summary>A 3-4-2-1 Relu regression network: two hidden layers, so there are activations between Gemms.</summary>
    private static NeuralNetwork Regression() => ScoringTestData.RandomNetwork(PruningTask.Regression, 3, new[] { 4, 2 }, 1, Activation.Relu, seed: 5);

    private static ModelProto Written(NeuralNetwork network, Dictionary<string, string>? metadata = null) =>
        OnnxModelReader.Parse(OnnxModelWriter.Write(network, "Features", metadata ?? Metadata(network), OnnxLayout.Batched));

    private static Dictionary<string, string> Metadata(NeuralNetwork network) => new()
    {
        [ScoringNames.SpecMetadataKey] = network.Spec.ToString(),
        [ScoringNames.TaskMetadataKey] = network.Spec.Task.ToString(),
    };

    private static void ReplaceFloats(TensorProto tensor, float[] values, params long[] dims)
    {
        tensor.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        tensor.Dims.Clear();
        tensor.Dims.AddRange(dims);
    }

    private static ValueInfoProto Renamed(ValueInfoProto value, string name)
    {
        ValueInfoProto copy = value.Clone();
        copy.Name = name;
        return copy;
    }

    private static AttributeProto Float(string name, float value) => new() { Name = name, F = value, Type = AttributeProto.Types.AttributeType.Float };

    /// <summary>One edit of a graph and the message the reader must give for it.</summary>
    private sealed record Rule(string Name, Action<ModelProto> Edit, string Message);

    /// <summary>The edits of the written regression graph that the reader refuses.</summary>
    private static IEnumerable<Rule> Refusals()
    {
        Rule Case(string name, Action<ModelProto> edit, string message) => new(name, edit, message);

        yield return Case("NoGraph", m => m.Graph = null, "The ONNX model has no graph.");
        yield return Case("SecondInput", m => m.Graph.Input.Add(Renamed(m.Graph.Input[0], "Extra")),
            "The ONNX graph has 2 inputs besides its initializers; a network reads one.");
        yield return Case("NoInput", m => m.Graph.Input.Clear(), "The ONNX graph has 0 inputs besides its initializers; a network reads one.");
        yield return Case("SecondOutput", m => m.Graph.Output.Add(Renamed(m.Graph.Output[0], "Extra")),
            "The ONNX graph has 2 outputs; a network writes one.");
        yield return Case("TensorReadTwice", m => m.Graph.Node.Add(new NodeProto { Name = "Spy", OpType = "Relu", Input = { "Features" }, Output = { "Spied" } }),
            "The ONNX tensor 'Features' is read by 2 nodes; a network is a chain.");
        yield return Case("ChainBroken", m => Node(m, Relu0).Output[0] = "Nowhere",
            "The ONNX tensor 'Nowhere' is read by 0 nodes; a network is a chain.");
        yield return Case("NodeWithTwoOutputs", m => Node(m, Relu0).Output.Add("Extra"),
            $"The ONNX node '{Relu0}' has 2 outputs.");
        yield return Case("GemmAfterGemm", m =>
        {
            m.Graph.Node.Remove(Node(m, Relu0));
            Node(m, Gemm1).Input[0] = "AdaptivePruning.Z0";
        }, $"The ONNX Gemm '{Gemm1}' follows another without an activation between them.");
        yield return Case("SecondActivationDiffers", m => Node(m, "AdaptivePruning.Relu1").OpType = "Tanh",
            "The ONNX node 'AdaptivePruning.Relu1' applies Tanh, but earlier layers use Relu; a network has one activation.");
        yield return Case("Alpha", m => Node(m, Gemm0).Attribute.Add(Float("alpha", 2f)),
            $"The ONNX Gemm '{Gemm0}' sets alpha, which a dense layer does not have.");
        yield return Case("Beta", m => Node(m, Gemm0).Attribute.Add(Float("beta", 0.5f)),
            $"The ONNX Gemm '{Gemm0}' sets beta, which a dense layer does not have.");
        yield return Case("TransA", m => Node(m, Gemm0).Attribute.Add(OnnxGraphBuilder.IntAttribute("transA", 1)),
            $"The ONNX Gemm '{Gemm0}' sets transA, which a dense layer does not have.");
        yield return Case("UnknownAttribute", m => Node(m, Gemm0).Attribute.Add(OnnxGraphBuilder.IntAttribute("broadcast", 1)),
            $"The ONNX Gemm '{Gemm0}' sets broadcast, which a dense layer does not have.");
        yield return Case("GemmWithoutBias", m => Node(m, Gemm0).Input.RemoveAt(2),
            $"The ONNX Gemm '{Gemm0}' has 2 inputs; a dense layer has input, weights and bias.");
        yield return Case("WeightsNotAnInitializer", m => Node(m, Gemm0).Input[1] = "Computed",
            $"The ONNX node '{Gemm0}' reads 'Computed', which is not an initializer.");
        yield return Case("WeightsOfRankThree", m => Initializer(m, "AdaptivePruning.W0").Dims.Add(1),
            $"The weights of ONNX Gemm '{Gemm0}' have 3 dimensions; 2 were expected.");
        yield return Case("BiasOfRankTwo", m => Initializer(m, "AdaptivePruning.B0").Dims.Insert(0, 1),
            $"The bias of ONNX Gemm '{Gemm0}' has shape [1, 4]; [4] was expected.");
        yield return Case("BiasTooShort", m => ReplaceFloats(Initializer(m, "AdaptivePruning.B0"), new float[3], 3),
            $"The bias of ONNX Gemm '{Gemm0}' has shape [3]; [4] was expected.");
        yield return Case("LayerReadsMoreThanTheOneBeforeWrites", m => ReplaceFloats(Initializer(m, "AdaptivePruning.W1"), new float[10], 2, 5),
            $"The ONNX Gemm '{Gemm1}' reads 5 values, but the layer before writes 4.");
        yield return Case("Int64Bias", m =>
        {
            TensorProto bias = Initializer(m, "AdaptivePruning.B0");
            bias.DataType = (int)DataType.Int64;
            bias.RawData = ByteString.CopyFrom(new byte[4 * sizeof(long)]);
        }, "The ONNX initializer 'AdaptivePruning.B0' is not a float tensor.");
        yield return Case("NodeAfterSoftmax", m =>
        {
            NodeProto last = Node(m, "AdaptivePruning.Gemm2");
            last.Output[0] = "Logits";
            m.Graph.Node.Add(new NodeProto { Name = "Soft", OpType = "Softmax", Input = { "Logits" }, Output = { "Probabilities" } });
            m.Graph.Node.Add(new NodeProto { Name = "After", OpType = "Relu", Input = { "Probabilities" }, Output = { m.Graph.Output[0].Name } });
        }, "The ONNX node 'After' (Relu) follows the Softmax; only a reshape may.");
        yield return Case("NoGemm", m =>
        {
            m.Graph.Node.Clear();
            m.Graph.Node.Add(new NodeProto { Name = "Only", OpType = "Relu", Input = { "Features" }, Output = { m.Graph.Output[0].Name } });
        }, "The ONNX graph holds no Gemm layer.");
    }

    // NUnit passes each case by name: ModelProto is internal, which a public test method cannot take.
    private static IEnumerable<string> RefusalNames() => Refusals().Select(r => r.Name);

    [TestCaseSource(nameof(RefusalNames))]
    public void AGraphThatIsNotOneOfOurNetworks_IsRefusedWithTheRulesMessage(string rule)
    {
        (_, Action<ModelProto> edit, string message) = Refusals().Single(r => r.Name == rule);
        ModelProto model = Written(Regression());
        edit(model);

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model, PruningTask.Regression))!;

        Assert.That(error.Message, Is.EqualTo(message));
    }

    [TestCase("Conv")]
    [TestCase("MaxPool")]
    public void ASpatialNodeOutsideAConvolutionBlock_IsRefusedNamingIt(string opType)
    {
        ModelProto model = Written(Regression());
        Node(model, Relu0).OpType = opType;

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model, PruningTask.Regression))!;

        Assert.That(error.Message, Is.EqualTo($"The ONNX node '{Relu0}' is a {opType} outside a convolution block (Reshape to [-1, C, H, W], Conv, activation, optional MaxPool, Flatten)."));
    }

    [Test]
    public void TheSoftmaxMustMatchTheTask_BothWays()
    {
        ModelProto regression = Written(Regression());
        ModelProto multiclass = Written(ScoringTestData.RandomNetwork(PruningTask.MulticlassClassification, 3, new[] { 4 }, 3, Activation.Relu, seed: 6));

        var missing = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(regression, PruningTask.MulticlassClassification))!;
        var extra = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(multiclass, PruningTask.BinaryClassification))!;

        Assert.That(missing.Message, Is.EqualTo("A MulticlassClassification network ends with a Softmax, but the ONNX graph does not."));
        Assert.That(extra.Message, Is.EqualTo("A BinaryClassification network does not end with a Softmax, but the ONNX graph does."));
    }

    [Test]
    public void GemmAttributesAtTheirIdentityValues_AndAnInitializerListedAsInput_AreAccepted()
    {
        NeuralNetwork network = Regression();
        ModelProto model = Written(network);
        Node(model, Gemm0).Attribute.Add(new[] { Float("alpha", 1f), Float("beta", 1f), OnnxGraphBuilder.IntAttribute("transA", 0) });
        // Older exporters list every initializer as a graph input too; those are not the network's input.
        model.Graph.Input.Add(new ValueInfoProto { Name = "AdaptivePruning.W0" });

        NeuralNetwork read = OnnxNetworkReader.Read(model, PruningTask.Regression);

        Assert.That(read.Spec.ToString(), Is.EqualTo(network.Spec.ToString()));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Assert.That(read.Layers[l].Weights, Is.EqualTo(network.Layers[l].Weights), $"layer {l} weights");
            Assert.That(read.Layers[l].Bias, Is.EqualTo(network.Layers[l].Bias), $"layer {l} bias");
        }
    }

    [Test]
    public void TransposedGemm_OfANonSquareLayer_IsTransposedRowByRow()
    {
        // 3 inputs, 4 units: a transpose that swapped rows and columns would misplace all but two weights.
        NeuralNetwork network = Regression();
        ModelProto model = Written(network);
        Node(model, Gemm0).Attribute.Clear();
        Node(model, Gemm0).Attribute.Add(OnnxGraphBuilder.IntAttribute("transB", 0));
        float[] w = network.Layers[0].Weights;
        var transposed = new float[w.Length];
        for (int u = 0; u < 4; u++) for (int i = 0; i < 3; i++) transposed[i * 4 + u] = w[u * 3 + i];
        ReplaceFloats(Initializer(model, "AdaptivePruning.W0"), transposed, 3, 4);

        NeuralNetwork read = OnnxNetworkReader.Read(model, PruningTask.Regression);

        Assert.That(read.Layers[0].Weights, Is.EqualTo(w));
        Assert.That(read.Layers[1].Weights, Is.EqualTo(network.Layers[1].Weights), "the next layer keeps transB = 1");
    }

    [Test]
    public void ANetworkWithoutHiddenLayers_ReadsBackWithTheDefaultActivation()
    {
        NeuralNetwork network = ScoringTestData.RandomNetwork(PruningTask.BinaryClassification, 3, Array.Empty<int>(), 1, Activation.Relu, seed: 8);

        NeuralNetwork read = OnnxNetworkReader.Read(Written(network));

        Assert.That(read.Spec.ToString(), Is.EqualTo(network.Spec.ToString()));
        Assert.That(read.Spec.Activation, Is.EqualTo(Activation.Relu));
        Assert.That(read.Layers.Single().Weights, Is.EqualTo(network.Layers[0].Weights));
    }

    [TestCase("Banana")]
    [TestCase("99")]
    public void TaskMetadataThatIsNotATask_IsRefusedQuotingIt(string task)
    {
        NeuralNetwork network = Regression();
        Dictionary<string, string> metadata = Metadata(network);
        metadata[ScoringNames.TaskMetadataKey] = task;

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(Written(network, metadata)))!;

        Assert.That(error.Message, Is.EqualTo($"The ONNX model's '{ScoringNames.TaskMetadataKey}' metadata is '{task}', which is not a task."));
    }

    [TestCase(true, false)]
    [TestCase(false, true)]
    public void MetadataWithOnlyOneOfTaskAndSpec_IsNotOurs(bool keepTask, bool keepSpec)
    {
        NeuralNetwork network = Regression();
        Dictionary<string, string> metadata = Metadata(network);
        if (!keepTask) metadata.Remove(ScoringNames.TaskMetadataKey);
        if (!keepSpec) metadata.Remove(ScoringNames.SpecMetadataKey);

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(Written(network, metadata)))!;

        Assert.That(error.Message, Does.StartWith($"The ONNX model has no '{ScoringNames.TaskMetadataKey}' and '{ScoringNames.SpecMetadataKey}' metadata"));
    }

    [Test]
    public void ARepeatedMetadataKey_TakesItsLastValue_AsProtobufMapsDo()
    {
        NeuralNetwork network = Regression();
        ModelProto model = Written(network);
        model.MetadataProps.Insert(0, new StringStringEntryProto { Key = ScoringNames.TaskMetadataKey, Value = "Banana" });

        Assert.That(OnnxNetworkReader.Read(model).Spec.Task, Is.EqualTo(PruningTask.Regression));
    }

    [Test]
    public void OnlyTheSpecKey_MarksAModelAsOurs()
    {
        NeuralNetwork network = Regression();
        var taskOnly = new Dictionary<string, string> { [ScoringNames.TaskMetadataKey] = "Regression" };
        var specOnly = new Dictionary<string, string> { [ScoringNames.SpecMetadataKey] = network.Spec.ToString() };

        Assert.That(OnnxNetworkReader.IsAdaptivePruningModel(Written(network, taskOnly)), Is.False);
        Assert.That(OnnxNetworkReader.IsAdaptivePruningModel(Written(network, specOnly)), Is.True);
    }

    [Test]
    public void NullModels_AreArgumentNullExceptions()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => OnnxNetworkReader.Read(null!))!.ParamName, Is.EqualTo("model"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => OnnxNetworkReader.Read(null!, PruningTask.Regression))!.ParamName, Is.EqualTo("model"));
    }
}
