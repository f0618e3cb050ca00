using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The ONNX form of every dense layer of one network, decided once for a graph to be written.</summary>
/// <remarks>
/// Why: <see cref="DenseOnnxFormRule"/> scans a layer's whole matrix, and one write needs its answer for the
/// <see cref="NonFiniteGuard"/> and again for the layer's nodes. A caller that writes many networks differing in one
/// layer (<see cref="LayerStorageChoice"/>) keeps the other layers' choices with <see cref="With"/>. Layers of other
/// kinds write their own nodes (<see cref="NetworkLayer.EmitOnnxLinear"/>) and have no choice here.
/// </remarks>
internal sealed class OnnxLayerForms
{
    private readonly DenseOnnxFormChoice?[] _choices;   // per layer; null for a layer that is not dense

    private OnnxLayerForms(DenseOnnxFormChoice?[] choices) => _choices = choices;

    /// <summary>Each dense layer's form by <see cref="DenseOnnxFormRule"/>.</summary>
    public static OnnxLayerForms Of(NeuralNetwork network)
        => new(network.Layers.Select(layer => layer is DenseLayer dense ? DenseOnnxFormRule.For(dense) : null).ToArray());

    /// <summary>These choices with layer <paramref name="index"/> replaced by <paramref name="layer"/> and its own form: the other layers are not scanned again.</summary>
    public OnnxLayerForms With(int index, NetworkLayer layer)
    {
        var choices = (DenseOnnxFormChoice?[])_choices.Clone();
        choices[index] = layer is DenseLayer dense ? DenseOnnxFormRule.For(dense) : null;
        return new OnnxLayerForms(choices);
    }

    /// <summary>The choice for layer <paramref name="index"/>; null when it is not a dense layer.</summary>
    public DenseOnnxFormChoice? this[int index] => _choices[index];

    /// <summary>Whether some layer is written in a form that skips weights, so the graph needs the <see cref="NonFiniteGuard"/>.</summary>
    public bool SkipWeights => _choices.Any(choice => choice is { SkipsWeights: true });

    /// <summary>Adds the linear part of <paramref name="network"/>'s layer <paramref name="index"/>, in its chosen form if it is dense.</summary>
    /// <exception cref="ArgumentException">These forms were decided for another network.</exception>
    public void EmitLinear(NeuralNetwork network, int index, OnnxGraphBuilder graph, OnnxLayerNames names, string input, string output)
    {
        if (_choices.Length != network.Layers.Count)
            throw new ArgumentException($"The forms were chosen for {_choices.Length} layers, but the network has {network.Layers.Count}.", nameof(network));
        NetworkLayer layer = network.Layers[index];
        DenseOnnxFormChoice? choice = _choices[index];
        if (choice is null && layer is not DenseLayer) layer.EmitOnnxLinear(graph, names, input, output);
        else if (choice is not null && ReferenceEquals(choice.Layer, layer)) choice.Emit(graph, names, input, output);
        else throw new ArgumentException($"The form of layer {index} was chosen for another layer than the network's.", nameof(network));
    }
}
