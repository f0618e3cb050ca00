using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Reads back a float dense layer written in one of the sparse ONNX forms that start with a Gather of the layer's
/// input (<see cref="GatheredInputsGemmForm"/>, <see cref="EllpackForm"/>), rebuilding the very same [units, inputs]
/// weight matrix.
/// </summary>
/// <remarks>
/// The walk follows the operators, not the writer's tensor names, and checks every constant it reads: a graph of
/// another shape is a <see cref="FormatException"/> naming the node. Positions no stored weight fills come back as +0,
/// and the forms store every weight but +0 (<see cref="DenseOnnxForm.IsKept"/>), so the matrix is bit-identical to the
/// one written.
/// </remarks>
internal static class DenseOnnxFormReader
{
    /// <summary>
    /// The layer that starts at <paramref name="gather"/>, which reads a row of <paramref name="inputs"/> values, and the
    /// last node of its form (whose output is the layer's [N, units] result).
    /// </summary>
    /// <remarks><paramref name="readGemm"/> reads a Gemm as a dense layer over the gathered columns, by the network reader's own Gemm rules.</remarks>
    public static (DenseLayer Layer, NodeProto Last) Read(NodeProto gather, int inputs, ILookup<string, NodeProto> consumers,
        IReadOnlyDictionary<string, TensorProto> initializers, Func<NodeProto, DenseLayer> readGemm)
    {
        if (gather.Input.Count != 2 || gather.Output.Count != 1) throw Bad(gather, "does not read one tensor by one index tensor");
        long axis = gather.Attribute.FirstOrDefault(a => a.Name == "axis")?.I ?? 0;
        if (axis != 1 && axis != -1) throw Bad(gather, $"gathers along axis {axis}; a dense layer's form gathers input columns (axis 1)");
        long[] columns = Int64s(gather.Input[1], gather, initializers, out long[] dims);
        foreach (long column in columns)
            if (column < 0 || column >= inputs) throw Bad(gather, $"reads input column {column}, outside the {inputs} values the layer reads");

        NodeProto next = OnlyConsumer(gather, consumers);
        return (next.OpType, dims.Length) switch
        {
            ("Gemm", 1) when columns.Length == 0 => (BiasOnly(next, inputs, initializers), next),
            ("Gemm", 1) => (GatheredGemm(gather, columns, inputs, readGemm(next)), next),
            ("Mul", 2) => Ellpack(gather, next, columns, dims, inputs, consumers, initializers),
            _ => throw Bad(next, $"follows a Gather of {dims.Length}-dimensional indices; a dense layer's form is Gather [used] then Gemm, or Gather [units, K] then Mul, ReduceSum and Add"),
        };
    }

    /// <summary>The Gemm's [units, used] matrix spread back over the used input columns.</summary>
    private static DenseLayer GatheredGemm(NodeProto gather, long[] used, int inputs, DenseLayer gathered)
    {
        if (gathered.InputSize != used.Length)
            throw Bad(gather, $"gathers {used.Length} columns, but the Gemm after it reads {gathered.InputSize}");
        if (gathered.Quantization is not null) throw Bad(gather, "feeds a Gemm of int8 weights; only float layers are written with gathered inputs");
        if (used.Distinct().Count() != used.Length) throw Bad(gather, "gathers a column twice");
        int units = gathered.OutputSize;
        var weights = new float[units * inputs];
        for (int u = 0; u < units; u++)
            for (int j = 0; j < used.Length; j++) weights[u * inputs + used[j]] = gathered.Weights[u * used.Length + j];
        return new DenseLayer(inputs, units, weights, gathered.Bias);
    }

    /// <summary>A Gemm over no gathered column (every weight pruned): its [units, 0] weights and its bias, the layer's whole output.</summary>
    private static DenseLayer BiasOnly(NodeProto gemm, int inputs, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        if (gemm.Input.Count != 3) throw Bad(gemm, "does not read input, weights and bias");
        Floats(gemm.Input[1], gemm, initializers, out long[] weightDims);
        float[] bias = Floats(gemm.Input[2], gemm, initializers, out long[] biasDims);
        if (weightDims is not [var units, 0] || biasDims is not [var biasUnits] || biasUnits != units)
            throw Bad(gemm, $"reads no column but has weights [{string.Join(", ", weightDims)}] and bias [{string.Join(", ", biasDims)}]; [units, 0] and [units] were expected");
        return new DenseLayer(inputs, Size(units, gemm), new float[Size(units, gemm) * inputs], bias);
    }

