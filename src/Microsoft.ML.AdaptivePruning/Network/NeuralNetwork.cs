using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A trained fully connected network: its spec, its layers (weights, biases, masks) and, for classification,
/// nothing else. This is the value every stage of the library receives and hands on.
/// </summary>
public sealed class NeuralNetwork
{
    /// <summary>Creates a network whose layers must match <paramref name="spec"/>.</summary>
    public NeuralNetwork(NetworkSpec spec, IReadOnlyList<DenseLayer> layers)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        if (layers is null) throw new ArgumentNullException(nameof(layers));
        if (layers.Count != spec.LayerCount)
            throw new ArgumentException($"Spec {spec} has {spec.LayerCount} weight layers, got {layers.Count}.", nameof(layers));
        for (int l = 0; l < layers.Count; l++)
        {
            if (layers[l].InputSize != spec.LayerInput(l) || layers[l].OutputSize != spec.LayerOutput(l))
                throw new ArgumentException($"Layer {l} is {layers[l].OutputSize}x{layers[l].InputSize}; spec {spec} needs {spec.LayerOutput(l)}x{spec.LayerInput(l)}.", nameof(layers));
        }
        Layers = layers.ToArray();
    }

    /// <summary>The shape of the network.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>Weight layers, input side first; the last one is the output layer.</summary>
    public IReadOnlyList<DenseLayer> Layers { get; }

    /// <summary>All weights and biases of the current shapes.</summary>
    public long ParameterCount => Layers.Sum(l => (long)l.ParameterCount);

    /// <summary>Weights and biases that are not zero.</summary>
    public long NonzeroParameterCount => Layers.Sum(l => (long)l.NonzeroParameterCount);

    /// <summary>Fraction of weights (not biases) that are zero.</summary>
    public double WeightSparsity
    {
        get
        {
            long total = Layers.Sum(l => (long)l.Weights.Length);
            long nonzero = Layers.Sum(l => (long)l.NonzeroWeightCount);
            return total == 0 ? 0 : 1.0 - (double)nonzero / total;
        }
    }

    /// <summary>
    /// Multiply-adds counted as two FLOPs, plus bias and activation, for one row through the dense layers as
    /// they execute (a masked weight still costs a multiply; removing neurons is what lowers this figure).
    /// </summary>
    public long FlopsPerRow => Layers.Sum(l => 2L * l.InputSize * l.OutputSize + 2L * l.OutputSize);

    /// <summary>FLOPs per row if only nonzero weights were multiplied (what a sparse kernel could reach).</summary>
    public long SparseFlopsPerRow => Layers.Sum(l => 2L * l.NonzeroWeightCount + 2L * l.OutputSize);

    /// <summary>A deep copy, masks included.</summary>
    public NeuralNetwork Clone() => new(Spec, Layers.Select(l => l.Clone()).ToArray());

    /// <summary>
    /// Raw outputs for one row: the logit (binary), the logits (multiclass) or the value (regression).
    /// A plain managed forward pass, used for checks and small batches.
    /// </summary>
    public float[] Forward(ReadOnlySpan<float> features)
    {
        if (features.Length != Spec.InputSize)
            throw new ArgumentException($"Expected {Spec.InputSize} features, got {features.Length}.", nameof(features));
        float[] current = features.ToArray();
        for (int l = 0; l < Layers.Count; l++)
        {
            DenseLayer layer = Layers[l];
            var next = new float[layer.OutputSize];
            for (int o = 0; o < layer.OutputSize; o++)
            {
                float sum = layer.Bias[o];
                int row = o * layer.InputSize;
                for (int i = 0; i < layer.InputSize; i++) sum += layer.Weights[row + i] * current[i];
                next[o] = l == Layers.Count - 1 ? sum : Activate(Spec.Activation, sum);
            }
            current = next;
        }
        return current;
    }

    /// <summary>The hidden-layer non-linearity applied to one value (shared by the forward pass and network surgery).</summary>
    internal static float Activate(Activation activation, float x) => activation switch
    {
        Activation.Relu => x > 0 ? x : 0,
        Activation.Tanh => MathF.Tanh(x),
        _ => throw new InvalidOperationException($"Unknown activation {activation}."),
    };
}
