using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using static Microsoft.ML.AdaptivePruning.OnnxNodeOrder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Walks an ONNX graph as feed-forward exporters write it and reduces it to an <see cref="OnnxChain"/>: one chain of
/// tensors from the single graph input to the single graph output, where every node reads the chain's current tensor
/// plus constants (initializers or Constant nodes). Anything else is refused with a message naming the node.
/// </summary>
/// <remarks>
/// Supported: Gemm (transA 0, transB 0 or 1, alpha, beta), MatMul followed by Add, the activations of
/// <see cref="OnnxChain.HiddenActivations"/>, Flatten, Reshape, Identity and inference-mode Dropout, and a final
/// Softmax, LogSoftmax or Sigmoid. Weights are copied into the [outputs, inputs] layout of a dense layer with alpha
/// and beta folded in, so the network computes what the graph did.
/// </remarks>
internal sealed class OnnxChainReader
{
    private static readonly string[] PassThrough = { "Identity", "Dropout", "Flatten", "Reshape" };

    private readonly string _path;
    private readonly Dictionary<string, OnnxConstant> _constants = new(StringComparer.Ordinal);
    private readonly List<OnnxLinear> _layers = new();
    private readonly List<OnnxNonlinearity?> _after = new();
    private string _stream;
    private long[] _rowShape;
    private OnnxLinear? _open;

    private OnnxChainReader(string path, string input, long[] rowShape)
    {
        _path = path;
        _stream = input;
        _rowShape = rowShape;
    }

    /// <summary>The chain <paramref name="model"/> computes.</summary>
    public static OnnxChain Read(ModelProto model, string path)
    {
        GraphProto graph = model.Graph; // OnnxModelReader.ParseFile refuses a model without one.
        var initializerNames = new HashSet<string>(StringComparer.Ordinal);
        var initializers = new List<TensorProto>();
        foreach (TensorProto tensor in graph.Initializer)
        {
            if (!initializerNames.Add(tensor.Name))
                throw new OnnxImportException(path, $"Two initializers are named '{tensor.Name}'.");
            initializers.Add(tensor);
        }

        ValueInfoProto[] inputs = graph.Input.Where(i => !initializerNames.Contains(i.Name)).ToArray();
        if (inputs.Length != 1)
            throw new OnnxImportException(path, $"The graph has {inputs.Length} inputs ({string.Join(", ", inputs.Select(i => "'" + i.Name + "'"))}); a network reads one feature tensor.");
        var reader = new OnnxChainReader(path, inputs[0].Name, RowShape(inputs[0], path));
        foreach (TensorProto tensor in initializers) reader._constants[tensor.Name] = OnnxTensorDecoder.Decode(tensor, path, "Initializer");
        foreach (NodeProto node in OnnxNodeOrder.Sort(graph, path)) reader.Visit(node);
        return reader.Finish(graph);
    }

    /// <summary>The per-row dimensions of the input [batch, d1, d2, …]: all fixed and positive.</summary>
    private static long[] RowShape(ValueInfoProto input, string path)
    {
        TypeProto.Types.Tensor? tensor = input.Type?.TensorType;
        if (tensor is null || tensor.ElemType != (int)TensorProto.Types.DataType.Float)
            throw new OnnxImportException(path, $"The graph input '{input.Name}' is not a float tensor.");
        if (tensor.Shape is null || tensor.Shape.Dim.Count < 2)
            throw new OnnxImportException(path, $"The graph input '{input.Name}' has {(tensor.Shape is null ? "no shape" : $"rank {tensor.Shape.Dim.Count}")}; a network reads [batch, features].");
        long[] row = tensor.Shape.Dim.Skip(1).Select(d => d.HasDimValue ? d.DimValue : -1).ToArray();
        if (row.Any(d => d <= 0))
            throw new OnnxImportException(path, $"The graph input '{input.Name}' needs fixed positive sizes after the batch dimension, got [{string.Join(", ", row)}].");
        // The decoder's element bound (far below int.MaxValue) also bounds the features per row.
        OnnxTensorDecoder.ElementCount(row, path, $"Graph input '{input.Name}'");
        return row;
    }

