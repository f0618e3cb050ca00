using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The written ONNX graph read back through the generated parser: which nodes, in which order, over which tensors of
/// which shapes. ONNX Runtime only proves the graph computes the right numbers; this pins the layout other tools see.
/// </summary>
[TestFixture]
public class OnnxGraphStructureTests
{
    private const string P = "AdaptivePruning.";
    private static readonly Dictionary<string, string> Metadata = new() { ["first"] = "1", ["second"] = "two" };

    private static NeuralNetwork Multiclass(Activation activation) =>
        RandomNetwork(PruningTask.MulticlassClassification, 5, new[] { 6, 4 }, 3, activation, seed: 61);

    [Test]
    public void BatchedMulticlass_IsGemmActivationPerLayer_ThenSoftmax_OverTheLayerWeights()
    {
        NeuralNetwork network = Multiclass(Activation.Tanh);
        ModelProto model = OnnxModelReader.Parse(OnnxModelWriter.Write(network, Features, Metadata, OnnxLayout.Batched));

        Assert.That(model.IrVersion, Is.EqualTo(8));
        Assert.That(model.OpsetImport.Select(o => (o.Domain, o.Version)), Is.EqualTo(new[] { ("", 13L) }));
        Assert.That(model.ProducerName, Is.EqualTo("Microsoft.ML.AdaptivePruning"));
        Assert.That(model.MetadataProps.Select(e => (e.Key, e.Value)), Is.EqualTo(new[] { ("first", "1"), ("second", "two") }));

        GraphProto graph = model.Graph;
        Assert.That(graph.Node.Select(n => n.OpType), Is.EqualTo(new[] { "Gemm", "Tanh", "Gemm", "Tanh", "Gemm", "Softmax" }));
        Assert.That(graph.Node.Select(n => n.Name), Is.EqualTo(new[] { P + "Gemm0", P + "Tanh0", P + "Gemm1", P + "Tanh1", P + "Gemm2", P + "Softmax" }));
        Assert.That(graph.Node[0].Input, Is.EqualTo(new[] { Features, P + "W0", P + "B0" }));
        Assert.That(graph.Node[4].Output, Is.EqualTo(new[] { ScoringNames.Logits }));
        Assert.That(graph.Node[5].Input, Is.EqualTo(new[] { ScoringNames.Logits }));
        Assert.That(graph.Node[5].Output, Is.EqualTo(new[] { "Score" }));
        AssertIntAttribute(graph.Node[0], "transB", 1);
        AssertIntAttribute(graph.Node[5], "axis", 1);
        Assert.That(graph.Node[1].Attribute, Is.Empty);

        Assert.That(graph.Initializer.Select(t => t.Name), Is.EqualTo(new[] { P + "W0", P + "B0", P + "W1", P + "B1", P + "W2", P + "B2" }));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            NetworkLayer layer = network.Layers[l];
            TensorProto weights = graph.Initializer[2 * l], bias = graph.Initializer[2 * l + 1];
            Assert.That(weights.Dims, Is.EqualTo(new long[] { layer.OutputSize, layer.InputSize }), $"W{l} keeps the [out, in] layout");
            Assert.That(bias.Dims, Is.EqualTo(new long[] { layer.OutputSize }));
            Assert.That(weights.DataType, Is.EqualTo((int)TensorProto.Types.DataType.Float));
            Assert.That(LittleEndianFloats(weights), Is.EqualTo(layer.Weights));
            Assert.That(LittleEndianFloats(bias), Is.EqualTo(layer.Bias));
        }

