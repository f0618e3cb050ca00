using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using System.Globalization;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Encodes a <see cref="NeuralNetwork"/> as an ONNX model (IR version 8, default-domain opset 13): one Gemm per layer
/// (weights kept in their [out, in] layout, transB = 1), Relu or Tanh after every hidden layer, and for multiclass a
/// Softmax over the class axis. <see cref="OnnxLayout"/> picks batched or single-row tensor shapes.
/// </summary>
internal static class OnnxModelWriter
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 13;
    public const string ProducerName = "Microsoft.ML.AdaptivePruning";
    private const string BatchDimension = "N";
    private const string Prefix = "AdaptivePruning.";

    /// <summary>The graph output: <see cref="ScoringNames.RawScore"/> (one value per row), or for multiclass "Score" (K softmax probabilities per row).</summary>
    public static string OutputName(PruningTask task) =>
        TaskStrategy.For(task).OnnxOutputName;

    /// <summary>Encodes <paramref name="network"/> with the graph input named <paramref name="inputName"/> and the given metadata_props.</summary>
    public static byte[] Write(NeuralNetwork network, string inputName, IReadOnlyDictionary<string, string> metadata, OnnxLayout layout)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (string.IsNullOrEmpty(inputName)) throw new ArgumentException("The ONNX input needs a name.", nameof(inputName));
        if (metadata is null) throw new ArgumentNullException(nameof(metadata));
        string output = OutputName(network.Spec.Task);
        if (inputName == output || inputName.StartsWith(Prefix, StringComparison.Ordinal))
            throw new ArgumentException($"The feature column '{inputName}' clashes with a name the ONNX graph uses for its own tensors; rename the column.", nameof(inputName));

        var model = new ProtoMessageWriter()
            .Int64(OnnxFields.Model.IrVersion, IrVersion)
            .String(OnnxFields.Model.ProducerName, ProducerName)
            .String(OnnxFields.Model.ProducerVersion, typeof(OnnxModelWriter).Assembly.GetName().Version?.ToString() ?? "")
            .String(OnnxFields.Model.DocString, $"{network.Spec.Task} network {network.Spec}")
            .Message(OnnxFields.Model.OpsetImport, new ProtoMessageWriter()
                .String(OnnxFields.OperatorSetId.Domain, "")
                .Int64(OnnxFields.OperatorSetId.Version, OpsetVersion))
            .Message(OnnxFields.Model.Graph, Graph(network, inputName, output, layout));
        foreach (var pair in metadata)
        {
            model.Message(OnnxFields.Model.MetadataProps, new ProtoMessageWriter()
                .String(OnnxFields.StringStringEntry.Key, pair.Key)
                .String(OnnxFields.StringStringEntry.Value, pair.Value));
        }
        return model.ToArray();
    }

    private static ProtoMessageWriter Graph(NeuralNetwork network, string inputName, string output, OnnxLayout layout)
    {
        NetworkSpec spec = network.Spec;
        bool singleRow = layout == OnnxLayout.SingleRow;
        var graph = new ProtoMessageWriter().String(OnnxFields.Graph.Name, "AdaptivePruningNetwork");
        string current = inputName;
        if (singleRow)
        {
            graph.Message(OnnxFields.Graph.Initializer, Int64Tensor(Prefix + "RowShape", 1, -1));
            graph.Message(OnnxFields.Graph.Node, Node("Reshape", Prefix + "ToBatch", new[] { inputName, Prefix + "RowShape" }, Prefix + "Batch"));
            current = Prefix + "Batch";
        }

        bool multiclass = TaskStrategy.For(spec.Task).OnnxSoftmax;
        string batchedOutput = singleRow ? Prefix + "BatchOutput" : output;
        int last = network.Layers.Count - 1;
        for (int l = 0; l <= last; l++)
        {
            NetworkLayer layer = network.Layers[l];
            string weights = Name("W", l), bias = Name("B", l);
            graph.Message(OnnxFields.Graph.Initializer, FloatTensor(weights, layer.Weights, layer.OutputSize, layer.InputSize));
            graph.Message(OnnxFields.Graph.Initializer, FloatTensor(bias, layer.Bias, layer.OutputSize));

            string linear = l < last ? Name("Z", l) : multiclass ? ScoringNames.Logits : batchedOutput;
            graph.Message(OnnxFields.Graph.Node, Node("Gemm", Name("Gemm", l), new[] { current, weights, bias }, linear, ("transB", 1)));
            current = linear;
            if (l < last)
            {
                string activated = Name("H", l);
                string op = spec.Activation switch
                {
                    Activation.Relu => "Relu",
                    Activation.Tanh => "Tanh",
                    _ => throw new InvalidOperationException($"Activation {spec.Activation} has no ONNX operator."),
                };
                graph.Message(OnnxFields.Graph.Node, Node(op, Name(op, l), new[] { current }, activated));
                current = activated;
            }
        }

        if (multiclass)
            graph.Message(OnnxFields.Graph.Node, Node("Softmax", Prefix + "Softmax", new[] { current }, batchedOutput, ("axis", 1)));
        if (singleRow)
        {
            graph.Message(OnnxFields.Graph.Initializer, Int64Tensor(Prefix + "FlatShape", -1));
            graph.Message(OnnxFields.Graph.Node, Node("Reshape", Prefix + "FromBatch", new[] { batchedOutput, Prefix + "FlatShape" }, output));
        }

        graph.Message(OnnxFields.Graph.Input, ValueInfo(inputName, spec.InputSize, singleRow));
        graph.Message(OnnxFields.Graph.Output, ValueInfo(output, spec.OutputSize, singleRow));
        return graph;
    }

    private static string Name(string kind, int layer) => Prefix + kind + layer.ToString(CultureInfo.InvariantCulture);

    private static ProtoMessageWriter Node(string opType, string name, string[] inputs, string output, params (string Name, long Value)[] attributes)
    {
        var node = new ProtoMessageWriter();
        foreach (string input in inputs) node.String(OnnxFields.Node.Input, input);
        node.String(OnnxFields.Node.Output, output)
            .String(OnnxFields.Node.Name, name)
            .String(OnnxFields.Node.OpType, opType);
        foreach (var (attributeName, value) in attributes)
        {
            node.Message(OnnxFields.Node.Attribute, new ProtoMessageWriter()
                .String(OnnxFields.Attribute.Name, attributeName)
                .Int64(OnnxFields.Attribute.Int, value)
                .Int32(OnnxFields.Attribute.Type, OnnxFields.AttributeInt));
        }
        return node;
    }

    // raw_data is little-endian whatever the machine's byte order.
    private static ProtoMessageWriter FloatTensor(string name, float[] values, params long[] dims)
    {
        var raw = new byte[values.Length * sizeof(float)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteSingleLittleEndian(raw.AsSpan(i * sizeof(float)), values[i]);
        return Tensor(name, OnnxFields.FloatElementType, raw, dims);
    }

    /// <summary>A rank-1 int64 tensor, as Reshape takes its target shape.</summary>
    private static ProtoMessageWriter Int64Tensor(string name, params long[] values)
    {
        var raw = new byte[values.Length * sizeof(long)];
        for (int i = 0; i < values.Length; i++)
            BinaryPrimitives.WriteInt64LittleEndian(raw.AsSpan(i * sizeof(long)), values[i]);
        return Tensor(name, OnnxFields.Int64ElementType, raw, values.Length);
    }

    private static ProtoMessageWriter Tensor(string name, int elementType, byte[] raw, params long[] dims)
    {
        var tensor = new ProtoMessageWriter();
        foreach (long dim in dims) tensor.Int64(OnnxFields.Tensor.Dims, dim);
        return tensor.Int32(OnnxFields.Tensor.DataType, elementType)
            .String(OnnxFields.Tensor.Name, name)
            .Bytes(OnnxFields.Tensor.RawData, raw);
    }

    /// <summary>A float tensor of shape [N, width], or [width] for a single row.</summary>
    private static ProtoMessageWriter ValueInfo(string name, int width, bool singleRow)
    {
        var shape = new ProtoMessageWriter();
        if (!singleRow)
            shape.Message(OnnxFields.Shape.Dim, new ProtoMessageWriter().String(OnnxFields.Shape.DimParam, BatchDimension));
        shape.Message(OnnxFields.Shape.Dim, new ProtoMessageWriter().Int64(OnnxFields.Shape.DimValue, width));
        var tensorType = new ProtoMessageWriter()
            .Int32(OnnxFields.TypeProto.ElementType, OnnxFields.FloatElementType)
            .Message(OnnxFields.TypeProto.Shape, shape);
        return new ProtoMessageWriter()
            .String(OnnxFields.ValueInfo.Name, name)
            .Message(OnnxFields.ValueInfo.Type, new ProtoMessageWriter().Message(OnnxFields.TypeProto.TensorType, tensorType));
    }
}
