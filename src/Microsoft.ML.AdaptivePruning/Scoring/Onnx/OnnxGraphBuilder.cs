using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using DataType = Microsoft.ML.AdaptivePruning.Onnx.Proto.TensorProto.Types.DataType;
using Dimension = Microsoft.ML.AdaptivePruning.Onnx.Proto.TensorShapeProto.Types.Dimension;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Builds one ONNX graph (IR version 8, default-domain opset 13) over the classes generated from
/// <c>Scoring/Onnx/onnx_subset.proto</c>: initializers, nodes, graph inputs and outputs, then the model around them.
/// </summary>
/// <remarks>
/// Each kind of layer emits its own nodes through these few methods, so none of them builds protobuf messages by hand
/// and all of them target the same opset. Tensors are stored as little-endian <c>raw_data</c> whatever the machine's
/// byte order, as ONNX requires.
/// </remarks>
internal sealed class OnnxGraphBuilder
{
    public const long IrVersion = 8;
    public const long OpsetVersion = 13;
    public const string ProducerName = "Microsoft.ML.AdaptivePruning";

    private readonly GraphProto _graph;

    public OnnxGraphBuilder(string graphName)
    {
        if (string.IsNullOrEmpty(graphName)) throw new ArgumentException("The ONNX graph needs a name.", nameof(graphName));
        _graph = new GraphProto { Name = graphName };
    }

    /// <summary>A float tensor initializer of shape <paramref name="dims"/>, values in row-major order.</summary>
    public OnnxGraphBuilder AddFloatInitializer(string name, float[] values, params long[] dims) =>
        AddInitializer(name, DataType.Float, values, dims);

    /// <summary>An int64 tensor initializer of shape <paramref name="dims"/> (for example the target shape Reshape takes).</summary>
    public OnnxGraphBuilder AddInt64Initializer(string name, long[] values, params long[] dims) =>
        AddInitializer(name, DataType.Int64, values, dims);

    /// <summary>An int8 tensor initializer of shape <paramref name="dims"/> (quantized weights).</summary>
    public OnnxGraphBuilder AddInt8Initializer(string name, sbyte[] values, params long[] dims) =>
        AddInitializer(name, DataType.Int8, values, dims);

    /// <summary>A uint8 tensor initializer of shape <paramref name="dims"/> (delta-coded indices).</summary>
    public OnnxGraphBuilder AddUInt8Initializer(string name, byte[] values, params long[] dims) =>
        AddInitializer(name, DataType.Uint8, values, dims);

    /// <summary>A node of the default domain; its attributes come from <see cref="IntAttribute"/> and its siblings.</summary>
    public OnnxGraphBuilder AddNode(string opType, string name, IEnumerable<string> inputs, IEnumerable<string> outputs, params AttributeProto[] attributes)
    {
        if (string.IsNullOrEmpty(opType)) throw new ArgumentException("An ONNX node needs an operator type.", nameof(opType));
        var node = new NodeProto { Name = name, OpType = opType };
        node.Input.AddRange(inputs);
        node.Output.AddRange(outputs);
        node.Attribute.AddRange(attributes);
        _graph.Node.Add(node);
        return this;
    }

    /// <summary>A graph input: a float tensor of the given shape.</summary>
    public OnnxGraphBuilder AddInput(string name, params Dimension[] shape)
    {
        _graph.Input.Add(FloatValueInfo(name, shape));
        return this;
    }

    /// <summary>A graph output: a float tensor of the given shape.</summary>
    public OnnxGraphBuilder AddOutput(string name, params Dimension[] shape)
    {
        _graph.Output.Add(FloatValueInfo(name, shape));
        return this;
    }

    /// <summary>The model that holds the graph built so far, with <paramref name="metadata"/> as its metadata_props.</summary>
    /// <remarks>The model takes the graph itself, not a copy (weights can be megabytes): build nothing more afterwards.</remarks>
    public ModelProto ToModel(string docString, IReadOnlyDictionary<string, string> metadata)
    {
        if (metadata is null) throw new ArgumentNullException(nameof(metadata));
        var model = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = ProducerName,
            ProducerVersion = typeof(OnnxGraphBuilder).Assembly.GetName().Version?.ToString() ?? "",
            DocString = docString,
            Graph = _graph,
        };
        model.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = OpsetVersion });
        foreach (var pair in metadata)
            model.MetadataProps.Add(new StringStringEntryProto { Key = pair.Key, Value = pair.Value });
        return model;
    }

    /// <summary>An attribute holding one integer (axis, transB, …).</summary>
    public static AttributeProto IntAttribute(string name, long value) =>
        new() { Name = name, I = value, Type = AttributeProto.Types.AttributeType.Int };

    /// <summary>An attribute holding a list of integers (kernel_shape, strides, pads, …).</summary>
    public static AttributeProto IntsAttribute(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.AddRange(values);
        return attribute;
    }

    /// <summary>An attribute holding a one-element int8 tensor (the value ConstantOfShape fills with).</summary>
    public static AttributeProto Int8TensorAttribute(string name, sbyte value)
    {
        var tensor = new TensorProto { DataType = (int)DataType.Int8, RawData = ByteString.CopyFrom((byte)value) };
        tensor.Dims.Add(1);
        return new AttributeProto { Name = name, T = tensor, Type = AttributeProto.Types.AttributeType.Tensor };
    }

    /// <summary>A dimension of fixed size.</summary>
    public static Dimension FixedDimension(long size) => new() { DimValue = size };

    /// <summary>A dimension named by a symbol (the batch size "N"), its size known only when the model runs.</summary>
    public static Dimension SymbolicDimension(string symbol) => new() { DimParam = symbol };

    private OnnxGraphBuilder AddInitializer<T>(string name, DataType type, T[] values, long[] dims) where T : unmanaged
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("An ONNX initializer needs a name.", nameof(name));
        if (values is null) throw new ArgumentNullException(nameof(values));
        long elements = 1;
        foreach (long dim in dims) elements *= dim;
        if (elements != values.Length)
            throw new ArgumentException($"The initializer '{name}' has {values.Length} values, but its shape [{string.Join(", ", dims)}] holds {elements}.", nameof(dims));
        var tensor = new TensorProto { DataType = (int)type, Name = name, RawData = LittleEndian(values) };
        tensor.Dims.AddRange(dims);
        _graph.Initializer.Add(tensor);
        return this;
    }

    /// <summary>The elements' bytes in little-endian order, as raw_data holds them whatever the machine's byte order.</summary>
    private static ByteString LittleEndian<T>(T[] values) where T : unmanaged
    {
        byte[] raw = MemoryMarshal.AsBytes(values.AsSpan()).ToArray();
        if (!BitConverter.IsLittleEndian)
        {
            int size = Unsafe.SizeOf<T>();
            for (int i = 0; i < raw.Length; i += size) raw.AsSpan(i, size).Reverse();
        }
        return ByteString.CopyFrom(raw);
    }

    private static ValueInfoProto FloatValueInfo(string name, Dimension[] shape)
    {
        if (string.IsNullOrEmpty(name)) throw new ArgumentException("An ONNX graph input or output needs a name.", nameof(name));
        var tensorShape = new TensorShapeProto();
        tensorShape.Dim.AddRange(shape);
        return new ValueInfoProto
        {
            Name = name,
            Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = (int)DataType.Float, Shape = tensorShape } },
        };
    }
}
