using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="OnnxGraphBuilder"/> and <see cref="OnnxModelWriter"/> on bad arguments (each refused naming the
/// parameter) and on the model fields no structure test read: the doc string, the producer version, the one-element
/// int8 tensor attribute, the names a feature column may and may not take.
/// </summary>
/// <remarks>Written from the mutation run of <c>Scoring/Onnx/</c>: these checks and fields had no test.</remarks>
[TestFixture]
public class OnnxWriterArgumentTests
{
    private static readonly Dictionary<string, string> NoMetadata = new();

    private static NeuralNetwork Network(PruningTask task = PruningTask.Regression) =>
        RandomNetwork(task, 3, new[] { 2 }, task == PruningTask.MulticlassClassification ? 3 : 1, Activation.Relu, seed: 4);

    [TestCase("")]
    [TestCase(null)]
    public void Builder_NeedsAGraphName(string? name)
    {
        var e = Assert.Throws<ArgumentException>(() => new OnnxGraphBuilder(name!))!;
        Assert.That((e.ParamName, e.Message), Is.EqualTo(("graphName", "The ONNX graph needs a name. (Parameter 'graphName')")));
    }

    [Test]
    public void Builder_RefusesNodesInitializersAndTensorsWithoutAName()
    {
        var builder = new OnnxGraphBuilder("Probe");

        var node = Assert.Throws<ArgumentException>(() => builder.AddNode("", "n", new[] { "x" }, new[] { "y" }))!;
        var initializer = Assert.Throws<ArgumentException>(() => builder.AddFloatInitializer("", new float[1], 1))!;
        var values = Assert.Throws<ArgumentNullException>(() => builder.AddInt64Initializer("shape", null!, 1))!;
        var input = Assert.Throws<ArgumentException>(() => builder.AddInput("", OnnxGraphBuilder.FixedDimension(1)))!;
        var output = Assert.Throws<ArgumentException>(() => builder.AddOutput(null!, OnnxGraphBuilder.FixedDimension(1)))!;
        var metadata = Assert.Throws<ArgumentNullException>(() => builder.ToModel("doc", null!))!;

        Assert.That((node.ParamName, node.Message), Is.EqualTo(("opType", "An ONNX node needs an operator type. (Parameter 'opType')")));
        Assert.That((initializer.ParamName, initializer.Message), Is.EqualTo(("name", "An ONNX initializer needs a name. (Parameter 'name')")));
        Assert.That(values.ParamName, Is.EqualTo("values"));
        Assert.That(input.Message, Does.StartWith("An ONNX graph input or output needs a name."));
        Assert.That(output.Message, Does.StartWith("An ONNX graph input or output needs a name."));
        Assert.That(metadata.ParamName, Is.EqualTo("metadata"));
    }

    [Test]
    public void Builder_AnEmptyInitializerOfAZeroDimension_IsAccepted()
    {
        ModelProto model = new OnnxGraphBuilder("Probe").AddFloatInitializer("empty", Array.Empty<float>(), 0, 3).ToModel("", NoMetadata);

        TensorProto tensor = model.Graph.Initializer.Single();
        Assert.That((tensor.Dims.ToArray(), tensor.RawData.Length), Is.EqualTo((new long[] { 0, 3 }, 0)));
    }

    [TestCase((sbyte)0, (byte)0x00)]
    [TestCase((sbyte)-3, (byte)0xFD)]
    public void Builder_Int8TensorAttribute_HoldsOneInt8Element(sbyte value, byte raw)
    {
        AttributeProto attribute = OnnxGraphBuilder.Int8TensorAttribute("value", value);

        Assert.That((attribute.Name, attribute.Type), Is.EqualTo(("value", AttributeProto.Types.AttributeType.Tensor)));
        Assert.That(attribute.T.DataType, Is.EqualTo((int)TensorProto.Types.DataType.Int8));
        Assert.That(attribute.T.Dims, Is.EqualTo(new long[] { 1 }));
        Assert.That(attribute.T.RawData.ToByteArray(), Is.EqualTo(new[] { raw }));
    }

    [Test]
    public void Builder_DimensionsAreFixedOrSymbolic()
    {
        Assert.That(OnnxGraphBuilder.FixedDimension(7).DimValue, Is.EqualTo(7));
        Assert.That(OnnxGraphBuilder.SymbolicDimension("N").DimParam, Is.EqualTo("N"));
    }

    [Test]
    public void WrittenModel_CarriesTheTaskAndSpecAsDocString_AndTheAssemblyVersionAsProducerVersion()
    {
        NeuralNetwork network = Network();

        ModelProto model = OnnxModelReader.Parse(OnnxModelWriter.Write(network, Features, NoMetadata, OnnxLayout.Batched));

        Assert.That(model.DocString, Is.EqualTo($"Regression network {network.Spec}"));
        Assert.That(model.Graph.Name, Is.EqualTo("AdaptivePruningNetwork"));
        Assert.That(model.ProducerVersion, Is.EqualTo(typeof(OnnxGraphBuilder).Assembly.GetName().Version!.ToString()).And.Not.Empty);
    }

    [Test]
    public void Writer_ChecksItsArguments()
    {
        NeuralNetwork network = Network();

        Assert.That(Assert.Throws<ArgumentNullException>(() => OnnxModelWriter.Write(null!, Features, NoMetadata, OnnxLayout.Batched))!.ParamName, Is.EqualTo("network"));
        Assert.That(Assert.Throws<ArgumentException>(() => OnnxModelWriter.Write(network, "", NoMetadata, OnnxLayout.Batched))!.ParamName, Is.EqualTo("inputName"));
        Assert.That(Assert.Throws<ArgumentException>(() => OnnxModelWriter.Write(network, null!, NoMetadata, OnnxLayout.Batched))!.ParamName, Is.EqualTo("inputName"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => OnnxModelWriter.Write(network, Features, null!, OnnxLayout.Batched))!.ParamName, Is.EqualTo("metadata"));
    }

    [TestCase(PruningTask.Regression, "AdaptivePruning.RawScore")]
    [TestCase(PruningTask.BinaryClassification, "AdaptivePruning.W0")]
    [TestCase(PruningTask.MulticlassClassification, "Score")]
    [TestCase(PruningTask.Regression, "AdaptivePruning.")]
    public void AFeatureColumnNamedLikeTheGraphsOwnTensors_IsRefused(PruningTask task, string column)
    {
        var e = Assert.Throws<ArgumentException>(() => OnnxModelWriter.Write(Network(task), column, NoMetadata, OnnxLayout.SingleRow))!;

        Assert.That(e.ParamName, Is.EqualTo("inputName"));
        Assert.That(e.Message, Does.StartWith($"The feature column '{column}' clashes with a name the ONNX graph uses for its own tensors; rename the column."));
    }

    [TestCase("Score")]
    [TestCase("AdaptivePruningFeatures")]
    [TestCase("adaptivepruning.Features")]
    [TestCase("X.AdaptivePruning.")]
    public void OtherFeatureColumnNames_AreTheGraphInput(string column)
    {
        // "Score" is only the multiclass output; the prefix is matched ordinally, at the start only.
        ModelProto model = OnnxModelReader.Parse(OnnxModelWriter.Write(Network(), column, NoMetadata, OnnxLayout.Batched));

        Assert.That(model.Graph.Input.Single().Name, Is.EqualTo(column));
        Assert.That(model.Graph.Node[0].Input[0], Is.EqualTo(column));
    }

    [TestCase(PruningTask.Regression, "AdaptivePruning.RawScore")]
    [TestCase(PruningTask.BinaryClassification, "AdaptivePruning.RawScore")]
    [TestCase(PruningTask.MulticlassClassification, "Score")]
    public void TheGraphOutput_IsNamedByTheTask(PruningTask task, string output)
    {
        Assert.That(OnnxModelWriter.OutputName(task), Is.EqualTo(output));
        ModelProto model = OnnxModelReader.Parse(OnnxModelWriter.Write(Network(task), Features, NoMetadata, OnnxLayout.SingleRow));
        Assert.That(model.Graph.Output.Single().Name, Is.EqualTo(output));
    }

    [Test]
    public void SingleRow_NamesItsReshapesAndTheTensorsBetweenLayers()
    {
        const string P = "AdaptivePruning.";
        GraphProto graph = OnnxModelReader.Parse(OnnxModelWriter.Write(Network(), Features, NoMetadata, OnnxLayout.SingleRow)).Graph;

        Assert.That(graph.Node.Select(n => n.Name), Is.EqualTo(new[] { P + "ToBatch", P + "Gemm0", P + "Relu0", P + "Gemm1", P + "FromBatch" }));
        Assert.That(graph.Node.Select(n => n.Output.Single()), Is.EqualTo(new[] { P + "Batch", P + "Z0", P + "H0", P + "BatchOutput", ScoringNames.RawScore }));
    }
}
