using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One fully connected layer read from an ONNX graph: weights row-major [outputs, inputs] and one bias per output.</summary>
internal sealed class OnnxLinear
{
    public OnnxLinear(string node, int inputs, int outputs, float[] weights, float[] bias)
    {
        Node = node;
        Inputs = inputs;
        Outputs = outputs;
        Weights = weights;
        Bias = bias;
    }

    /// <summary>The node (Gemm or MatMul) the layer came from, for messages.</summary>
    public string Node { get; }

    public int Inputs { get; }

    public int Outputs { get; }

    public float[] Weights { get; }

    /// <summary>The bias; an Add after a MatMul adds into it.</summary>
    public float[] Bias { get; }
}

/// <summary>A non-linearity read from an ONNX graph: its operator type, the node, and the slope of a LeakyRelu.</summary>
internal sealed record OnnxNonlinearity(string OpType, string Node, float Alpha = 0f)
{
    public string Describe() => $"'{Node}' ({OpType})";
}

/// <summary>
/// A feed-forward graph reduced to what it computes: linear layers, with the non-linearity after each. Reading the
/// graph (<see cref="OnnxChainReader"/>) and fitting the result to a task (<see cref="OnnxNetworkImport"/>) are apart,
/// so the structural rules live in one place: every hidden layer uses the same activation, and the last layer is
/// linear with at most one final operator after it.
/// </summary>
internal sealed class OnnxChain
{
    /// <summary>The operators that may follow a hidden layer, with the activation each becomes.</summary>
    public static readonly IReadOnlyDictionary<string, Activation> HiddenActivations = new Dictionary<string, Activation>(StringComparer.Ordinal)
    {
        ["Relu"] = Activation.Relu,
        ["Tanh"] = Activation.Tanh,
        ["Sigmoid"] = Activation.Sigmoid,
        ["LeakyRelu"] = Activation.LeakyRelu,
    };

    /// <summary>The operators that may end the graph after the output layer.</summary>
    public static readonly IReadOnlyList<string> FinalOperators = new[] { "Softmax", "LogSoftmax", "Sigmoid" };

    public OnnxChain(int inputWidth, IReadOnlyList<OnnxLinear> layers, IReadOnlyList<OnnxNonlinearity?> after)
    {
        InputWidth = inputWidth;
        Layers = layers;
        After = after;
    }

    /// <summary>Features per row the graph reads.</summary>
    public int InputWidth { get; }

    /// <summary>The linear layers, input side first.</summary>
    public IReadOnlyList<OnnxLinear> Layers { get; }

    /// <summary>The non-linearity after each layer (null for none); for the last layer, the final operator.</summary>
    public IReadOnlyList<OnnxNonlinearity?> After { get; }

    /// <summary>The operator after the output layer, or null when the graph ends with the linear layer.</summary>
    public OnnxNonlinearity? Final => After[^1];

    /// <summary>The one activation every hidden layer uses (Relu for a network without hidden layers); <paramref name="fail"/> makes the source's exception.</summary>
    public Activation HiddenActivation(Func<string, Exception> fail)
    {
        var hidden = new List<OnnxNonlinearity>();
        for (int l = 0; l < Layers.Count - 1; l++)
        {
            OnnxNonlinearity? op = After[l]
                ?? throw fail($"Layers '{Layers[l].Node}' and '{Layers[l + 1].Node}' follow each other without an activation between them; only " +
                    $"{string.Join(", ", HiddenActivations.Keys)} can join two layers.");
            if (!HiddenActivations.ContainsKey(op.OpType))
                throw fail($"Node {op.Describe()} follows hidden layer '{Layers[l].Node}'; a hidden layer is followed by one of {string.Join(", ", HiddenActivations.Keys)}.");
            if (op.OpType == "LeakyRelu" && op.Alpha != ActivationFunctions.LeakyReluSlope)
                throw fail($"Node {op.Describe()} has alpha {op.Alpha}; only the default slope {ActivationFunctions.LeakyReluSlope} is supported.");
            hidden.Add(op);
        }
        if (hidden.Count == 0) return AdaptivePruningDefaults.Activation;
        if (hidden.Select(h => h.OpType).Distinct().Count() > 1)
            throw fail("The hidden layers use different activations (" + string.Join(", ", hidden.Select(h => h.Describe())) +
                "); a network here has one activation for all hidden layers.");
        return HiddenActivations[hidden[0].OpType];
    }
}
