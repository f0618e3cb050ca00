using System;
using System.Collections.Generic;
using System.Globalization;
using Google.Protobuf;
using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Encodes a <see cref="NeuralNetwork"/> as an ONNX model through <see cref="OnnxGraphBuilder"/>: one Gemm per layer
/// (weights kept in their [out, in] layout, transB = 1), Relu or Tanh after every hidden layer, and for multiclass a
/// Softmax over the class axis. <see cref="OnnxLayout"/> picks batched or single-row tensor shapes.
/// </summary>
internal static class OnnxModelWriter
{
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

        return Graph(network, inputName, output, layout)
            .ToModel($"{network.Spec.Task} network {network.Spec}", metadata)
            .ToByteArray();
    }

    private static OnnxGraphBuilder Graph(NeuralNetwork network, string inputName, string output, OnnxLayout layout)
    {
        NetworkSpec spec = network.Spec;
        bool singleRow = layout == OnnxLayout.SingleRow;
        var graph = new OnnxGraphBuilder("AdaptivePruningNetwork");
        string current = inputName;
        if (singleRow)
        {
            graph.AddInt64Initializer(Prefix + "RowShape", new long[] { 1, -1 }, 2)
                .AddNode("Reshape", Prefix + "ToBatch", new[] { inputName, Prefix + "RowShape" }, new[] { Prefix + "Batch" });
            current = Prefix + "Batch";
        }

        bool multiclass = TaskStrategy.For(spec.Task).OnnxSoftmax;
        string batchedOutput = singleRow ? Prefix + "BatchOutput" : output;
        int last = network.Layers.Count - 1;
        for (int l = 0; l <= last; l++)
        {
            NetworkLayer layer = network.Layers[l];
            string weights = Name("W", l), bias = Name("B", l);
            graph.AddFloatInitializer(weights, layer.Weights, layer.OutputSize, layer.InputSize)
                .AddFloatInitializer(bias, layer.Bias, layer.OutputSize);

            string linear = l < last ? Name("Z", l) : multiclass ? ScoringNames.Logits : batchedOutput;
            graph.AddNode("Gemm", Name("Gemm", l), new[] { current, weights, bias }, new[] { linear }, IntAttribute("transB", 1));
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
                graph.AddNode(op, Name(op, l), new[] { current }, new[] { activated });
                current = activated;
            }
        }

        if (multiclass)
            graph.AddNode("Softmax", Prefix + "Softmax", new[] { current }, new[] { batchedOutput }, IntAttribute("axis", 1));
        if (singleRow)
        {
            graph.AddInt64Initializer(Prefix + "FlatShape", new long[] { -1 }, 1)
                .AddNode("Reshape", Prefix + "FromBatch", new[] { batchedOutput, Prefix + "FlatShape" }, new[] { output });
        }

        return graph.AddInput(inputName, Shape(spec.InputSize, singleRow))
            .AddOutput(output, Shape(spec.OutputSize, singleRow));
    }

    private static string Name(string kind, int layer) => Prefix + kind + layer.ToString(CultureInfo.InvariantCulture);

    /// <summary>[N, width], or [width] for a single row.</summary>
    private static Onnx.Proto.TensorShapeProto.Types.Dimension[] Shape(int width, bool singleRow) => singleRow
        ? new[] { FixedDimension(width) }
        : new[] { SymbolicDimension(BatchDimension), FixedDimension(width) };
}
