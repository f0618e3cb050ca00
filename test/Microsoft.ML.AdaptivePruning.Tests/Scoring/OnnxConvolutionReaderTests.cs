using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;
using static Microsoft.ML.AdaptivePruning.Tests.OnnxGraphLookup;
using static Microsoft.ML.AdaptivePruning.Tests.OnnxTensorEdits;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="ConvolutionOnnxReader"/> through <see cref="OnnxNetworkReader"/>: every convolutional network the writer
/// writes comes back bit for bit (both layouts, all tasks, pruned or not), and every edit of a convolution block that
/// the engine would compute differently is refused with a message naming the node.
/// </summary>
[TestFixture]
public class OnnxConvolutionReaderTests
{
    private const string Conv0 = "AdaptivePruning.Conv0", Pool0 = "AdaptivePruning.MaxPool0", Reshape0 = "AdaptivePruning.ToImage0";

    private static ModelProto Written(NeuralNetwork network, OnnxLayout layout = OnnxLayout.Batched) =>
        OnnxModelReader.Parse(OnnxModelWriter.Write(network, "Features", new Dictionary<string, string>
        {
            [ScoringNames.SpecMetadataKey] = network.Spec.ToString(),
            [ScoringNames.TaskMetadataKey] = network.Spec.Task.ToString(),
        }, layout));

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    /// <summary>Image, convolutions and hidden widths of the round-trip cases: pooling, stride, padding, two convolutions, no dense hidden layer.</summary>
    private static readonly object[] Shapes =
    {
        new object[] { new[] { 1, 8, 8 }, "4x3p2", new[] { 6 } },
        new object[] { new[] { 3, 9, 7 }, "5x3s2pad1", new[] { 4, 3 } },
        new object[] { new[] { 2, 12, 12 }, "6x3p2,4x2", new[] { 5 } },
        new object[] { new[] { 1, 6, 6 }, "3x2pad1p3", Array.Empty<int>() },
    };

