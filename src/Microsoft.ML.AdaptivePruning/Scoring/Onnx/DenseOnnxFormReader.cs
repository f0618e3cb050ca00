using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Reads back a float dense layer written in the sparse ONNX form that starts with a Gather of the layer's input
/// (<see cref="GatheredInputsGemmForm"/>), rebuilding the very same [units, inputs] weight matrix.
/// </summary>
/// <remarks>
/// The walk follows the operators, not the writer's tensor names, and checks every constant it reads: a graph of
/// another shape is a <see cref="FormatException"/> naming the node. Positions no stored weight fills come back as +0,
/// and the form stores every weight but +0 (<see cref="SparsityPattern.IsKeptWithSign"/>), so the matrix is
/// bit-identical to the one written. Only the forms the library writes are read: the ELL form the <c>onnx-forms</c>
/// benchmark measures is not one of them.
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
            _ => throw Bad(next, $"follows a Gather of {dims.Length}-dimensional indices; a dense layer's form is a Gather of [used] columns then a Gemm"),
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

    private static NodeProto OnlyConsumer(NodeProto node, ILookup<string, NodeProto> consumers)
    {
        List<NodeProto> next = consumers[node.Output[0]].ToList();
        return next.Count == 1 ? next[0] : throw Bad(node, $"writes a tensor read by {next.Count} nodes; inside a layer's form each is read by the next node only");
    }

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
