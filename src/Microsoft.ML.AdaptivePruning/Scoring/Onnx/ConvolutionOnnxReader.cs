using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Reads one convolution back out of an ONNX graph in the block <see cref="Conv2dLayer"/> writes: a Reshape of the flat
/// rows to [-1, C, H, W], a Conv, the network's activation, an optional MaxPool and a Flatten back to flat rows.
/// </summary>
/// <remarks>
/// Why a block and not node by node: a <see cref="Conv2dLayer"/> owns its pooling, so the layer can only be built once
/// the MaxPool after the activation has been seen. Every attribute is checked against what the engine computes
/// (square kernels, equal strides and pads, no dilation or groups, pooling windows that tile without overlap); any
/// other value is refused naming the node, because reading it as something near would score a different network.
/// </remarks>
internal static class ConvolutionOnnxReader
{
    /// <summary>One convolution read from the graph, the activation node after its Conv, and the block's last node (the Flatten).</summary>
    internal readonly record struct Block(Conv2dLayer Layer, NodeProto Activation, NodeProto Last);

    /// <summary>Whether <paramref name="node"/> starts a convolution block: a Reshape read only by a Conv.</summary>
    public static bool StartsBlock(NodeProto node, ILookup<string, NodeProto> consumers) =>
        node.OpType == "Reshape" && node.Output.Count == 1 && consumers[node.Output[0]].ToList() is [{ OpType: "Conv" }];

    /// <summary>The block that starts at <paramref name="reshape"/>, over flat rows of <paramref name="inputWidth"/> values.</summary>
    /// <exception cref="FormatException">The block is not one the engine computes, naming the node and the value.</exception>
    public static Block Read(NodeProto reshape, int inputWidth, ILookup<string, NodeProto> consumers, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        (int channels, int height, int width) = ImageShape(reshape, inputWidth, initializers);
        NodeProto conv = OnlyReader(reshape, consumers);
        (float[] weights, float[] bias, ConvolutionLayer sizes) = Convolution(conv, channels, initializers);
        NodeProto activation = OnlyReader(conv, consumers);
        NodeProto next = OnlyReader(activation, consumers);
        if (next.OpType == "MaxPool")
        {
            sizes.PoolSize = PoolSize(next);
            next = OnlyReader(next, consumers);
        }
        if (next.OpType != "Flatten" || Int(next, "axis", 1) != 1 || next.Output.Count != 1)
            throw new FormatException($"The ONNX node '{next.Name}' ({next.OpType}) follows the convolution '{conv.Name}'; a Flatten with axis 1 was expected.");

        try
        {
            return new Block(new Conv2dLayer(channels, height, width, sizes, weights, bias), activation, next);
        }
        catch (ArgumentException e)
        {
            throw new FormatException($"The ONNX Conv '{conv.Name}' over a {channels}x{height}x{width} image is not a convolution the engine computes: {e.Message}", e);
        }
    }

    /// <summary>C, H and W of the Reshape's target [-1, C, H, W], which must hold exactly the row's values.</summary>
    private static (int Channels, int Height, int Width) ImageShape(NodeProto reshape, int inputWidth, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        if (reshape.Input.Count != 2 || !initializers.TryGetValue(reshape.Input[1], out TensorProto? shapeTensor))
            throw new FormatException($"The ONNX Reshape '{reshape.Name}' before a Conv takes its shape from something other than an initializer.");
        long[] shape = OnnxTensorDecoder.Decode(shapeTensor, "saved model", "initializer").Int64s
            ?? throw new FormatException($"The shape of ONNX Reshape '{reshape.Name}' is not an int64 tensor.");
        if (shape is not [-1, > 0 and <= int.MaxValue, > 0 and <= int.MaxValue, > 0 and <= int.MaxValue])
            throw new FormatException($"The ONNX Reshape '{reshape.Name}' reshapes rows to [{string.Join(", ", shape)}]; a convolution reads [-1, channels, height, width].");
        if (shape[1] * shape[2] * shape[3] != inputWidth)
            throw new FormatException($"The ONNX Reshape '{reshape.Name}' reads rows of {inputWidth} values as a {shape[1]}x{shape[2]}x{shape[3]} image, which holds {shape[1] * shape[2] * shape[3]}.");
        return ((int)shape[1], (int)shape[2], (int)shape[3]);
    }

