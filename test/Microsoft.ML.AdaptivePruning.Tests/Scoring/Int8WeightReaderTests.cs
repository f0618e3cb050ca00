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
/// <see cref="Int8WeightReader"/> on the int8 graphs the writer emits, edited one node or tensor at a time: the
/// DequantizeLinear form reads back as the same layer, and every other edit is a <see cref="FormatException"/> with
/// the message of the rule it breaks, naming the node.
/// </summary>
/// <remarks>
/// Written from the mutation run of <c>Scoring/Onnx/</c>: the int8 tests read back only what the writer writes, so
/// none reached the reader's checks or its DequantizeLinear branch.
/// </remarks>
[TestFixture]
public class Int8WeightReaderTests
{
    /// <summary>40-30-1 regression, int8: layer 0 95% pruned (stored sparse), layer 1 with every weight (stored dense).</summary>
    private static NeuralNetwork Quantized()
    {
        NeuralNetwork network = SparseNetworks.Create(3, PruningTask.Regression, 0.95, removeUnitsAndInputs: false, input: 40, hidden: new[] { 30 });
        NetworkLayer output = network.Layers[^1];
        output.SetMask(null);
        for (int k = 0; k < output.Weights.Length; k++) output.Weights[k] = 0.1f + 0.01f * k;
        return Int8Quantizer.Quantize(network, "Quantization");
    }

    private static ModelProto Written(NeuralNetwork network) =>
        OnnxModelReader.Parse(OnnxModelWriter.Write(network, "Features", new Dictionary<string, string>(), OnnxLayout.Batched));

