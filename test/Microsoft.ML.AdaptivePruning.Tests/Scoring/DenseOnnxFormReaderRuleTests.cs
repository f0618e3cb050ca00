using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.OnnxTensorEdits;
using DataType = Microsoft.ML.AdaptivePruning.Onnx.Proto.TensorProto.Types.DataType;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="DenseOnnxFormReader"/> rule by rule: the gathered-inputs and ELL graphs of a small network whose weights
/// are chosen by hand, edited one node or tensor at a time. Each edit the reader must refuse gives that rule's message
/// naming the node; each edit that computes the same layer (the other sign of an axis, operands swapped) reads back to
/// the very same weights.
/// </summary>
/// <remarks>
/// Written for the mutation run of <c>Scoring/Onnx/</c>: <c>DenseOnnxFormTests</c> reads back what the forms write and
/// refuses two edits of an ELL graph, so the other checks of the walk had no test. Nodes are found by operator and
/// tensors through the nodes that read them, so the tests do not depend on the names the forms give them.
/// </remarks>
[TestFixture]
public class DenseOnnxFormReaderRuleTests
{
    private const int Inputs = 6;

    // Unit 0 reads inputs 0 and 2, unit 1 input 2, unit 2 input 4: gathered columns [0, 2, 4]; ELL width 2.
    private static readonly float[] HiddenWeights =
    {
        1, 0, 2, 0, 0, 0,
        0, 0, 3, 0, 0, 0,
        0, 0, 0, 0, 4, 0,
    };

    /// <summary>6-3-1 regression: the hidden layer as above, the output layer reading all three units.</summary>
    private static NeuralNetwork Network(float[]? hidden = null)
    {
        var spec = new NetworkSpec(PruningTask.Regression, Inputs, new[] { 3 }, 1, Activation.Relu);
        return new NeuralNetwork(spec, new NetworkLayer[]
        {
            new DenseLayer(Inputs, 3, (float[])(hidden ?? HiddenWeights).Clone(), new[] { 0.5f, -1f, 2f }),
            new DenseLayer(3, 1, new[] { 1f, -2f, 3f }, new[] { 0.25f }),
        });
    }

    private static ModelProto Gathered(float[]? hidden = null) => DenseOnnxFormTests.Graph(Network(hidden), GatheredInputsGemmForm.Instance);

    /// <summary>The first layer's first node of <paramref name="opType"/> (the graph lists the layers in order).</summary>
    private static NodeProto First(ModelProto model, string opType) => model.Graph.Node.First(n => n.OpType == opType);

    private static NodeProto ConsumerOf(ModelProto model, NodeProto node) => model.Graph.Node.Single(n => n.Input.Contains(node.Output[0]));

    private static TensorProto Initializer(ModelProto model, string name) => model.Graph.Initializer.Single(t => t.Name == name);

    /// <summary>The tensor a gather reads its column indices from.</summary>
    private static TensorProto Columns(ModelProto model) => Initializer(model, First(model, "Gather").Input[1]);

    private static void EditColumns(ModelProto model, Action<long[]> edit)
    {
        TensorProto columns = Columns(model);
        long[] values = Int64s(columns);
        edit(values);
        SetInt64s(columns, values, columns.Dims.ToArray());
    }

