using System;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Turns an ONNX file into a <see cref="NeuralNetwork"/> for a given task: parse (<see cref="OnnxModelReader"/>), reduce
/// the graph to its layers (<see cref="OnnxChainReader"/>), then fit the output layer and final operator to the task.
/// </summary>
/// <remarks>
/// The network's outputs are what this library's networks output: a logit (binary), logits (multiclass) or a value
/// (regression). A final operator is therefore dropped when the scoring chain applies its equivalent anyway: Sigmoid
/// for binary (Probability is the sigmoid of the logit), Softmax or LogSoftmax for multiclass (Score is the softmax).
/// A binary classifier exported with two softmax outputs becomes one logit z1 − z0, since softmax(z)[1] = σ(z1 − z0).
/// Any other final operator would change what the model predicts, so it is refused.
/// </remarks>
internal static class OnnxNetworkImport
{
    /// <summary>The network in the file at <paramref name="path"/>, for <paramref name="task"/> with <paramref name="classCount"/> classes (the label column named in messages).</summary>
    public static NeuralNetwork Read(string path, PruningTask task, int classCount, string labelColumnName)
    {
        OnnxChain chain = Chain(OnnxModelReader.ParseFile(path), path);
        return ToNetwork(chain, task, classCount, labelColumnName, message => new OnnxImportException(path, message));
    }

    /// <summary>The network <paramref name="chain"/> computes, fitted to the task; <paramref name="fail"/> makes the source's exception.</summary>
    public static NeuralNetwork ToNetwork(OnnxChain chain, PruningTask task, int classCount, string labelColumnName, Func<string, Exception> fail)
    {
        Activation activation = chain.HiddenActivation(fail);
        OnnxLinear[] layers = chain.Layers.ToArray();
        layers[^1] = FitOutput(chain, task, classCount, labelColumnName, fail);
        var spec = new NetworkSpec(task, chain.InputWidth, layers.SkipLast(1).Select(l => l.Outputs).ToArray(), layers[^1].Outputs, activation);
        return new NeuralNetwork(spec, layers.Select(l => (NetworkLayer)new DenseLayer(l.Inputs, l.Outputs, l.Weights, l.Bias)).ToArray());
    }

    /// <summary>
    /// The task the graph's output implies when it implies one: several outputs are classes (multiclass), one output
    /// through Sigmoid is a probability (binary); a single linear output could be a logit or a value, so null.
    /// </summary>
    public static PruningTask? ImpliedTask(string path)
    {
        OnnxChain chain = Chain(OnnxModelReader.ParseFile(path), path);
        return chain.Layers[^1].Outputs > 1 ? PruningTask.MulticlassClassification
            : chain.Final?.OpType == "Sigmoid" ? PruningTask.BinaryClassification
            : null;
    }

    /// <summary>
    /// The chain of <paramref name="model"/>. A file this library exported may write pruned layers in sparse forms
    /// (<see cref="DenseOnnxForm"/>) that no other exporter writes; the network reader knows them, so such a file is
    /// read there and becomes the same chain of dense layers. Every other file goes through the exporters' walk unchanged.
    /// </summary>
    private static OnnxChain Chain(ModelProto model, string path)
    {
        if (!OnnxNetworkReader.IsAdaptivePruningModel(model) || !model.Graph.Node.Any(n => n.OpType == "Gather"))
            return OnnxChainReader.Read(model, path);
        NeuralNetwork network;
        try
        {
            network = OnnxNetworkReader.Read(model);
        }
        catch (Exception e) when (e is FormatException or NotSupportedException)
        {
            throw new OnnxImportException(path, e.Message, e);
        }
        string activation = ActivationFunctions.OnnxOperator(network.Spec.Activation);
        float alpha = network.Spec.Activation == Activation.LeakyRelu ? ActivationFunctions.LeakyReluSlope : 0f;
        var layers = network.Layers.Select((l, i) => new OnnxLinear($"layer {i}", l.InputSize, l.OutputSize, l.Weights, l.Bias)).ToArray();
        var after = layers.Select((l, i) => i < layers.Length - 1 ? new OnnxNonlinearity(activation, $"activation {i}", alpha)
            : TaskStrategy.For(network.Spec.Task).OnnxSoftmax ? new OnnxNonlinearity("Softmax", "softmax") : null).ToArray();
        return new OnnxChain(network.Spec.InputSize, layers, after);
    }

    private static OnnxLinear FitOutput(OnnxChain chain, PruningTask task, int classCount, string label, Func<string, Exception> fail)
    {
        OnnxLinear output = chain.Layers[^1];
        string? final = chain.Final?.OpType;
        string ending = chain.Final is null ? $"the linear layer '{output.Node}'" : $"{chain.Final.Describe()}";
        bool softmax = final is "Softmax" or "LogSoftmax";
        switch (task)
        {
            case PruningTask.BinaryClassification when output.Outputs == 1 && final is (null or "Sigmoid"):
                return output;
            case PruningTask.BinaryClassification when output.Outputs == 2 && (final is null || softmax):
                return TwoClassLogit(output);
            case PruningTask.BinaryClassification:
                throw fail($"The Boolean label column '{label}' needs one output (a logit, optionally through Sigmoid) or two (optionally through Softmax), " +
                    $"but the graph ends with {ending} over {output.Outputs} outputs.");
            case PruningTask.MulticlassClassification when output.Outputs == classCount && (final is null || softmax):
                return output;
            case PruningTask.MulticlassClassification:
                throw fail($"The key-typed label column '{label}' has {classCount} classes, so the graph must end with {classCount} logits, optionally through " +
                    $"Softmax or LogSoftmax, but it ends with {ending} over {output.Outputs} outputs.");
            case PruningTask.Regression when output.Outputs == 1 && final is null:
                return output;
            default:
                throw fail($"The Single label column '{label}' needs one linear output, but the graph ends with {ending} over {output.Outputs} outputs.");
        }
    }

    /// <summary>The single logit of a two-class layer: row 1 minus row 0.</summary>
    private static OnnxLinear TwoClassLogit(OnnxLinear layer)
    {
        var weights = new float[layer.Inputs];
        for (int i = 0; i < weights.Length; i++) weights[i] = layer.Weights[layer.Inputs + i] - layer.Weights[i];
        return new OnnxLinear(layer.Node, layer.Inputs, 1, weights, new[] { layer.Bias[1] - layer.Bias[0] });
    }
}
