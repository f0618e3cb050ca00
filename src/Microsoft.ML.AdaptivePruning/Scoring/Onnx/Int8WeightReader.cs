using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using DataType = Microsoft.ML.AdaptivePruning.Onnx.Proto.TensorProto.Types.DataType;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Reads back the int8 weights <see cref="Int8WeightStorage"/> writes: q · scale (Cast to float and Mul, or a
/// DequantizeLinear along axis 0) of an int8 initializer, or of the sparse chain Cast → CumSum → ScatterElements into
/// ConstantOfShape zeros → Reshape.
/// </summary>
/// <remarks>The walk checks each operator and its constant inputs, so a graph of another shape is a <see cref="FormatException"/> naming the node.</remarks>
internal static class Int8WeightReader
{
    /// <summary>Whether <paramref name="tensor"/> is computed from int8 values (and so should be read here): a Mul of a Cast, or a DequantizeLinear.</summary>
    public static bool IsQuantized(string tensor, IReadOnlyDictionary<string, NodeProto> producers) =>
        producers.TryGetValue(tensor, out NodeProto? node)
        && (node.OpType == "DequantizeLinear"
            || (node.OpType == "Mul" && node.Input.Count == 2 && producers.TryGetValue(node.Input[0], out NodeProto? widen) && widen.OpType == "Cast"));

    /// <summary>The storage behind the float weight tensor <paramref name="tensor"/> that a Gemm reads.</summary>
    public static Int8WeightStorage Read(string tensor, IReadOnlyDictionary<string, NodeProto> producers, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        (string values, float[] scales, NodeProto dequantize) = Scaling(tensor, producers, initializers);
        if (initializers.TryGetValue(values, out TensorProto? dense))
        {
            sbyte[] all = Int8s(dense, dequantize, out long[] dims);
            if (dims.Length != 2) throw Bad(dequantize, $"reads int8 values of {dims.Length} dimensions; 2 were expected");
            return Int8WeightStorage.FromParts(Size(dims[0], dequantize), Size(dims[1], dequantize), all, null, scales, tensor);
        }
        NodeProto reshape = Producer(values, "Reshape", producers);
        long[] shape = Int64s(Constant(reshape.Input[1], reshape, initializers));
        if (shape.Length != 2) throw Bad(reshape, "does not reshape to a matrix");
        NodeProto scatter = Producer(reshape.Input[0], "ScatterElements", producers);
        if (Int(scatter, "axis") != 0 || scatter.Input.Count != 3) throw Bad(scatter, "is not a scatter along axis 0 of data, indices and updates");
        NodeProto zeros = Producer(scatter.Input[0], "ConstantOfShape", producers);
        long[] flat = Int64s(Constant(zeros.Input[0], zeros, initializers));
        if (flat.Length != 1 || flat[0] != shape[0] * shape[1]) throw Bad(zeros, $"makes [{string.Join(", ", flat)}] zeros for a [{shape[0]}, {shape[1]}] matrix");
        NodeProto cumSum = Producer(scatter.Input[1], "CumSum", producers);
        if (cumSum.Attribute.Count > 0 || Int64s(Constant(cumSum.Input[1], cumSum, initializers)) is not [0]) throw Bad(cumSum, "is not a plain cumulative sum along axis 0");
        NodeProto cast = Producer(cumSum.Input[0], "Cast", producers);
        byte[] gaps = UInt8s(Constant(cast.Input[0], cast, initializers), cast);
        sbyte[] entries = Int8s(Constant(scatter.Input[2], scatter, initializers), scatter, out _);
        return Int8WeightStorage.FromParts(Size(shape[0], reshape), Size(shape[1], reshape), entries, gaps, scales, tensor);
    }

    /// <summary>
    /// The int8 tensor and the per-unit scales of q · scale: written as Cast to float then Mul by [units, 1] scales
    /// (what the writer emits), or as a DequantizeLinear along axis 0 with no zero point (also read, being the same product).
    /// </summary>
    private static (string Values, float[] Scales, NodeProto Node) Scaling(string tensor, IReadOnlyDictionary<string, NodeProto> producers, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        NodeProto node = producers.TryGetValue(tensor, out NodeProto? found) && found.OpType == "DequantizeLinear" ? found : Producer(tensor, "Mul", producers);
        if (node.Input.Count != 2) throw Bad(node, $"has {node.Input.Count} inputs; int8 weights have values and scales (symmetric, no zero point)");
        float[] scales = Floats(Constant(node.Input[1], node, initializers), node, out long[] scaleDims);
        if (node.OpType == "DequantizeLinear")
        {
            if (Int(node, "axis") != 0) throw Bad(node, "does not dequantize per axis 0 (one scale per unit)");
            if (scaleDims.Length != 1) throw Bad(node, "has scales that are not a vector");
            return (node.Input[0], scales, node);
        }
        if (scaleDims is not [_, 1]) throw Bad(node, $"multiplies by scales of shape [{string.Join(", ", scaleDims)}]; one per unit, [units, 1], was expected");
        NodeProto widen = Producer(node.Input[0], "Cast", producers);
        if (Int(widen, "to") != (long)DataType.Float) throw Bad(widen, "does not cast to float");
        return (widen.Input[0], scales, widen);
    }

    private static NodeProto Producer(string tensor, string opType, IReadOnlyDictionary<string, NodeProto> producers)
    {
        if (!producers.TryGetValue(tensor, out NodeProto? node))
            throw new FormatException($"The ONNX tensor '{tensor}' is neither an initializer nor the output of a node; a {opType} was expected.");
        return node.OpType == opType ? node : throw Bad(node, $"is a {node.OpType} where a {opType} was expected in int8 weights");
    }

    private static TensorProto Constant(string tensor, NodeProto node, IReadOnlyDictionary<string, TensorProto> initializers) =>
        initializers.TryGetValue(tensor, out TensorProto? value) ? value : throw Bad(node, $"reads '{tensor}', which is not an initializer");

    private static long Int(NodeProto node, string name) => node.Attribute.FirstOrDefault(a => a.Name == name)?.I ?? 1;

    private static int Size(long dim, NodeProto node) => dim is > 0 and <= int.MaxValue ? (int)dim : throw Bad(node, $"has a dimension of {dim}");

    private static float[] Floats(TensorProto tensor, NodeProto node, out long[] dims)
    {
        if (tensor.DataType != (int)DataType.Float) throw Bad(node, $"reads '{tensor.Name}', which is not a float tensor");
        OnnxConstant constant = OnnxTensorDecoder.Decode(tensor, "saved model", "initializer");
        dims = constant.Dims;
        return constant.Floats!;
    }

    private static long[] Int64s(TensorProto tensor) =>
        OnnxTensorDecoder.Decode(tensor, "saved model", "initializer").Int64s ?? throw new FormatException($"The ONNX initializer '{tensor.Name}' is not an int64 tensor.");

    private static sbyte[] Int8s(TensorProto tensor, NodeProto node, out long[] dims)
    {
        if (tensor.DataType != (int)DataType.Int8) throw Bad(node, $"reads '{tensor.Name}', which is not an int8 tensor");
        byte[] raw = Raw(tensor, node, out dims);
        return Array.ConvertAll(raw, b => unchecked((sbyte)b));
    }

    private static byte[] UInt8s(TensorProto tensor, NodeProto node)
    {
        if (tensor.DataType != (int)DataType.Uint8) throw Bad(node, $"reads '{tensor.Name}', which is not a uint8 tensor");
        return Raw(tensor, node, out _);
    }

    /// <summary>One-byte elements from raw_data, the count checked against the dims first.</summary>
    private static byte[] Raw(TensorProto tensor, NodeProto node, out long[] dims)
    {
        dims = tensor.Dims.ToArray();
        long count = 1;
        foreach (long d in dims)
        {
            if (d < 0 || d > int.MaxValue) throw Bad(node, $"reads '{tensor.Name}' with a dimension of {d}");
            count *= d;
            if (count > int.MaxValue) throw Bad(node, $"reads '{tensor.Name}', which claims more than {int.MaxValue} elements");
        }
        if (tensor.RawData.Length != count) throw Bad(node, $"reads '{tensor.Name}', whose {tensor.RawData.Length} bytes do not hold its {count} elements");
        return tensor.RawData.ToByteArray();
    }

    private static FormatException Bad(NodeProto node, string what) => new($"The ONNX node '{node.Name}' ({node.OpType}) {what}.");
}