    /// <summary>Gather [units, K] → Mul by [units, K] weights → ReduceSum over axis 2 (keepdims 0) → Add of the [units] bias.</summary>
    private static (DenseLayer, NodeProto) Ellpack(NodeProto gather, NodeProto mul, long[] columns, long[] dims, int inputs,
        ILookup<string, NodeProto> consumers, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        int units = Size(dims[0], gather), width = Size(dims[1], gather);
        float[] slots = Floats(OtherInput(mul, gather.Output[0]), mul, initializers, out long[] slotDims);
        if (slotDims.Length != 2 || slotDims[0] != units || slotDims[1] != width)
            throw Bad(mul, $"multiplies by weights of shape [{string.Join(", ", slotDims)}]; [{units}, {width}], one per gathered column, was expected");

        NodeProto sum = OnlyConsumer(mul, consumers);
        if (sum.OpType != "ReduceSum" || sum.Input.Count != 2) throw Bad(sum, "is not a ReduceSum over the given axes after the ELL Mul");
        if (Int64s(sum.Input[1], sum, initializers, out _) is not ([2] or [-1])) throw Bad(sum, "does not sum over axis 2 (the gathered columns of each unit)");
        if (sum.Attribute.FirstOrDefault(a => a.Name == "keepdims")?.I is not 0) throw Bad(sum, "keeps the summed axis (keepdims must be 0)");
        if (sum.Attribute.Any(a => a.Name == "noop_with_empty_axes" && a.I != 0)) throw Bad(sum, "sets noop_with_empty_axes");

        NodeProto add = OnlyConsumer(sum, consumers);
        if (add.OpType != "Add" || add.Input.Count != 2) throw Bad(add, "is not the Add of the bias after the ELL ReduceSum");
        float[] bias = Floats(OtherInput(add, sum.Output[0]), add, initializers, out long[] biasDims);
        if (biasDims is not [var biasUnits] || biasUnits != units) throw Bad(add, $"adds a bias of shape [{string.Join(", ", biasDims)}]; [{units}] was expected");

        var weights = new float[units * inputs];
        var filled = new bool[units * inputs];
        for (int u = 0; u < units; u++)
        {
            for (int k = 0; k < width; k++)
            {
                // A padding slot holds +0 (its column is arbitrary); every stored weight is anything but +0.
                float weight = slots[u * width + k];
                if (!DenseOnnxForm.IsKept(weight)) continue;
                long position = u * (long)inputs + columns[u * width + k];
                if (filled[position]) throw Bad(gather, $"gives unit {u} two weights for input column {columns[u * width + k]}");
                filled[position] = true;
                weights[position] = weight;
            }
        }
        return (new DenseLayer(inputs, units, weights, bias), add);
    }

    private static NodeProto OnlyConsumer(NodeProto node, ILookup<string, NodeProto> consumers)
    {
        List<NodeProto> next = consumers[node.Output[0]].ToList();
        return next.Count == 1 ? next[0] : throw Bad(node, $"writes a tensor read by {next.Count} nodes; inside a layer's form each is read by the next node only");
    }

    /// <summary>The input of a two-input node that is not <paramref name="tensor"/> (Mul and Add take their operands in either order).</summary>
    private static string OtherInput(NodeProto node, string tensor) =>
        node.Input.Count == 2 && (node.Input[0] == tensor) != (node.Input[1] == tensor)
            ? (node.Input[0] == tensor ? node.Input[1] : node.Input[0])
            : throw Bad(node, $"does not combine '{tensor}' with one constant");

    private static long[] Int64s(string tensor, NodeProto node, IReadOnlyDictionary<string, TensorProto> initializers, out long[] dims)
    {
        OnnxConstant constant = OnnxTensorDecoder.Decode(Constant(tensor, node, initializers), "saved model", "initializer");
        dims = constant.Dims;
        return constant.Int64s ?? throw Bad(node, $"reads '{tensor}', which is not an int64 tensor");
    }

    private static float[] Floats(string tensor, NodeProto node, IReadOnlyDictionary<string, TensorProto> initializers, out long[] dims)
    {
        OnnxConstant constant = OnnxTensorDecoder.Decode(Constant(tensor, node, initializers), "saved model", "initializer");
        dims = constant.Dims;
        return constant.Floats ?? throw Bad(node, $"reads '{tensor}', which is not a float tensor");
    }

    private static TensorProto Constant(string tensor, NodeProto node, IReadOnlyDictionary<string, TensorProto> initializers) =>
        initializers.TryGetValue(tensor, out TensorProto? value) ? value : throw Bad(node, $"reads '{tensor}', which is not an initializer");

    private static int Size(long dim, NodeProto node) => dim is > 0 and <= int.MaxValue ? (int)dim : throw Bad(node, $"has a dimension of {dim}");

    private static FormatException Bad(NodeProto node, string what) => new($"The ONNX node '{node.Name}' ({node.OpType}) {what}.");
}