    [Test]
    public void EveryWrittenConvolutionalNetwork_IsReadBackBitForBit(
        [ValueSource(nameof(Shapes))] object[] shape, [Values] PruningTask task, [Values] bool singleRow, [Values(0.0, 0.9)] double sparsity)
    {
        int output = task == PruningTask.MulticlassClassification ? 3 : 1;
        NeuralNetwork dense = ConvNetworks.Random(11, task, (int[])shape[0], (string)shape[1], (int[])shape[2], output, Activation.Tanh);
        NeuralNetwork network = sparsity == 0 ? dense : ConvNetworks.Pruned(dense, sparsity, seed: 3);

        NeuralNetwork read = OnnxNetworkReader.Read(Written(network, singleRow ? OnnxLayout.SingleRow : OnnxLayout.Batched));

        Assert.That(read.Spec.ToString(), Is.EqualTo(network.Spec.ToString()));
        Assert.That(read.Spec.InputShape, Is.EqualTo(network.Spec.InputShape));
        Assert.That(read.Layers.Select(l => l.GetType()), Is.EqualTo(network.Layers.Select(l => l.GetType())));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Assert.That(Bits(read.Layers[l].Weights), Is.EqualTo(Bits(network.Layers[l].Weights)), $"layer {l} weights");
            Assert.That(Bits(read.Layers[l].Bias), Is.EqualTo(Bits(network.Layers[l].Bias)), $"layer {l} bias");
        }
    }

    /// <summary>A 1x8x8 image, 4 3x3 filters pooled 2x2, a hidden layer of 6 and 4 classes (Relu).</summary>
    private static NeuralNetwork Network() =>
        ConvNetworks.Random(4, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "4x3p2", new[] { 6 }, 4);

    private static void SetInts(NodeProto node, string name, params long[] values)
    {
        if (node.Attribute.SingleOrDefault(a => a.Name == name) is AttributeProto existing) node.Attribute.Remove(existing);
        node.Attribute.Add(IntsAttribute(name, values));
    }

    private static void SetInt(NodeProto node, string name, long value)
    {
        if (node.Attribute.SingleOrDefault(a => a.Name == name) is AttributeProto existing) node.Attribute.Remove(existing);
        node.Attribute.Add(IntAttribute(name, value));
    }

    private sealed record Rule(string Name, Action<ModelProto> Edit, string Message);

    private static IEnumerable<Rule> Refusals()
    {
        string engineConv = "which the engine's convolution does not compute.";
        yield return new("Dilation", m => SetInts(Node(m, Conv0), "dilations", 2, 2), $"The ONNX Conv '{Conv0}' sets dilations to [2, 2], {engineConv}");
        yield return new("Groups", m => SetInt(Node(m, Conv0), "group", 2), $"The ONNX Conv '{Conv0}' sets group to 2, {engineConv}");
        yield return new("AsymmetricPads", m => SetInts(Node(m, Conv0), "pads", 0, 0, 1, 1), $"The ONNX Conv '{Conv0}' sets pads to [0, 0, 1, 1], {engineConv}");
        yield return new("UnequalStrides", m => SetInts(Node(m, Conv0), "strides", 1, 2), $"The ONNX Conv '{Conv0}' sets strides to [1, 2], {engineConv}");
        yield return new("KernelShapeOtherThanTheWeights", m => SetInts(Node(m, Conv0), "kernel_shape", 2, 2), $"The ONNX Conv '{Conv0}' sets kernel_shape to [2, 2], {engineConv}");
        yield return new("SamePadding", m => Node(m, Conv0).Attribute.Add(new AttributeProto { Name = "auto_pad", S = Google.Protobuf.ByteString.CopyFromUtf8("SAME_UPPER"), Type = AttributeProto.Types.AttributeType.String }),
            $"The ONNX Conv '{Conv0}' sets auto_pad to 'SAME_UPPER', {engineConv}");
        yield return new("ConvWithoutBias", m => Node(m, Conv0).Input.RemoveAt(2),
            $"The ONNX Conv '{Conv0}' has 2 inputs and 1 outputs; a convolution has image, weights and bias, and one output.");
        yield return new("WeightsNotAnInitializer", m => Node(m, Conv0).Input[1] = "Computed", $"The ONNX node '{Conv0}' reads 'Computed', which is not an initializer.");
        yield return new("NonSquareKernel", m => SetFloats(Initializer(m, "AdaptivePruning.W0"), new float[24], 4, 1, 3, 2),
            $"The weights of ONNX Conv '{Conv0}' have shape [4, 1, 3, 2]; [filters, 1, k, k] was expected.");
        yield return new("KernelOfOtherChannels", m => SetFloats(Initializer(m, "AdaptivePruning.W0"), new float[72], 4, 2, 3, 3),
            $"The weights of ONNX Conv '{Conv0}' have shape [4, 2, 3, 3]; [filters, 1, k, k] was expected.");
        yield return new("BiasOfOtherFilters", m => SetFloats(Initializer(m, "AdaptivePruning.B0"), new float[3]),
            $"The bias of ONNX Conv '{Conv0}' has shape [3]; [4] was expected.");
        yield return new("ImageOfOtherSize", m => SetInt64s(Initializer(m, "AdaptivePruning.ImageShape0"), new long[] { -1, 1, 8, 7 }),
            $"The ONNX Reshape '{Reshape0}' reads rows of 64 values as a 1x8x7 image, which holds 56.");
        yield return new("ImageWithAFixedBatch", m => SetInt64s(Initializer(m, "AdaptivePruning.ImageShape0"), new long[] { 1, 1, 8, 8 }),
            $"The ONNX Reshape '{Reshape0}' reshapes rows to [1, 1, 8, 8]; a convolution reads [-1, channels, height, width].");
        yield return new("ImageShapeComputed", m => Node(m, Reshape0).Input[1] = "Computed",
            $"The ONNX Reshape '{Reshape0}' before a Conv takes its shape from something other than an initializer.");
        yield return new("OverlappingPool", m => SetInts(Node(m, Pool0), "strides", 1, 1),
            $"The ONNX MaxPool '{Pool0}' has a 2 window and stride 1; the engine pools windows of 2 or more that tile without overlap.");
        yield return new("PoolCeilMode", m => SetInt(Node(m, Pool0), "ceil_mode", 1), $"The ONNX MaxPool '{Pool0}' sets ceil_mode to 1, which the engine's pooling does not compute.");
        yield return new("PoolPadded", m => SetInts(Node(m, Pool0), "pads", 1, 1, 1, 1), $"The ONNX MaxPool '{Pool0}' sets pads to [1, 1, 1, 1], which the engine's pooling does not compute.");
        yield return new("PoolWritingIndices", m => Node(m, Pool0).Output.Add("Indices"),
            $"The ONNX MaxPool '{Pool0}' has 2 outputs; pooling that also writes indices is not a layer.");
        yield return new("FlattenOfOtherAxis", m => SetInt(Node(m, "AdaptivePruning.Flatten0"), "axis", 2),
            $"The ONNX node 'AdaptivePruning.Flatten0' (Flatten) follows the convolution '{Conv0}'; a Flatten with axis 1 was expected.");
        yield return new("NoFlatten", m => Node(m, "AdaptivePruning.Flatten0").OpType = "Identity",
            $"The ONNX node 'AdaptivePruning.Flatten0' (Identity) follows the convolution '{Conv0}'; a Flatten with axis 1 was expected.");
        yield return new("ActivationReadTwice", m => m.Graph.Node.Add(new NodeProto { Name = "Spy", OpType = "Relu", Input = { "AdaptivePruning.H0" }, Output = { "Spied" } }),
            "The ONNX tensor 'AdaptivePruning.H0' of a convolution block is read by 2 nodes; a network is a chain.");
        yield return new("ConvolutionActivationDiffers", m => Node(m, "AdaptivePruning.Relu0").OpType = "Tanh",
            "The ONNX node 'AdaptivePruning.Relu1' applies Relu, but earlier layers use Tanh; a network has one activation.");
    }

    private static IEnumerable<string> RefusalNames() => Refusals().Select(r => r.Name);

    [TestCaseSource(nameof(RefusalNames))]
    public void AConvolutionBlockTheEngineWouldComputeDifferently_IsRefusedWithTheRulesMessage(string rule)
    {
        (_, Action<ModelProto> edit, string message) = Refusals().Single(r => r.Name == rule);
        ModelProto model = Written(Network());
        edit(model);

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model, PruningTask.MulticlassClassification))!;

        Assert.That(error.Message, Is.EqualTo(message));
    }

    [Test]
    public void AnImageTheKernelDoesNotFit_IsRefusedNamingTheConvAndTheImage()
    {
        ModelProto model = Written(Network());
        SetInt64s(Initializer(model, "AdaptivePruning.ImageShape0"), new long[] { -1, 1, 2, 32 });

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model, PruningTask.MulticlassClassification))!;

        Assert.That(error.Message, Does.StartWith($"The ONNX Conv '{Conv0}' over a 1x2x32 image is not a convolution the engine computes: "));
        Assert.That(error.InnerException, Is.InstanceOf<ArgumentException>());
    }

    [Test]
    public void AReadNetworkScoresAsTheWrittenOne_ThroughTheEngine()
    {
        NeuralNetwork network = ConvNetworks.Pruned(ConvNetworks.Random(8, PruningTask.Regression, new[] { 2, 10, 10 }, "5x3p2,4x2", new[] { 7 }, 1), 0.8, seed: 4);
        NeuralNetwork read = OnnxNetworkReader.Read(Written(network));
        float[][] rows = ConvNetworks.Rows(network, 12, seed: 9);

        var written = new ManagedNetworkEngine(network);
        var back = new ManagedNetworkEngine(read);
        var expected = new float[written.OutputSize];
        var actual = new float[back.OutputSize];
        foreach (float[] row in rows)
        {
            written.Score(row, expected);
            back.Score(row, actual);
            Assert.That(Bits(actual), Is.EqualTo(Bits(expected)));
        }
    }
}
