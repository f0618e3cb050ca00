using System;
using System.Collections.Generic;
using System.Globalization;
using Google.Protobuf;
using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Encodes a <see cref="NeuralNetwork"/> as an ONNX model through <see cref="OnnxGraphBuilder"/>: each layer writes its own
/// nodes (a dense layer one Gemm), the activation follows every hidden layer, and the task adds its final operator (a
/// Softmax over the class axis for multiclass). <see cref="OnnxLayout"/> picks batched or single-row tensor shapes.
/// </summary>
internal static class OnnxModelWriter
{
    private const string BatchDimension = "N";
    internal const string Prefix = "AdaptivePruning.";

    /// <summary>The graph output: <see cref="ScoringNames.RawScore"/> (one value per row), or for multiclass "Score" (K softmax probabilities per row).</summary>
    public static string OutputName(PruningTask task) =>
        TaskStrategy.For(task).OnnxOutputName;

    /// <summary>Encodes <paramref name="network"/> with the graph input named <paramref name="inputName"/> and the given metadata_props.</summary>
    /// <param name="forms">Each dense layer's form, if the caller has decided them already (<see cref="OnnxLayerForms.Of"/> otherwise).</param>
    public static byte[] Write(NeuralNetwork network, string inputName, IReadOnlyDictionary<string, string> metadata, OnnxLayout layout, OnnxLayerForms? forms = null)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (string.IsNullOrEmpty(inputName)) throw new ArgumentException("The ONNX input needs a name.", nameof(inputName));
        if (metadata is null) throw new ArgumentNullException(nameof(metadata));
        string output = OutputName(network.Spec.Task);
        if (inputName == output || inputName.StartsWith(Prefix, StringComparison.Ordinal))
            throw new ArgumentException($"The feature column '{inputName}' clashes with a name the ONNX graph uses for its own tensors; rename the column.", nameof(inputName));

        return Graph(network, forms ?? OnnxLayerForms.Of(network), inputName, output, layout)
            .ToModel($"{network.Spec.Task} network {network.Spec}", metadata)
            .ToByteArray();
    }

    private static OnnxGraphBuilder Graph(NeuralNetwork network, OnnxLayerForms forms, string inputName, string output, OnnxLayout layout)
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
        string? guard = NonFiniteGuard.IsNeeded(forms) ? NonFiniteGuard.Emit(graph, Prefix, current, spec.InputSize) : null;
        int last = network.Layers.Count - 1;
        for (int l = 0; l <= last; l++)
        {
            var names = new OnnxLayerNames(Prefix, l);
            string linear = l < last ? names.Of("Z") : multiclass ? ScoringNames.Logits : batchedOutput;
            if (l == last && guard is not null)
            {
                forms.EmitLinear(network, l, graph, names, current, Prefix + "Unguarded");
                NonFiniteGuard.Apply(graph, Prefix, guard, Prefix + "Unguarded", linear);
            }
            else
            {
                forms.EmitLinear(network, l, graph, names, current, linear);
            }
            current = linear;
            if (l < last)
            {
                string op = ActivationFunctions.OnnxOperator(spec.Activation);
                string activated = names.Of("H");
                graph.AddNode(op, names.Of(op), new[] { current }, new[] { activated });
                current = network.Layers[l].EmitOnnxAfterActivation(graph, names, activated);
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

    /// <summary>[N, width], or [width] for a single row.</summary>
    private static Onnx.Proto.TensorShapeProto.Types.Dimension[] Shape(int width, bool singleRow) => singleRow
        ? new[] { FixedDimension(width) }
        : new[] { SymbolicDimension(BatchDimension), FixedDimension(width) };
}