    private int Width => (int)_rowShape.Aggregate(1L, (a, b) => a * b);

    private bool Flat => _rowShape.Length == 1;

    private void Visit(NodeProto node)
    {
        if (node.Domain is not ("" or "ai.onnx"))
            throw Unsupported(node, $"is in domain '{node.Domain}'");
        if (node.OpType == "Constant")
        {
            AddConstant(node);
            return;
        }
        if (node.Output.Count == 0 || node.Output[0].Length == 0)
            throw new OnnxImportException(_path, $"Node {Describe(node)} writes no tensor.");

        switch (node.OpType)
        {
            case "Gemm": Gemm(node); break;
            case "MatMul": MatMul(node); break;
            case "Add": Add(node); break;
            case "Softmax" or "LogSoftmax": ClassAxis(node); Nonlinearity(node, 0f); break;
            case "LeakyRelu": Nonlinearity(node, FloatAttribute(node, "alpha", 0.01f)); break;
            case var op when OnnxChain.HiddenActivations.ContainsKey(op): Nonlinearity(node, 0f); break;
            case var op when PassThrough.Contains(op): Reshaping(node); break;
            default: throw Unsupported(node, "is not supported");
        }
        _stream = node.Output[0];
    }

    private void AddConstant(NodeProto node)
    {
        AttributeProto? value = node.Attribute.FirstOrDefault(a => a.Name == "value");
        if (value?.T is null || node.Attribute.Count != 1 || node.Output.Count != 1)
            throw new OnnxImportException(_path, $"Constant node {Describe(node)} must hold one tensor in its 'value' attribute.");
        if (!_constants.TryAdd(node.Output[0], OnnxTensorDecoder.Decode(value.T, _path, $"Constant node '{node.Name}'")))
            throw new OnnxImportException(_path, $"Constant node {Describe(node)} writes '{node.Output[0]}', which is already an initializer.");
    }

    private void Gemm(NodeProto node)
    {
        if (IntAttribute(node, "transA", 0) != 0)
            throw Unsupported(node, "transposes its data input (transA = 1)");
        long transB = IntAttribute(node, "transB", 0);
        if (transB is not (0 or 1)) throw Unsupported(node, $"has transB = {transB}");
        float alpha = FloatAttribute(node, "alpha", 1f), beta = FloatAttribute(node, "beta", 1f);
        OnnxConstant weights = ReadsStreamThen(node, 2, 3)[0]!;
        OnnxLinear layer = StartLayer(node, weights, transposed: transB == 1, alpha);
        if (node.Input.Count == 3 && node.Input[2].Length > 0) AddBias(node, Constant(node, node.Input[2]), beta, layer);
    }

    private void MatMul(NodeProto node) => StartLayer(node, ReadsStreamThen(node, 2, 2)[0]!, transposed: false, 1f);

    private void Add(NodeProto node)
    {
        if (node.Input.Count != 2) throw new OnnxImportException(_path, $"Node {Describe(node)} needs two inputs.");
        int streamSide = node.Input[0] == _stream ? 0 : node.Input[1] == _stream ? 1 : -1;
        if (streamSide < 0) throw NotOnChain(node, node.Input.FirstOrDefault(i => !_constants.ContainsKey(i)) ?? node.Input[0]);
        if (_open is null)
            throw Unsupported(node, "adds to a tensor that is not the output of a MatMul or Gemm (only a layer's bias can be added)");
        AddBias(node, Constant(node, node.Input[1 - streamSide]), 1f, _open);
    }

