using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Reads a network back out of an ONNX graph: follows the tensor from the graph's input through its convolution blocks
/// (read by <see cref="ConvolutionOnnxReader"/>), then Gemm layers (or a float layer's sparse forms, read by
/// <see cref="DenseOnnxFormReader"/>), their activation and the task's final operator, taking the weights from the
/// initializers.
/// </summary>
/// <remarks>
/// It reads the graphs <see cref="OnnxModelWriter"/> writes (either <see cref="OnnxLayout"/>) and any graph of the same
/// shape, so importing a foreign model (issue J) can start here: the walk knows the operators, not our names.
/// Other reshapes are skipped because every layer reads and writes flat rows. Masks are not stored in ONNX; a pruned weight
/// comes back as an exact zero, which is all the engine and the writer need.
/// </remarks>
internal static class OnnxNetworkReader
{
    /// <summary>True when the model carries this library's spec in its metadata: a network the library wrote.</summary>
    public static bool IsAdaptivePruningModel(ModelProto model)
        => model.MetadataProps.Any(p => p.Key == ScoringNames.SpecMetadataKey);

    /// <summary>The network of a model this library wrote: task and spec from the metadata, checked against the graph.</summary>
    /// <exception cref="FormatException">The metadata is missing or names an unknown task, or the graph does not match the spec.</exception>
    public static NeuralNetwork Read(ModelProto model)
    {
        if (model is null) throw new ArgumentNullException(nameof(model));
        string? task = Metadata(model, ScoringNames.TaskMetadataKey);
        string? spec = Metadata(model, ScoringNames.SpecMetadataKey);
        if (task is null || spec is null)
            throw new FormatException($"The ONNX model has no '{ScoringNames.TaskMetadataKey}' and '{ScoringNames.SpecMetadataKey}' metadata: it was not written by Microsoft.ML.AdaptivePruning.");
        if (!Enum.TryParse(task, out PruningTask parsed) || !Enum.IsDefined(parsed))
            throw new FormatException($"The ONNX model's '{ScoringNames.TaskMetadataKey}' metadata is '{task}', which is not a task.");
        NeuralNetwork network = Read(model, parsed);
        if (network.Spec.ToString() != spec)
            throw new FormatException($"The ONNX graph holds a {network.Spec} network, but its '{ScoringNames.SpecMetadataKey}' metadata says {spec}.");
        return network;
    }