    private static void SetInt64s(TensorProto tensor, params long[] values)
    {
        tensor.RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray());
        tensor.Dims.Clear();
        tensor.Dims.Add(values.Length);
    }

    private static TensorProto FloatVector(string name, IEnumerable<float> values, params long[] dims)
    {
        float[] all = values.ToArray();
        var tensor = new TensorProto { Name = name, DataType = (int)DataType.Float, RawData = ByteString.CopyFrom(all.SelectMany(BitConverter.GetBytes).ToArray()) };
        tensor.Dims.AddRange(dims.Length > 0 ? dims : new long[] { all.Length });
        return tensor;
    }

    /// <summary>
    /// Layer <paramref name="layer"/>'s Cast and Mul replaced by one DequantizeLinear of the same int8 values and the
    /// scales as a vector: the other form of q · scale.
    /// </summary>
    private static NodeProto UseDequantizeLinear(ModelProto model, int layer, params AttributeProto[] attributes)
    {
        GraphProto graph = model.Graph;
        NodeProto widen = Node(model, $"AdaptivePruning.WWiden{layer}"), multiply = Node(model, $"AdaptivePruning.WDequantize{layer}");
        TensorProto scales = Initializer(model, multiply.Input[1]);
        graph.Initializer.Add(FloatVector($"AdaptivePruning.WScaleVector{layer}", DecodeFloats(scales)));
        var dequantize = new NodeProto { Name = $"DQ{layer}", OpType = "DequantizeLinear", Input = { widen.Input[0], $"AdaptivePruning.WScaleVector{layer}" }, Output = { multiply.Output[0] } };
        dequantize.Attribute.AddRange(attributes);
        graph.Node.Remove(widen);
        graph.Node.Insert(graph.Node.IndexOf(multiply), dequantize);
        graph.Node.Remove(multiply);
        return dequantize;
    }

    private static float[] DecodeFloats(TensorProto tensor) =>
        Enumerable.Range(0, tensor.RawData.Length / sizeof(float)).Select(i => BitConverter.ToSingle(tensor.RawData.Span.Slice(i * sizeof(float), sizeof(float)))).ToArray();

    private static AttributeProto Axis(long value) => OnnxGraphBuilder.IntAttribute("axis", value);

    [Test]
    public void TheWrittenGraph_HasASparseAndADenseLayer()
    {
        NeuralNetwork network = Quantized();
        Assert.That(network.Layers.Select((l, i) => Int8WeightStorage.Of((DenseLayer)l, $"layer {i}").Layout), Is.EqualTo(new[] { Int8Layout.Sparse, Int8Layout.Dense }));
    }

    [Test]
    public void DequantizeLinearAlongAxis0_ReadsBackAsTheSameInt8Layers()
    {
        NeuralNetwork network = Quantized();
        ModelProto model = Written(network);
        UseDequantizeLinear(model, 0, Axis(0));
        UseDequantizeLinear(model, 1, Axis(0));
        Assert.That(model.Graph.Node.Select(n => n.OpType), Has.No.Member("Mul"), "both layers now dequantize with DequantizeLinear");

        NeuralNetwork read = OnnxNetworkReader.Read(model, PruningTask.Regression);

        for (int l = 0; l < network.Layers.Count; l++)
        {
            Assert.That(read.Layers[l].Weights, Is.EqualTo(network.Layers[l].Weights), $"layer {l} weights");
            Assert.That(read.Layers[l].Quantization!.Scales, Is.EqualTo(network.Layers[l].Quantization!.Scales), $"layer {l} scales");
            Assert.That(read.Layers[l].Quantization!.BitsPerWeight, Is.EqualTo(8), $"layer {l} bits");
        }
    }

    [Test]
    public void AMulOfSomethingOtherThanACast_IsNotInt8_SoItsWeightsMustBeAnInitializer()
    {
        ModelProto model = Written(Quantized());
        Node(model, "AdaptivePruning.WWiden1").OpType = "Relu";

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model, PruningTask.Regression))!;

        Assert.That(error.Message, Is.EqualTo("The ONNX node 'AdaptivePruning.Gemm1' reads 'AdaptivePruning.W1', which is not an initializer."));
    }

    /// <summary>One edit of a graph and the message the reader must give for it.</summary>
    private sealed record Rule(string Name, Action<ModelProto> Edit, string Message);

    /// <summary>The edits of the written int8 graph that the reader refuses.</summary>
    private static IEnumerable<Rule> Refusals()
    {
        Rule Case(string name, Action<ModelProto> edit, string message) => new(name, edit, message);
        const string P = "AdaptivePruning.";
        int entries = Int8WeightStorage.Of((DenseLayer)Quantized().Layers[0], "layer 0").Values.Length;

        // The scaling: Cast + Mul, or DequantizeLinear.
        yield return Case("DequantizeLinearWithAZeroPoint", m => UseDequantizeLinear(m, 1, Axis(0)).Input.Add(P + "WQ1"),
            "The ONNX node 'DQ1' (DequantizeLinear) has 3 inputs; int8 weights have values and scales (symmetric, no zero point).");
        yield return Case("DequantizeLinearAlongAxis1", m => UseDequantizeLinear(m, 1, Axis(1)),
            "The ONNX node 'DQ1' (DequantizeLinear) does not dequantize per axis 0 (one scale per unit).");
        yield return Case("DequantizeLinearWithoutAxis", m => UseDequantizeLinear(m, 1),
            "The ONNX node 'DQ1' (DequantizeLinear) does not dequantize per axis 0 (one scale per unit).");
        yield return Case("DequantizeLinearWithAScaleMatrix", m => UseDequantizeLinear(m, 0, Axis(0)).Input[1] = P + "WScale0",
            "The ONNX node 'DQ0' (DequantizeLinear) has scales that are not a vector.");
        yield return Case("MulByAScaleVector", m => Initializer(m, P + "WScale0").Dims.RemoveAt(1),
            "The ONNX node 'AdaptivePruning.WDequantize0' (Mul) multiplies by scales of shape [30]; one per unit, [units, 1], was expected.");
        yield return Case("ScalesNotAnInitializer", m => Node(m, P + "WDequantize1").Input[1] = "Elsewhere",
            "The ONNX node 'AdaptivePruning.WDequantize1' (Mul) reads 'Elsewhere', which is not an initializer.");
        yield return Case("Int64Scales", m => Initializer(m, P + "WScale1").DataType = (int)DataType.Int64,
            "The ONNX node 'AdaptivePruning.WDequantize1' (Mul) reads 'AdaptivePruning.WScale1', which is not a float tensor.");
        yield return Case("NegativeScale", m => Initializer(m, P + "WScale1").RawData = ByteString.CopyFrom(BitConverter.GetBytes(-1f)),
            "The int8 weights 'AdaptivePruning.W1' have a scale of -1; scales are finite and not negative.");
        yield return Case("CastToInt32", m => Node(m, P + "WWiden1").Attribute[0].I = (long)DataType.Int32,
            "The ONNX node 'AdaptivePruning.WWiden1' (Cast) does not cast to float.");

        // Dense values.
        yield return Case("DenseValuesOfUInt8", m => Initializer(m, P + "WQ1").DataType = (int)DataType.Uint8,
            "The ONNX node 'AdaptivePruning.WWiden1' (Cast) reads 'AdaptivePruning.WQ1', which is not an int8 tensor.");
        yield return Case("DenseValuesOfRankOne", m => Initializer(m, P + "WQ1").Dims.RemoveAt(0),
            "The ONNX node 'AdaptivePruning.WWiden1' (Cast) reads int8 values of 1 dimensions; 2 were expected.");
        yield return Case("DenseValuesShorterThanTheirShape", m => Initializer(m, P + "WQ1").Dims[1] = 31,
            "The ONNX node 'AdaptivePruning.WWiden1' (Cast) reads 'AdaptivePruning.WQ1', whose 30 bytes do not hold its 31 elements.");
        yield return Case("DenseValuesOfNegativeSize", m => Initializer(m, P + "WQ1").Dims[0] = -1,
            "The ONNX node 'AdaptivePruning.WWiden1' (Cast) reads 'AdaptivePruning.WQ1' with a dimension of -1.");
        yield return Case("DenseValuesOfZeroUnits", m =>
        {
            TensorProto values = Initializer(m, P + "WQ1");
            values.Dims[0] = 0;
            values.RawData = ByteString.Empty;
        }, "The ONNX node 'AdaptivePruning.WWiden1' (Cast) has a dimension of 0.");
        yield return Case("DenseValuesWiderThanTheLayerBefore", m =>
        {
            TensorProto values = Initializer(m, P + "WQ1");
            values.Dims[1] = 31;
            values.RawData = ByteString.CopyFrom(new byte[31]);
        }, "The ONNX Gemm 'AdaptivePruning.Gemm1' reads 31 values, but the layer before writes 30.");
        yield return Case("BiasOfAnotherWidth", m =>
        {
            TensorProto bias = Initializer(m, P + "B1");
            bias.RawData = ByteString.CopyFrom(new byte[2 * sizeof(float)]);
            bias.Dims[0] = 2;
        }, "The bias of ONNX Gemm 'AdaptivePruning.Gemm1' has shape [2]; [1] was expected.");
        yield return Case("Int8GemmWithoutTransB", m => Node(m, P + "Gemm1").Attribute.Clear(),
            "The ONNX Gemm 'AdaptivePruning.Gemm1' reads int8 weights without transB = 1; they are stored [units, inputs].");

        // The sparse chain: Cast → CumSum → ScatterElements into ConstantOfShape zeros → Reshape.
        yield return Case("ReshapeToAVector", m => SetInt64s(Initializer(m, P + "WShape0"), 1200),
            "The ONNX node 'AdaptivePruning.WReshape0' (Reshape) does not reshape to a matrix.");
        yield return Case("ReshapeToZeroRows", m =>
        {
            SetInt64s(Initializer(m, P + "WShape0"), 0, 40);
            SetInt64s(Initializer(m, P + "WFlatShape0"), 0);
        }, "The ONNX node 'AdaptivePruning.WReshape0' (Reshape) has a dimension of 0.");
        yield return Case("ReshapeOfSomethingElse", m => Node(m, P + "WReshape0").Input[0] = "Missing",
            "The ONNX tensor 'Missing' is neither an initializer nor the output of a node; a ScatterElements was expected.");
        yield return Case("ScatterAlongAxis1", m => Node(m, P + "WScatter0").Attribute[0].I = 1,
            "The ONNX node 'AdaptivePruning.WScatter0' (ScatterElements) is not a scatter along axis 0 of data, indices and updates.");
        yield return Case("ScatterWithoutAxis", m => Node(m, P + "WScatter0").Attribute.Clear(),
            "The ONNX node 'AdaptivePruning.WScatter0' (ScatterElements) is not a scatter along axis 0 of data, indices and updates.");
        yield return Case("ScatterWithFourInputs", m => Node(m, P + "WScatter0").Input.Add(P + "WEntries0"),
            "The ONNX node 'AdaptivePruning.WScatter0' (ScatterElements) is not a scatter along axis 0 of data, indices and updates.");
        yield return Case("TooFewZeros", m => SetInt64s(Initializer(m, P + "WFlatShape0"), 1199),
            "The ONNX node 'AdaptivePruning.WZero0' (ConstantOfShape) makes [1199] zeros for a [30, 40] matrix.");
        yield return Case("ZerosOfRankTwo", m => SetInt64s(Initializer(m, P + "WFlatShape0"), 30, 40),
            "The ONNX node 'AdaptivePruning.WZero0' (ConstantOfShape) makes [30, 40] zeros for a [30, 40] matrix.");
        yield return Case("ExclusiveCumSum", m => Node(m, P + "WCumSum0").Attribute.Add(OnnxGraphBuilder.IntAttribute("exclusive", 1)),
            "The ONNX node 'AdaptivePruning.WCumSum0' (CumSum) is not a plain cumulative sum along axis 0.");
        yield return Case("CumSumAlongAxis1", m => SetInt64s(Initializer(m, P + "WAxis0"), 1),
            "The ONNX node 'AdaptivePruning.WCumSum0' (CumSum) is not a plain cumulative sum along axis 0.");
        yield return Case("PositionsNotACumSum", m => Node(m, P + "WCumSum0").OpType = "Identity",
            "The ONNX node 'AdaptivePruning.WCumSum0' (Identity) is a Identity where a CumSum was expected in int8 weights.");
        yield return Case("GapsOfInt8", m => Initializer(m, P + "WGaps0").DataType = (int)DataType.Int8,
            "The ONNX node 'AdaptivePruning.WCast0' (Cast) reads 'AdaptivePruning.WGaps0', which is not a uint8 tensor.");
        yield return Case("GapsNotAnInitializer", m => Node(m, P + "WCast0").Input[0] = "Elsewhere",
            "The ONNX node 'AdaptivePruning.WCast0' (Cast) reads 'Elsewhere', which is not an initializer.");
        yield return Case("EntriesOfUInt8", m => Initializer(m, P + "WEntries0").DataType = (int)DataType.Uint8,
            "The ONNX node 'AdaptivePruning.WScatter0' (ScatterElements) reads 'AdaptivePruning.WEntries0', which is not an int8 tensor.");
        yield return Case("FewerGapsThanEntries", m =>
        {
            TensorProto gaps = Initializer(m, P + "WGaps0");
            gaps.RawData = ByteString.CopyFrom(gaps.RawData.Span[1..].ToArray());
            gaps.Dims[0] -= 1;
        }, $"The int8 weights 'AdaptivePruning.W0' have {entries - 1} positions for {entries} values.");

        // Limits of the walk, each on its boundary.
        yield return Case("ReshapeToAFloatShape", m =>
        {
            TensorProto shape = Initializer(m, P + "WShape0");
            shape.DataType = (int)DataType.Float;
            shape.RawData = ByteString.CopyFrom(new[] { 30f, 40f }.SelectMany(BitConverter.GetBytes).ToArray());
        }, "The ONNX initializer 'AdaptivePruning.WShape0' is not an int64 tensor.");
        yield return Case("DenseValuesOfExactlyIntMaxElements", m => Initializer(m, P + "WQ1").Dims[1] = int.MaxValue,
            $"The ONNX node 'AdaptivePruning.WWiden1' (Cast) reads 'AdaptivePruning.WQ1', whose 30 bytes do not hold its {int.MaxValue} elements.");
        yield return Case("DenseValuesOfOneMoreThanIntMaxElements", m =>
        {
            TensorProto values = Initializer(m, P + "WQ1");
            values.Dims[0] = 1L << 16;
            values.Dims[1] = 1L << 15;
        }, $"The ONNX node 'AdaptivePruning.WWiden1' (Cast) reads 'AdaptivePruning.WQ1', which claims more than {int.MaxValue} elements.");
        yield return Case("DenseValuesWithADimensionPastInt", m => Initializer(m, P + "WQ1").Dims[1] = 1L + int.MaxValue,
            $"The ONNX node 'AdaptivePruning.WWiden1' (Cast) reads 'AdaptivePruning.WQ1' with a dimension of {1L + int.MaxValue}.");
        yield return Case("ReshapeToRowsPastInt", m =>
        {
            SetInt64s(Initializer(m, P + "WShape0"), 1L + int.MaxValue, 1);
            SetInt64s(Initializer(m, P + "WFlatShape0"), 1L + int.MaxValue);
        }, $"The ONNX node 'AdaptivePruning.WReshape0' (Reshape) has a dimension of {1L + int.MaxValue}.");
        // A Mul of the Cast with one input or three is not q · scale, so the Gemm must read its weights as an initializer.
        yield return Case("AMulOfTheCastAlone", m => Node(m, P + "WDequantize1").Input.RemoveAt(1),
            "The ONNX node 'AdaptivePruning.Gemm1' reads 'AdaptivePruning.W1', which is not an initializer.");
        yield return Case("AMulOfTheCastAndTwoScales", m => Node(m, P + "WDequantize1").Input.Add(P + "WScale1"),
            "The ONNX node 'AdaptivePruning.Gemm1' reads 'AdaptivePruning.W1', which is not an initializer.");
        yield return Case("ScalingNotANode", m => Node(m, P + "Gemm1").Input[1] = "Elsewhere",
            "The ONNX node 'AdaptivePruning.Gemm1' reads 'Elsewhere', which is not an initializer.");
    }

    // NUnit passes each case by name: ModelProto is internal, which a public test method cannot take.
    private static IEnumerable<string> RefusalNames() => Refusals().Select(r => r.Name);

    [TestCaseSource(nameof(RefusalNames))]
    public void AnInt8GraphOfAnotherShape_IsRefusedWithTheRulesMessage(string rule)
    {
        (_, Action<ModelProto> edit, string message) = Refusals().Single(r => r.Name == rule);
        ModelProto model = Written(Quantized());
        edit(model);

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model, PruningTask.Regression))!;

        Assert.That(error.Message, Is.EqualTo(message));
    }
}