    /// <summary>The Conv's weights [F, C, K, K], bias [F] and sizes, every attribute at a value the engine computes.</summary>
    private static (float[] Weights, float[] Bias, ConvolutionLayer Sizes) Convolution(NodeProto conv, int channels, IReadOnlyDictionary<string, TensorProto> initializers)
    {
        if (conv.Input.Count != 3 || conv.Output.Count != 1)
            throw new FormatException($"The ONNX Conv '{conv.Name}' has {conv.Input.Count} inputs and {conv.Output.Count} outputs; a convolution has image, weights and bias, and one output.");
        float[] weights = Floats(conv, conv.Input[1], initializers, out long[] wDims);
        float[] bias = Floats(conv, conv.Input[2], initializers, out long[] bDims);
        if (wDims is not [> 0 and <= int.MaxValue, _, > 0 and <= int.MaxValue, _] || wDims[1] != channels || wDims[2] != wDims[3])
            throw new FormatException($"The weights of ONNX Conv '{conv.Name}' have shape [{string.Join(", ", wDims)}]; [filters, {channels}, k, k] was expected.");
        if (bDims is not [var units] || units != wDims[0])
            throw new FormatException($"The bias of ONNX Conv '{conv.Name}' has shape [{string.Join(", ", bDims)}]; [{wDims[0]}] was expected.");
        int kernel = (int)wDims[2];
        foreach (AttributeProto attribute in conv.Attribute)
        {
            bool known = attribute.Name switch
            {
                "kernel_shape" => attribute.Ints is [var h, var w] && h == kernel && w == kernel,
                "strides" => attribute.Ints is [var h, var w] && h == w && h > 0,
                "pads" => attribute.Ints.Count == 4 && attribute.Ints.All(p => p == attribute.Ints[0]) && attribute.Ints[0] >= 0,
                "dilations" => attribute.Ints.All(d => d == 1),
                "group" => attribute.I == 1,
                "auto_pad" => attribute.S.ToStringUtf8() is "" or "NOTSET",
                _ => false,
            };
            if (!known) throw new FormatException($"The ONNX Conv '{conv.Name}' sets {attribute.Name} to {AttributeText(attribute)}, which the engine's convolution does not compute.");
        }
        var sizes = new ConvolutionLayer
        {
            Filters = (int)wDims[0],
            KernelSize = kernel,
            Stride = checked((int)Ints(conv, "strides", 1)),
            Padding = checked((int)Ints(conv, "pads", 0)),
        };
        return (weights, bias, sizes);
    }

    /// <summary>The MaxPool's window, which must equal its stride (windows that tile) with no padding.</summary>
    private static int PoolSize(NodeProto pool)
    {
        if (pool.Output.Count != 1)
            throw new FormatException($"The ONNX MaxPool '{pool.Name}' has {pool.Output.Count} outputs; pooling that also writes indices is not a layer.");
        long window = Ints(pool, "kernel_shape", 0), stride = Ints(pool, "strides", 1);
        foreach (AttributeProto attribute in pool.Attribute)
        {
            bool known = attribute.Name switch
            {
                "kernel_shape" or "strides" => attribute.Ints is [var h, var w] && h == w,
                "pads" or "ceil_mode" or "storage_order" => attribute.Ints.All(p => p == 0) && attribute.I == 0,
                "dilations" => attribute.Ints.All(d => d == 1),
                "auto_pad" => attribute.S.ToStringUtf8() is "" or "NOTSET",
                _ => false,
            };
            if (!known) throw new FormatException($"The ONNX MaxPool '{pool.Name}' sets {attribute.Name} to {AttributeText(attribute)}, which the engine's pooling does not compute.");
        }
        if (window < 2 || window != stride || window > int.MaxValue)
            throw new FormatException($"The ONNX MaxPool '{pool.Name}' has a {window} window and stride {stride}; the engine pools windows of 2 or more that tile without overlap.");
        return (int)window;
    }

    private static NodeProto OnlyReader(NodeProto node, ILookup<string, NodeProto> consumers)
    {
        if (node.Output.Count != 1) throw new FormatException($"The ONNX node '{node.Name}' has {node.Output.Count} outputs.");
        List<NodeProto> readers = consumers[node.Output[0]].ToList();
        return readers.Count == 1 ? readers[0]
            : throw new FormatException($"The ONNX tensor '{node.Output[0]}' of a convolution block is read by {readers.Count} nodes; a network is a chain.");
    }

    private static float[] Floats(NodeProto node, string tensor, IReadOnlyDictionary<string, TensorProto> initializers, out long[] dims)
    {
        if (!initializers.TryGetValue(tensor, out TensorProto? value))
            throw new FormatException($"The ONNX node '{node.Name}' reads '{tensor}', which is not an initializer.");
        OnnxConstant constant = OnnxTensorDecoder.Decode(value, "saved model", "initializer");
        dims = constant.Dims;
        return constant.Floats ?? throw new FormatException($"The ONNX initializer '{tensor}' is not a float tensor.");
    }

    /// <summary>The first value of an ints attribute (all were checked equal), or <paramref name="absent"/>.</summary>
    private static long Ints(NodeProto node, string name, long absent) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { Ints.Count: > 0 } attribute ? attribute.Ints[0] : absent;

    private static long Int(NodeProto node, string name, long absent) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is AttributeProto attribute ? attribute.I : absent;

    private static string AttributeText(AttributeProto attribute) =>
        attribute.Ints.Count > 0 ? "[" + string.Join(", ", attribute.Ints) + "]"
        : attribute.S.Length > 0 ? "'" + attribute.S.ToStringUtf8() + "'"
        : attribute.I.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