    private static string Refusal(ModelProto model) => Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model))!.Message;

    private static string Bad(NodeProto node, string what) => $"The ONNX node '{node.Name}' ({node.OpType}) {what}.";

    /// <summary>One edit of a graph and the message it must give, worked out from the edited graph's node names.</summary>
    private sealed record Rule(string Name, Func<ModelProto> Graph, Func<ModelProto, string> EditAndMessage);

    private static IEnumerable<Rule> Refusals()
    {
        // The Gather that starts either form.
        yield return new("GatherOfThreeInputs", () => Gathered(), m =>
        {
            NodeProto gather = First(m, "Gather");
            gather.Input.Add(gather.Input[1]);
            return Bad(gather, "does not read one tensor by one index tensor");
        });
        yield return new("GatherOfTwoOutputs", () => Gathered(), m =>
        {
            NodeProto gather = First(m, "Gather");
            gather.Output.Add("Spare");
            return Bad(gather, "does not read one tensor by one index tensor");
        });
        yield return new("GatherAlongAxis0", () => Gathered(), m =>
        {
            NodeProto gather = First(m, "Gather");
            gather.Attribute.Single(a => a.Name == "axis").I = 0;
            return Bad(gather, "gathers along axis 0; a dense layer's form gathers input columns (axis 1)");
        });
        yield return new("GatherWithoutAxis", () => Gathered(), m =>
        {
            // ONNX's default axis is 0, the rows.
            NodeProto gather = First(m, "Gather");
            gather.Attribute.Clear();
            return Bad(gather, "gathers along axis 0; a dense layer's form gathers input columns (axis 1)");
        });
        yield return new("GatherAlongAxis2", () => Gathered(), m =>
        {
            NodeProto gather = First(m, "Gather");
            gather.Attribute.Single(a => a.Name == "axis").I = 2;
            return Bad(gather, "gathers along axis 2; a dense layer's form gathers input columns (axis 1)");
        });
        yield return new("ANegativeColumn", () => Gathered(), m =>
        {
            EditColumns(m, c => c[1] = -1);
            return Bad(First(m, "Gather"), "reads input column -1, outside the 6 values the layer reads");
        });
        yield return new("AColumnPastTheInputs", () => Gathered(), m =>
        {
            EditColumns(m, c => c[2] = Inputs);
            return Bad(First(m, "Gather"), "reads input column 6, outside the 6 values the layer reads");
        });
        yield return new("ColumnsOfFloats", () => Gathered(), m =>
        {
            TensorProto columns = Columns(m);
            columns.DataType = (int)DataType.Float;
            SetFloats(columns, new float[] { 0, 2, 4 }, 3);
            return Bad(First(m, "Gather"), $"reads '{columns.Name}', which is not an int64 tensor");
        });
        yield return new("ColumnsNotAnInitializer", () => Gathered(), m =>
        {
            NodeProto gather = First(m, "Gather");
            gather.Input[1] = "Elsewhere";
            return Bad(gather, "reads 'Elsewhere', which is not an initializer");
        });
        yield return new("GatheredColumnsReadTwice", () => Gathered(), m =>
        {
            NodeProto gather = First(m, "Gather");
            m.Graph.Node.Add(new NodeProto { Name = "Spy", OpType = "Identity", Input = { gather.Output[0] }, Output = { "Seen" } });
            return Bad(gather, "writes a tensor read by 2 nodes; inside a layer's form each is read by the next node only");
        });
        yield return new("AGatherOfAVectorThenAnotherOperator", () => Gathered(), m =>
        {
            NodeProto gemm = First(m, "Gemm");
            gemm.OpType = "MatMul";
            return Bad(gemm, "follows a Gather of 1-dimensional indices; a dense layer's form is a Gather of [used] columns then a Gemm");
        });

        // Gather [used] then Gemm.
        yield return new("FewerColumnsThanTheGemmReads", () => Gathered(), m =>
        {
            TensorProto columns = Columns(m);
            SetInt64s(columns, Int64s(columns)[..2]);
            return Bad(First(m, "Gather"), "gathers 2 columns, but the Gemm after it reads 3");
        });
        yield return new("AColumnGatheredTwice", () => Gathered(), m =>
        {
            EditColumns(m, c => c[2] = c[0]);
            return Bad(First(m, "Gather"), "gathers a column twice");
        });
        yield return new("AGatheredGemmOfInt8Weights", () => Gathered(), m =>
        {
            // The Gemm's [3, 3] weights as q · scale: int8 values, Cast to float, Mul by [3, 1] scales.
            NodeProto gemm = First(m, "Gemm");
            var values = new TensorProto { Name = "Q", DataType = (int)DataType.Int8, RawData = ByteString.CopyFrom(new byte[] { 1, 2, 0, 0, 3, 0, 0, 0, 4 }), Dims = { 3, 3 } };
            var scales = new TensorProto { Name = "S", DataType = (int)DataType.Float, Dims = { 3, 1 } };
            SetFloats(scales, new[] { 1f, 1f, 1f }, 3, 1);
            m.Graph.Initializer.Add(values);
            m.Graph.Initializer.Add(scales);
            m.Graph.Node.Add(new NodeProto { Name = "Widen", OpType = "Cast", Input = { "Q" }, Output = { "QF" }, Attribute = { OnnxGraphBuilder.IntAttribute("to", (long)DataType.Float) } });
            m.Graph.Node.Add(new NodeProto { Name = "Scale", OpType = "Mul", Input = { "QF", "S" }, Output = { "QW" } });
            gemm.Input[1] = "QW";
            return Bad(First(m, "Gather"), "feeds a Gemm of int8 weights; only float layers are written with gathered inputs");
        });

        // Gather [] then a Gemm of [units, 0] weights: a layer with no weight left.
        yield return new("AnEmptyGatherThenAGemmWithoutBias", () => Gathered(new float[3 * Inputs]), m =>
        {
            NodeProto gemm = First(m, "Gemm");
            gemm.Input.RemoveAt(2);
            return Bad(gemm, "does not read input, weights and bias");
        });
        yield return new("AnEmptyGatherThenWeightsOfAColumn", () => Gathered(new float[3 * Inputs]), m =>
        {
            NodeProto gemm = First(m, "Gemm");
            SetFloats(Initializer(m, gemm.Input[1]), new float[3], 3, 1);
            return Bad(gemm, "reads no column but has weights [3, 1] and bias [3]; [units, 0] and [units] were expected");
        });
        yield return new("AnEmptyGatherThenABiasOfAnotherWidth", () => Gathered(new float[3 * Inputs]), m =>
        {
            NodeProto gemm = First(m, "Gemm");
            SetFloats(Initializer(m, gemm.Input[2]), new float[2], 2);
            return Bad(gemm, "reads no column but has weights [3, 0] and bias [2]; [units, 0] and [units] were expected");
        });
        yield return new("AnEmptyGatherThenABiasMatrix", () => Gathered(new float[3 * Inputs]), m =>
        {
            NodeProto gemm = First(m, "Gemm");
            SetFloats(Initializer(m, gemm.Input[2]), new float[3], 3, 1);
            return Bad(gemm, "reads no column but has weights [3, 0] and bias [3, 1]; [units, 0] and [units] were expected");
        });
        yield return new("AnEmptyGatherThenWeightsOfNoUnit", () => Gathered(new float[3 * Inputs]), m =>
        {
            NodeProto gemm = First(m, "Gemm");
            SetFloats(Initializer(m, gemm.Input[1]), Array.Empty<float>(), 0, 0);
            SetFloats(Initializer(m, gemm.Input[2]), Array.Empty<float>(), 0);
            return Bad(gemm, "has a dimension of 0");
        });
        yield return new("AnEmptyGatherThenInt64Weights", () => Gathered(new float[3 * Inputs]), m =>
        {
            NodeProto gemm = First(m, "Gemm");
            TensorProto weights = Initializer(m, gemm.Input[1]);
            weights.DataType = (int)DataType.Int64;
            return Bad(gemm, $"reads '{weights.Name}', which is not a float tensor");
        });

        // Gather [units, K] → Mul → ReduceSum → Add (ELL).
    }

    // NUnit passes each case by name: ModelProto is internal, which a public test method cannot take.
    private static IEnumerable<string> RefusalNames() => Refusals().Select(r => r.Name);

    [TestCaseSource(nameof(RefusalNames))]
    public void AFormOfAnotherShape_IsRefusedWithTheRulesMessage(string rule)
    {
        (_, Func<ModelProto> graph, Func<ModelProto, string> editAndMessage) = Refusals().Single(r => r.Name == rule);
        ModelProto model = graph();
        string message = editAndMessage(model);

        Assert.That(Refusal(model), Is.EqualTo(message));
    }

    /// <summary>Edits that change how a layer is written but not what it computes.</summary>
    private static IEnumerable<Rule> SameLayer()
    {
        yield return new("GatherAlongAxisMinus1", () => Gathered(), m =>
        {
            First(m, "Gather").Attribute.Single(a => a.Name == "axis").I = -1;
            return "";
        });
    }

    private static IEnumerable<string> SameLayerNames() => SameLayer().Select(r => r.Name);

    [TestCaseSource(nameof(SameLayerNames))]
    public void AnEditThatComputesTheSameLayer_ReadsBackToTheSameWeights(string rule)
    {
        (_, Func<ModelProto> graph, Func<ModelProto, string> edit) = SameLayer().Single(r => r.Name == rule);
        ModelProto model = graph();
        edit(model);

        NeuralNetwork read = OnnxNetworkReader.Read(model);

        Assert.That(read.Layers[0].Weights, Is.EqualTo(HiddenWeights));
        Assert.That(read.Layers[0].Bias, Is.EqualTo(new[] { 0.5f, -1f, 2f }));
        Assert.That(read.Layers[1].Weights, Is.EqualTo(new[] { 1f, -2f, 3f }));
    }

    [Test]
    public void AnEmptyGather_ReadsBackAsALayerOfNoWeights_WithItsBias()
    {
        ModelProto model = Gathered(new float[3 * Inputs]);
        Assert.That(Columns(model).Dims, Is.EqualTo(new long[] { 0 }), "no column is gathered");

        NeuralNetwork read = OnnxNetworkReader.Read(model);

        Assert.That((read.Layers[0].InputSize, read.Layers[0].OutputSize), Is.EqualTo((Inputs, 3)));
        Assert.That(read.Layers[0].Weights, Is.EqualTo(new float[3 * Inputs]));
        Assert.That(read.Layers[0].Bias, Is.EqualTo(new[] { 0.5f, -1f, 2f }));
    }

    [Test]
    public void TheGatheredColumns_AreSpreadBackToTheirInputs()
    {
        ModelProto model = Gathered();
        Assert.That(Int64s(Columns(model)), Is.EqualTo(new long[] { 0, 2, 4 }));

        NeuralNetwork read = OnnxNetworkReader.Read(model);

        Assert.That(read.Layers[0].Weights, Is.EqualTo(HiddenWeights));
        Assert.That(read.Layers[0].Bias, Is.EqualTo(new[] { 0.5f, -1f, 2f }));
    }
}