        AssertFloatValueInfo(graph.Input.Single(), Features, "N", 5);
        AssertFloatValueInfo(graph.Output.Single(), "Score", "N", 3);
    }

    [Test]
    public void SingleRow_ReshapesToABatchOfOneAndBack_WithRankOneInputAndOutput()
    {
        NeuralNetwork network = RandomNetwork(PruningTask.Regression, 4, new[] { 3 }, 1, Activation.Relu, seed: 62);
        GraphProto graph = OnnxModelReader.Parse(OnnxModelWriter.Write(network, Features, Metadata, OnnxLayout.SingleRow)).Graph;

        Assert.That(graph.Node.Select(n => n.OpType), Is.EqualTo(new[] { "Reshape", "Gemm", "Relu", "Gemm", "Reshape" }));
        Assert.That(graph.Node[0].Input, Is.EqualTo(new[] { Features, P + "RowShape" }));
        Assert.That(graph.Node[3].Output, Is.EqualTo(new[] { P + "BatchOutput" }));
        Assert.That(graph.Node[4].Output, Is.EqualTo(new[] { ScoringNames.RawScore }));

        TensorProto rowShape = graph.Initializer.Single(t => t.Name == P + "RowShape");
        TensorProto flatShape = graph.Initializer.Single(t => t.Name == P + "FlatShape");
        Assert.That(rowShape.DataType, Is.EqualTo((int)TensorProto.Types.DataType.Int64));
        Assert.That(rowShape.Dims, Is.EqualTo(new long[] { 2 }));
        Assert.That(LittleEndianInt64s(rowShape), Is.EqualTo(new long[] { 1, -1 }));
        Assert.That(flatShape.Dims, Is.EqualTo(new long[] { 1 }));
        Assert.That(LittleEndianInt64s(flatShape), Is.EqualTo(new long[] { -1 }));

        AssertFloatValueInfo(graph.Input.Single(), Features, null, 4);
        AssertFloatValueInfo(graph.Output.Single(), ScoringNames.RawScore, null, 1);
    }

    [Test]
    public void FieldsTheSubsetDoesNotDeclare_SurviveParseAndWrite()
    {
        byte[] written = OnnxModelWriter.Write(Multiclass(Activation.Relu), Features, Metadata, OnnxLayout.Batched);
        // ModelProto.functions (field 25) and training_info (field 20) are ONNX fields our subset leaves out.
        var extra = new MemoryStream();
        var output = new CodedOutputStream(extra);
        output.WriteTag(25, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFromUtf8("\n\u0004func"));
        output.WriteTag(20, WireFormat.WireType.LengthDelimited);
        output.WriteBytes(ByteString.CopyFrom(1, 2, 3));
        output.Flush();
        byte[] withUnknown = written.Concat(extra.ToArray()).ToArray();

        ModelProto parsed = OnnxModelReader.Parse(withUnknown);
        Assert.That(parsed.Graph.Node, Has.Count.EqualTo(6), "the declared fields still parse");
        Assert.That(parsed.ToByteArray(), Is.EqualTo(withUnknown));
        Assert.That(OnnxModelReader.Parse(written).ToByteArray(), Is.EqualTo(written), "our own bytes round-trip exactly");
    }

    /// <summary>
    /// A model written by the onnx Python package (onnx.helper, opset 13), as torch.onnx.export writes its graphs:
    /// a Constant node, packed float_data and int64_data initializers beside raw_data, float and ints attributes, a
    /// symbolic and an unnamed dimension. Made with make_tensor/numpy_helper.from_array/make_node/make_graph/make_model.
    /// </summary>
    private const string PythonWrittenModel =
        "CAgSB3B5dG9yY2g64QIKKBIBQyIIQ29uc3RhbnQqGQoFdmFsdWUqDQgBEAEiBAAAAEBCAWOgAQQKIQoBWAoBVwoBQhIBWiIER2Vt" +
        "bSoNCgZ0cmFuc0IYAaABAgoiCgFaEgFMIglMZWFreVJlbHUqDwoFYWxwaGEVzczMPaABAQoOCgFMCgFDEgFNIgNNdWwKEgoBTQoB" +
        "UxIBWSIHUmVzaGFwZQpMCgJNNBIBUCIHTWF4UG9vbCoVCgxrZXJuZWxfc2hhcGVAAkACoAEHKhEKBHBhZHNAAEAAQABAAKABByoQ" +
        "CgdzdHJpZGVzQAJAAqABBxIBZyojCAIIAxABIhgAAIA/AAAAQAAAQEAAAIBAAACgQAAAwEBCAVcqEQgCEAFCAUJKCAAAAD8AAAC/" +
        "KhQIAhAHOgsB////////////AUIBU1oYCgFYEhMKEQgBEg0KBxIFYmF0Y2gKAggDYhEKAVkSDAoKCAESBgoCCAEKAEIECgAQDQ==";

    [Test]
    public void AModelWrittenByTheOnnxPackage_ParsesIntoTheGeneratedClasses_AndWritesBackByteForByte()
    {
        byte[] bytes = Convert.FromBase64String(PythonWrittenModel);
        ModelProto model = OnnxModelReader.Parse(bytes);

        Assert.That(model.ProducerName, Is.EqualTo("pytorch"));
        Assert.That(model.OpsetImport.Single().Version, Is.EqualTo(13));
        GraphProto graph = model.Graph;
        Assert.That(graph.Node.Select(n => n.OpType), Is.EqualTo(new[] { "Constant", "Gemm", "LeakyRelu", "Mul", "Reshape", "MaxPool" }));

        TensorProto constant = graph.Node[0].Attribute.Single(a => a.Name == "value").T;
        Assert.That((constant.DataType, constant.Dims.ToArray(), constant.FloatData.ToArray()), Is.EqualTo(((int)TensorProto.Types.DataType.Float, new long[] { 1 }, new[] { 2f })));
        AttributeProto alpha = graph.Node[2].Attribute.Single();
        Assert.That((alpha.Name, alpha.Type, alpha.F), Is.EqualTo(("alpha", AttributeProto.Types.AttributeType.Float, 0.1f)));
        Dictionary<string, long[]> pool = graph.Node[5].Attribute.ToDictionary(a => a.Name, a => a.Ints.ToArray());
        Assert.That(pool["kernel_shape"], Is.EqualTo(new long[] { 2, 2 }));
        Assert.That(pool["strides"], Is.EqualTo(new long[] { 2, 2 }));
        Assert.That(pool["pads"], Is.EqualTo(new long[] { 0, 0, 0, 0 }));

        Dictionary<string, TensorProto> initializers = graph.Initializer.ToDictionary(t => t.Name);
        Assert.That(initializers["W"].Dims, Is.EqualTo(new long[] { 2, 3 }));
        Assert.That(initializers["W"].FloatData, Is.EqualTo(new float[] { 1, 2, 3, 4, 5, 6 }), "packed float_data");
        Assert.That(initializers["W"].RawData.IsEmpty);
        Assert.That(LittleEndianFloats(initializers["B"]), Is.EqualTo(new[] { 0.5f, -0.5f }), "raw_data");
        Assert.That(initializers["S"].Int64Data, Is.EqualTo(new long[] { 1, -1 }), "packed int64_data");

        var input = graph.Input.Single().Type.TensorType.Shape.Dim;
        Assert.That((input[0].DimParam, input[1].DimValue), Is.EqualTo(("batch", 3L)));
        var output = graph.Output.Single().Type.TensorType.Shape.Dim;
        Assert.That(output[1].ValueCase, Is.EqualTo(TensorShapeProto.Types.Dimension.ValueOneofCase.None), "an unnamed dimension has neither value nor symbol");

        Assert.That(model.ToByteArray(), Is.EqualTo(bytes));
    }

    [Test]
    public void Builder_IntsAttributes_AndInt64Initializers_RunInOnnxRuntime()
    {
        // A graph no layer writes yet: Reshape by an int64 initializer, then Transpose with an ints attribute.
        byte[] bytes = new OnnxGraphBuilder("Probe")
            .AddInt64Initializer("shape", new long[] { 2, 3 }, 2)
            .AddNode("Reshape", "reshape", new[] { "x", "shape" }, new[] { "grid" })
            .AddNode("Transpose", "transpose", new[] { "grid" }, new[] { "y" }, OnnxGraphBuilder.IntsAttribute("perm", 1, 0))
            .AddInput("x", OnnxGraphBuilder.FixedDimension(6))
            .AddOutput("y", OnnxGraphBuilder.FixedDimension(3), OnnxGraphBuilder.FixedDimension(2))
            .ToModel("probe", new Dictionary<string, string>())
            .ToByteArray();

        AttributeProto perm = OnnxModelReader.Parse(bytes).Graph.Node[1].Attribute.Single();
        Assert.That(perm.Type, Is.EqualTo(AttributeProto.Types.AttributeType.Ints));
        Assert.That(perm.Ints, Is.EqualTo(new long[] { 1, 0 }));

        using var session = new InferenceSession(bytes);
        var x = new DenseTensor<float>(new float[] { 1, 2, 3, 4, 5, 6 }, new[] { 6 });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", x) });
        Tensor<float> y = results.Single().AsTensor<float>();
        Assert.That(y.Dimensions.ToArray(), Is.EqualTo(new[] { 3, 2 }));
        Assert.That(y.ToArray(), Is.EqualTo(new float[] { 1, 4, 2, 5, 3, 6 }));
    }

    [Test]
    public void Builder_RejectsAnInitializerWhoseShapeDoesNotHoldItsValues()
    {
        var builder = new OnnxGraphBuilder("Probe");
        var e = Assert.Throws<ArgumentException>(() => builder.AddFloatInitializer("w", new float[6], 2, 2))!;
        Assert.That(e.Message, Does.Contain("'w'").And.Contain("6 values").And.Contain("[2, 2]"));
    }

    private static void AssertIntAttribute(NodeProto node, string name, long value)
    {
        AttributeProto attribute = node.Attribute.Single();
        Assert.That((attribute.Name, attribute.Type, attribute.I), Is.EqualTo((name, AttributeProto.Types.AttributeType.Int, value)), node.Name);
    }

    /// <summary>A float tensor [symbol, width], or [width] when <paramref name="batch"/> is null.</summary>
    private static void AssertFloatValueInfo(ValueInfoProto info, string name, string? batch, long width)
    {
        Assert.That(info.Name, Is.EqualTo(name));
        TypeProto.Types.Tensor tensor = info.Type.TensorType;
        Assert.That(tensor.ElemType, Is.EqualTo((int)TensorProto.Types.DataType.Float));
        var dims = tensor.Shape.Dim;
        Assert.That(dims, Has.Count.EqualTo(batch is null ? 1 : 2));
        if (batch is not null)
            Assert.That(dims[0].ValueCase == TensorShapeProto.Types.Dimension.ValueOneofCase.DimParam && dims[0].DimParam == batch, $"{name}: symbolic batch dimension {batch}");
        Assert.That(dims[^1].DimValue, Is.EqualTo(width));
    }

    private static float[] LittleEndianFloats(TensorProto tensor) =>
        Enumerable.Range(0, tensor.RawData.Length / sizeof(float)).Select(i => BinaryPrimitives.ReadSingleLittleEndian(tensor.RawData.Span[(i * sizeof(float))..])).ToArray();

    private static long[] LittleEndianInt64s(TensorProto tensor) =>
        Enumerable.Range(0, tensor.RawData.Length / sizeof(long)).Select(i => BinaryPrimitives.ReadInt64LittleEndian(tensor.RawData.Span[(i * sizeof(long))..])).ToArray();
}
