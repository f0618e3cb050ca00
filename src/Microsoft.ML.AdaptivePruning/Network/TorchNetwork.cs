using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The TorchSharp module for a <see cref="NeuralNetwork"/>: each layer's own module, with the spec's activation after
/// every hidden layer and before that layer's after-activation part. Weights move in from and back out to the managed
/// network, which stays the value the library passes around.
/// </summary>
internal sealed class TorchNetwork : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<TorchLayer> _layers;
    private readonly Activation _activation;

    public TorchNetwork(NeuralNetwork network, Device device) : base("AdaptivePruningNetwork")
    {
        _activation = network.Spec.Activation;
        _layers = new ModuleList<TorchLayer>();
        foreach (NetworkLayer layer in network.Layers) _layers.Add(layer.CreateTorchLayer());
        RegisterComponents();
        this.to(device);
    }

    /// <summary>Post-activation outputs of the hidden layers from the last forward pass, when recording (for unit importance).</summary>
    public List<Tensor>? RecordedActivations { get; set; }

    /// <summary>The layers' modules, input side first.</summary>
    public IList<TorchLayer> Layers => _layers;

    public override Tensor forward(Tensor input)
    {
        Tensor current = input;
        for (int l = 0; l < _layers.Count; l++)
        {
            Tensor next = _layers[l].forward(current);
            if (l < _layers.Count - 1)
            {
                next = ActivationFunctions.Apply(_activation, next);
                if (RecordedActivations is not null)
                {
                    next.retain_grad();
                    RecordedActivations.Add(next);
                }
                next = _layers[l].AfterActivation(next);
            }
            current = next;
        }
        return current;
    }

    /// <summary>Reads the module's weights back into a managed network with the given masks.</summary>
    public NeuralNetwork ToNetwork(NetworkSpec spec, IReadOnlyList<bool[]?> masks)
    {
        var layers = new NetworkLayer[_layers.Count];
        for (int l = 0; l < _layers.Count; l++) layers[l] = _layers[l].ToLayer(masks[l] is null ? null : (bool[])masks[l]!.Clone());
        return new NeuralNetwork(spec, layers);
    }
}