    /// <summary>The network the graph computes, for <paramref name="task"/>.</summary>
    /// <exception cref="FormatException">The graph is not a chain of convolutions and Gemm layers with one activation, or uses an operator this reader does not know.</exception>
    public static NeuralNetwork Read(ModelProto model, PruningTask task)
    {
        if (model is null) throw new ArgumentNullException(nameof(model));
        GraphProto graph = model.Graph ?? throw new FormatException("The ONNX model has no graph.");
        var initializers = graph.Initializer.ToDictionary(t => t.Name, StringComparer.Ordinal);
        List<ValueInfoProto> inputs = graph.Input.Where(i => !initializers.ContainsKey(i.Name)).ToList();
        if (inputs.Count != 1) throw new FormatException($"The ONNX graph has {inputs.Count} inputs besides its initializers; a network reads one.");
        if (graph.Output.Count != 1) throw new FormatException($"The ONNX graph has {graph.Output.Count} outputs; a network writes one.");
        var producers = graph.Node.SelectMany(n => n.Output.Select(o => (o, n))).GroupBy(p => p.o, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First().n, StringComparer.Ordinal);
        ILookup<string, NodeProto> consumers = graph.Node.SelectMany(n => n.Input.Select(i => (i, n))).ToLookup(p => p.i, p => p.n, StringComparer.Ordinal);

        var layers = new List<NetworkLayer>();
        Activation? activation = null;
        bool softmax = false;
        string current = inputs[0].Name;
        // The non-finite guard reads the row beside the first layer and is added back after the last (NonFiniteGuard).
        var guards = new HashSet<string>(StringComparer.Ordinal);
        while (current != graph.Output[0].Name)
        {
            foreach (NodeProto check in consumers[current].Where(n => NonFiniteGuard.IsCheck(n, initializers))) guards.Add(check.Output[0]);
            List<NodeProto> next = consumers[current].Where(n => !NonFiniteGuard.IsCheck(n, initializers)).ToList();
            if (next.Count != 1) throw new FormatException($"The ONNX tensor '{current}' is read by {next.Count} nodes; a network is a chain.");
            NodeProto node = next[0];
            if (softmax && node.OpType != "Reshape")
                throw new FormatException($"The ONNX node '{node.Name}' ({node.OpType}) follows the Softmax; only a reshape may.");
            switch (node.OpType)
            {
                case "Reshape" when ConvolutionOnnxReader.StartsBlock(node, consumers):
                    if (layers.Count > 0 && (activation is null || layers[^1] is DenseLayer))
                        throw new FormatException($"The ONNX Reshape '{node.Name}' starts a convolution after {(activation is null ? "another layer without an activation between them" : "a dense layer; convolutions come first")}.");
                    ConvolutionOnnxReader.Block block = ConvolutionOnnxReader.Read(node, layers.Count == 0 ? InputWidth(inputs[0]) : layers[^1].OutputSize, consumers, initializers);
                    activation = SameActivation(block.Activation, activation);
                    layers.Add(block.Layer);
                    node = block.Last;
                    break;
                case "Reshape":
                    break;
                case "Conv" or "MaxPool":
                    throw new FormatException($"The ONNX node '{node.Name}' is a {node.OpType} outside a convolution block (Reshape to [-1, C, H, W], Conv, activation, optional MaxPool, Flatten).");
                case "Gemm":
                    if (layers.Count > 0 && activation is null)
                        throw new FormatException($"The ONNX Gemm '{node.Name}' follows another without an activation between them.");
                    layers.Add(Dense(node, initializers, producers, layers.Count == 0 ? null : layers[^1].OutputSize));
                    break;
                case "Gather":
                    // A float dense layer in a sparse form (DenseOnnxForm): it starts by gathering its input's columns.
                    if (layers.Count > 0 && activation is null)
                        throw new FormatException($"The ONNX Gather '{node.Name}' starts a layer that follows another without an activation between them.");
                    (DenseLayer sparse, node) = DenseOnnxFormReader.Read(node, layers.Count == 0 ? InputWidth(inputs[0]) : layers[^1].OutputSize,
                        consumers, initializers, gemm => Dense(gemm, initializers, producers, expectedInputs: null));
                    layers.Add(sparse);
                    break;
                case "Softmax":
                    softmax = true;
                    break;
                case "Add" when node.Input.Count == 2 && guards.Contains(node.Input[1]) && layers.Count > 0:
                    break;
                default:
                    activation = SameActivation(node, activation);
                    break;
            }
            current = node.Output.Count == 1 ? node.Output[0] : throw new FormatException($"The ONNX node '{node.Name}' has {node.Output.Count} outputs.");
        }

        if (layers.Count == 0) throw new FormatException("The ONNX graph holds no Gemm layer.");
        if (softmax != TaskStrategy.For(task).OnnxSoftmax)
            throw new FormatException($"A {task} network {(softmax ? "does not end" : "ends")} with a Softmax, but the ONNX graph {(softmax ? "does" : "does not")}.");
        if (layers[^1] is not DenseLayer) throw new FormatException("The ONNX graph ends with a convolution; a network's output layer is a Gemm.");
        Conv2dLayer[] convolutions = layers.OfType<Conv2dLayer>().ToArray();
        var hidden = layers.Skip(convolutions.Length).SkipLast(1).Select(l => l.OutputSize).ToArray();
        int[]? image = convolutions.Length == 0 ? null : new[] { convolutions[0].InputChannels, convolutions[0].InputHeight, convolutions[0].InputWidth };
        var spec = new NetworkSpec(task, layers[0].InputSize, hidden, layers[^1].OutputSize, activation ?? Activation.Relu,
            image, convolutions.Select(c => c.Sizes.Layer).ToArray());
        // The first dense layer's channels are the last convolution's filters, each a block of its pooled image.
        if (convolutions.Length > 0) layers[convolutions.Length] = ((DenseLayer)layers[convolutions.Length]).WithInputChannelWidth(spec.InputChannelWidth(convolutions.Length));
        try
        {
            return new NeuralNetwork(spec, layers);
        }
        catch (ArgumentException e)
        {
            // Two convolutions whose Reshape reads the first one's channels as other image sizes.
            throw new FormatException($"The ONNX graph's layers do not chain as a {spec} network: {e.Message}", e);
        }
    }

    /// <summary>The values per row of the graph's input: its last dimension ([inputs], or [N, inputs]).</summary>
    private static int InputWidth(ValueInfoProto input)
    {
        var dims = input.Type?.TensorType?.Shape?.Dim;
        long width = dims is { Count: > 0 } ? dims[dims.Count - 1].DimValue : 0;
        return width is > 0 and <= int.MaxValue ? (int)width
            : throw new FormatException($"The ONNX graph input '{input.Name}' has no fixed width, which a layer that gathers its columns needs.");
    }

