using System;
using System.Collections.Generic;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The TorchSharp module for a <see cref="NeuralNetwork"/>: linear layers with the spec's activation between them.
/// Weights move in from and back out to the managed network, which stays the value the library passes around.
/// </summary>
internal sealed class TorchMlp : nn.Module<Tensor, Tensor>
{
    private readonly ModuleList<Linear> _layers;
    private readonly Activation _activation;

    public TorchMlp(NeuralNetwork network, Device device) : base("AdaptivePruningMlp")
    {
        _activation = network.Spec.Activation;
        _layers = new ModuleList<Linear>();
        foreach (DenseLayer layer in network.Layers)
            _layers.Add(nn.Linear(layer.InputSize, layer.OutputSize, hasBias: true));
        RegisterComponents();
        LoadWeights(network);
        this.to(device);
    }

    /// <summary>Post-activation outputs of the hidden layers from the last forward pass, when recording (for unit importance).</summary>
    public List<Tensor>? RecordedActivations { get; set; }

    public IList<Linear> Layers => _layers;

    public override Tensor forward(Tensor input)
    {
        Tensor current = input;
        for (int l = 0; l < _layers.Count; l++)
        {
            Tensor next = _layers[l].forward(current);
            if (l < _layers.Count - 1)
            {
                next = _activation == Activation.Relu ? nn.functional.relu(next) : torch.tanh(next);
                if (RecordedActivations is not null)
                {
                    next.retain_grad();
                    RecordedActivations.Add(next);
                }
            }
            current = next;
        }
        return current;
    }

    /// <summary>Copies the managed network's weights and biases into the module.</summary>
    public void LoadWeights(NeuralNetwork network)
    {
        using var noGrad = torch.no_grad();
        for (int l = 0; l < _layers.Count; l++)
        {
            DenseLayer layer = network.Layers[l];
            Linear linear = _layers[l];
            using Tensor weights = torch.tensor(layer.Weights, new long[] { layer.OutputSize, layer.InputSize });
            using Tensor bias = torch.tensor(layer.Bias, new long[] { layer.OutputSize });
            linear.weight!.copy_(weights);
            linear.bias!.copy_(bias);
        }
    }

    /// <summary>Reads the module's weights back into a managed network with the given masks.</summary>
    public NeuralNetwork ToNetwork(NetworkSpec spec, IReadOnlyList<bool[]?> masks)
    {
        var layers = new DenseLayer[_layers.Count];
        for (int l = 0; l < _layers.Count; l++)
        {
            Linear linear = _layers[l];
            float[] weights = linear.weight!.detach().cpu().data<float>().ToArray();
            float[] bias = linear.bias!.detach().cpu().data<float>().ToArray();
            layers[l] = new DenseLayer(spec.LayerInput(l), spec.LayerOutput(l), weights, bias, masks[l] is null ? null : (bool[])masks[l]!.Clone());
        }
        return new NeuralNetwork(spec, layers);
    }
}