    private void Nonlinearity(NodeProto node, float alpha)
    {
        ReadsStreamThen(node, 1, 1);
        if (_layers.Count == 0 || _after[^1] is not null)
            throw Unsupported(node, _layers.Count == 0 ? "comes before the first layer" : $"follows {_after[^1]!.Describe()} instead of a layer");
        _after[^1] = new OnnxNonlinearity(node.OpType, node.Name, alpha);
        _open = null;
    }

    private void ClassAxis(NodeProto node)
    {
        // The default axis is 1 before opset 13 and -1 from it; on the chain's [batch, classes] rows both are the class axis.
        long axis = IntAttribute(node, "axis", 1);
        if (axis is not (1 or -1)) throw Unsupported(node, $"normalises over axis {axis}; only the class axis (1 or -1) is supported");
    }

    /// <summary>Identity, Dropout (inference), Flatten and Reshape: each must keep rows as rows.</summary>
    private void Reshaping(NodeProto node)
    {
        switch (node.OpType)
        {
            case "Identity":
                ReadsStreamThen(node, 1, 1);
                break;
            case "Dropout":
                OnnxConstant?[] extra = ReadsStreamThen(node, 1, 3);
                if (extra.Length == 2 && extra[1] is { } training && (training.Booleans is null || training.Booleans.Any(b => b)))
                    throw Unsupported(node, "runs in training mode; only inference-mode Dropout (training_mode false) is an identity");
                break;
            case "Flatten":
                ReadsStreamThen(node, 1, 1);
                long axis = IntAttribute(node, "axis", 1);
                if (axis != 1) throw Unsupported(node, $"flattens from axis {axis}; only axis 1 keeps one row per example");
                _rowShape = new long[] { Width };
                break;
            default:
                OnnxConstant shape = ReadsStreamThen(node, 2, 2)[0]!;
                ReshapeRows(node, shape);
                break;
        }
        // The chain moves on; a layer still open (MatMul awaiting its Add) is closed by a reshape.
        _open = null;
    }

    private void ReshapeRows(NodeProto node, OnnxConstant shape)
    {
        long[]? target = shape.Int64s;
        bool keepsRows = target is { Length: 2 }
            && (target[0] == -1 || (target[0] == 0 && IntAttribute(node, "allowzero", 0) == 0))
            && (target[1] == -1 || target[1] == Width);
        if (!keepsRows)
            throw Unsupported(node, $"reshapes to {shape.ShapeText}{(target is null ? "" : " [" + string.Join(", ", target) + "]")}; only [-1, {Width}], [0, -1] and the like keep one row per example");
        _rowShape = new long[] { Width };
    }

    private OnnxLinear StartLayer(NodeProto node, OnnxConstant weights, bool transposed, float alpha)
    {
        if (!Flat)
            throw Unsupported(node, $"reads rows of shape [{string.Join(", ", _rowShape)}]; Flatten or Reshape them to [batch, features] first");
        if (_open is not null || (_layers.Count > 0 && _after[^1] is null))
            throw new OnnxImportException(_path, $"Node {Describe(node)} follows layer '{_layers[^1].Node}' without an activation between them; only " +
                $"{string.Join(", ", OnnxChain.HiddenActivations.Keys)} can join two layers.");
        if (weights.Floats is null || weights.Dims.Length != 2)
            throw new OnnxImportException(_path, $"Node {Describe(node)} needs a 2-D float weight matrix, but '{weights.Name}' is {weights.ShapeText}.");
        long rows = weights.Dims[0], columns = weights.Dims[1];
        long inputs = transposed ? columns : rows, outputs = transposed ? rows : columns;
        if (inputs != Width)
            throw new OnnxImportException(_path, $"Node {Describe(node)} multiplies {Width} values per row by weights '{weights.Name}' of shape {weights.ShapeText}{(transposed ? " (transposed)" : "")}, which expects {inputs}.");
        if (outputs <= 0) throw new OnnxImportException(_path, $"Node {Describe(node)} has weights '{weights.Name}' of shape {weights.ShapeText}, with no outputs.");

        int inSize = (int)inputs, outSize = (int)outputs;
        var dense = new float[weights.Floats.Length];
        for (int o = 0; o < outSize; o++)
            for (int i = 0; i < inSize; i++)
                dense[o * inSize + i] = alpha * (transposed ? weights.Floats[o * inSize + i] : weights.Floats[i * outSize + o]);
        var layer = new OnnxLinear(node.Name, inSize, outSize, dense, new float[outSize]);
        _layers.Add(layer);
        _after.Add(null);
        _open = layer;
        _rowShape = new long[] { outSize };
        return layer;
    }