    /// <summary>A Gemm as a dense layer: Y = X·Wᵀ + b (transB = 1, our layout) or X·W + b (transB = 0, transposed on read).</summary>
    private static DenseLayer Dense(NodeProto gemm, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers, int? expectedInputs)
    {
        string name = gemm.Name;
        foreach (AttributeProto attribute in gemm.Attribute)
        {
            bool identity = attribute.Name switch
            {
                "transB" => true,
                "transA" => attribute.I == 0,
                "alpha" or "beta" => attribute.F == 1f,
                _ => false,
            };
            if (!identity) throw new FormatException($"The ONNX Gemm '{name}' sets {attribute.Name}, which a dense layer does not have.");
        }
        if (gemm.Input.Count != 3) throw new FormatException($"The ONNX Gemm '{name}' has {gemm.Input.Count} inputs; a dense layer has input, weights and bias.");
        bool transB = gemm.Attribute.Any(a => a.Name == "transB" && a.I == 1);
        if (Int8WeightReader.IsQuantized(gemm.Input[1], producers)) return QuantizedDense(gemm, transB, initializers, producers, expectedInputs);
        float[] weights = Floats(Initializer(gemm.Input[1], name, initializers), out long[] wDims);
        float[] bias = Floats(Initializer(gemm.Input[2], name, initializers), out long[] bDims);
        if (wDims.Length != 2) throw new FormatException($"The weights of ONNX Gemm '{name}' have {wDims.Length} dimensions; 2 were expected.");
        int units = checked((int)(transB ? wDims[0] : wDims[1]));
        int inputs = checked((int)(transB ? wDims[1] : wDims[0]));
        if (bDims.Length != 1 || bDims[0] != units)
            throw new FormatException($"The bias of ONNX Gemm '{name}' has shape [{string.Join(", ", bDims)}]; [{units}] was expected.");
        if (expectedInputs is int previous && previous != inputs)
            throw new FormatException($"The ONNX Gemm '{name}' reads {inputs} values, but the layer before writes {previous}.");
        if (!transB) weights = Transpose(weights, inputs, units);
        return new DenseLayer(inputs, units, weights, bias);
    }

    /// <summary>A Gemm whose weights are int8 (see <see cref="Int8WeightStorage"/>): the layer keeps the dequantized values and the scales.</summary>
    private static DenseLayer QuantizedDense(NodeProto gemm, bool transB, Dictionary<string, TensorProto> initializers, Dictionary<string, NodeProto> producers, int? expectedInputs)
    {
        if (!transB) throw new FormatException($"The ONNX Gemm '{gemm.Name}' reads int8 weights without transB = 1; they are stored [units, inputs].");
        Int8WeightStorage storage = Int8WeightReader.Read(gemm.Input[1], producers, initializers);
        float[] bias = Floats(Initializer(gemm.Input[2], gemm.Name, initializers), out long[] bDims);
        if (bDims.Length != 1 || bDims[0] != storage.Units)
            throw new FormatException($"The bias of ONNX Gemm '{gemm.Name}' has shape [{string.Join(", ", bDims)}]; [{storage.Units}] was expected.");
        if (expectedInputs is int previous && previous != storage.Inputs)
            throw new FormatException($"The ONNX Gemm '{gemm.Name}' reads {storage.Inputs} values, but the layer before writes {previous}.");
        var layer = new DenseLayer(storage.Inputs, storage.Units, storage.Dequantize(), bias);
        layer.AttachQuantization(new LayerQuantization(WeightQuantization.Int8, storage.Scales, storage.Bits));
        return layer;
    }

    /// <summary>The float values of an initializer, decoded by the import's checked decoder (shape against bytes first).</summary>
    private static float[] Floats(TensorProto tensor, out long[] dims)
    {
        OnnxConstant constant = OnnxTensorDecoder.Decode(tensor, "saved model", "initializer");
        dims = constant.Dims;
        return constant.Floats ?? throw new FormatException($"The ONNX initializer '{tensor.Name}' is not a float tensor.");
    }

    private static TensorProto Initializer(string tensor, string node, Dictionary<string, TensorProto> initializers)
        => initializers.TryGetValue(tensor, out TensorProto? value) ? value
            : throw new FormatException($"The ONNX node '{node}' reads '{tensor}', which is not an initializer.");

    private static float[] Transpose(float[] rowMajor, int rows, int columns)
    {
        var result = new float[rowMajor.Length];
        for (int r = 0; r < rows; r++)
            for (int c = 0; c < columns; c++) result[c * rows + r] = rowMajor[r * columns + c];
        return result;
    }

    /// <summary>The activation <paramref name="node"/> applies, which must be the one earlier layers use.</summary>
    private static Activation SameActivation(NodeProto node, Activation? earlier)
    {
        Activation found = ActivationOf(node);
        if (earlier is not null && earlier != found)
            throw new FormatException($"The ONNX node '{node.Name}' applies {found}, but earlier layers use {earlier}; a network has one activation.");
        return found;
    }

    private static Activation ActivationOf(NodeProto node)
    {
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            if (ActivationFunctions.OnnxOperator(activation) == node.OpType) return activation;
        }
        throw new FormatException($"The ONNX node '{node.Name}' is a {node.OpType}, which is not an operator of a fully connected network.");
    }

    private static string? Metadata(ModelProto model, string key)
        => model.MetadataProps.LastOrDefault(p => p.Key == key)?.Value;
}
