using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A trained network: its spec and its layers (weights, biases, masks). This is the value every stage of the library
/// receives and hands on.
/// </summary>
public sealed class NeuralNetwork
{
    /// <summary>Creates a network whose layers must match <paramref name="spec"/> and chain into each other.</summary>
    public NeuralNetwork(NetworkSpec spec, IReadOnlyList<NetworkLayer> layers)
    {
        Spec = spec ?? throw new ArgumentNullException(nameof(spec));
        if (layers is null) throw new ArgumentNullException(nameof(layers));
        if (layers.Count != spec.LayerCount)
            throw new ArgumentException($"Spec {spec} has {spec.LayerCount} weight layers, got {layers.Count}.", nameof(layers));
        for (int l = 0; l < layers.Count; l++)
        {
            NetworkLayer layer = layers[l] ?? throw new ArgumentException($"Layer {l} is null.", nameof(layers));
            int inputs = l == 0 ? spec.InputSize : layers[l - 1].OutputSize;
            if (layer.InputSize != inputs || layer.UnitCount != spec.LayerOutput(l) || (l > 0 && layer.InputChannelCount != layers[l - 1].UnitCount))
                throw new ArgumentException($"Layer {l} is {layer.Shape}; spec {spec} needs {spec.LayerOutput(l)}x{inputs}.", nameof(layers));
            if (spec.LayerKindMismatch(l, layer) is string mismatch) throw new ArgumentException(mismatch, nameof(layers));
        }
        if (layers[^1].OutputSize != spec.OutputSize)
            throw new ArgumentException($"The output layer writes {layers[^1].OutputSize} values; spec {spec} needs {spec.OutputSize}.", nameof(layers));
        Layers = layers.ToArray();
    }

    /// <summary>The shape of the network.</summary>
    public NetworkSpec Spec { get; }

    /// <summary>Weight layers, input side first; the last one is the output layer.</summary>
    public IReadOnlyList<NetworkLayer> Layers { get; }

    /// <summary>All weights and biases of the current shapes.</summary>
    public long ParameterCount => Layers.Sum(l => (long)l.ParameterCount);

    /// <summary>Weights and biases that are not zero.</summary>
    public long NonzeroParameterCount => Layers.Sum(l => (long)l.NonzeroParameterCount);

    /// <summary>Weights (not biases) of the current shapes.</summary>
    public long WeightCount => Layers.Sum(l => (long)l.Weights.Length);

    /// <summary>Weights (not biases) that are not zero.</summary>
    public long NonzeroWeightCount => Layers.Sum(l => (long)l.NonzeroWeightCount);

    /// <summary>Fraction of weights (not biases) that are zero.</summary>
    public double WeightSparsity
    {
        get
        {
            long total = WeightCount;
            return total == 0 ? 0 : 1.0 - (double)NonzeroWeightCount / total;
        }
    }

    /// <summary>
    /// FLOPs for one row through the layers as they execute densely (a masked weight still costs a multiply; removing
    /// units is what lowers this figure). Each layer kind counts its own (<see cref="NetworkLayer.FlopsPerRow"/>).
    /// </summary>
    public long FlopsPerRow => Layers.Sum(l => l.FlopsPerRow);

    /// <summary>FLOPs per row if only nonzero weights were multiplied (what a sparse kernel could reach).</summary>
    public long SparseFlopsPerRow => Layers.Sum(l => l.SparseFlopsPerRow);

    /// <summary>Bytes the parameters take stored densely, as each layer kind counts them.</summary>
    public long ParameterBytes => Layers.Sum(l => l.ParameterBytes);

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
            NetworkLayer layer = Layers[l];
            var linear = new float[layer.LinearOutputSize];
            layer.ForwardLinear(current, linear);
            if (l == Layers.Count - 1) return linear;
            ActivationFunctions.Apply(Spec.Activation, linear);
            current = new float[layer.OutputSize];
            layer.ForwardAfterActivation(linear, current);
        }
        return current;
    }
}