    /// <summary>Adds <paramref name="scale"/> · the constant, broadcast to one value per output as Gemm and Add broadcast it.</summary>
    private void AddBias(NodeProto node, OnnxConstant bias, float scale, OnnxLinear layer)
    {
        long[] dims = bias.Dims.SkipWhile(d => d == 1).ToArray();
        bool perOutput = dims.Length == 1 && dims[0] == layer.Outputs, single = dims.Length == 0;
        if (bias.Floats is null || !(perOutput || single) || bias.Dims.Length > 2)
            throw new OnnxImportException(_path, $"Node {Describe(node)} adds '{bias.Name}' of shape {bias.ShapeText}; a layer of {layer.Outputs} outputs takes a float bias of shape [{layer.Outputs}], [1, {layer.Outputs}] or [1].");
        for (int o = 0; o < layer.Outputs; o++) layer.Bias[o] += scale * bias.Floats[single ? 0 : o];
    }

    /// <summary>Checks that input 0 is the chain's tensor and the others (within the counts) are constants; returns those.</summary>
    private OnnxConstant?[] ReadsStreamThen(NodeProto node, int minInputs, int maxInputs)
    {
        if (node.Input.Count < minInputs || node.Input.Count > maxInputs)
            throw new OnnxImportException(_path, $"Node {Describe(node)} has {node.Input.Count} inputs; expected {(minInputs == maxInputs ? minInputs.ToString() : $"{minInputs} to {maxInputs}")}.");
        if (node.Input[0] != _stream) throw NotOnChain(node, node.Input[0]);
        return node.Input.Skip(1).Select(name => name.Length == 0 ? null : Constant(node, name)).ToArray();
    }

    private OnnxConstant Constant(NodeProto node, string name) =>
        _constants.TryGetValue(name, out OnnxConstant? constant) ? constant : throw NotOnChain(node, name);

    private OnnxChain Finish(GraphProto graph)
    {
        if (_layers.Count == 0) throw new OnnxImportException(_path, "The graph has no Gemm or MatMul layer.");
        if (graph.Output.Count != 1)
            throw new OnnxImportException(_path, $"The graph has {graph.Output.Count} outputs; a network writes one score tensor.");
        if (graph.Output[0].Name != _stream)
            throw new OnnxImportException(_path, $"The graph output '{graph.Output[0].Name}' is not the end of the chain of layers ('{_stream}').");
        return new OnnxChain((int)_layers[0].Inputs, _layers, _after);
    }

    private OnnxImportException NotOnChain(NodeProto node, string tensor) => new(_path,
        $"Node {Describe(node)} reads '{tensor}', which is neither the chain's current tensor ('{_stream}') nor a constant; only a single chain of layers " +
        "(no branches or skip connections) can be imported.");

    private OnnxImportException Unsupported(NodeProto node, string what) => new(_path,
        $"Node {Describe(node)} {what}. Supported: Gemm, MatMul + Add, {string.Join(", ", OnnxChain.HiddenActivations.Keys)} between layers, " +
        $"{string.Join(", ", PassThrough)}, and a final {string.Join(", ", OnnxChain.FinalOperators)}.");

    private long IntAttribute(NodeProto node, string name, long fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.I : fallback;

    private static float FloatAttribute(NodeProto node, string name, float fallback) =>
        node.Attribute.FirstOrDefault(a => a.Name == name) is { } a ? a.F : fallback;
}
