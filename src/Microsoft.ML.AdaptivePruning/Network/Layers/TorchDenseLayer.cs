using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A <see cref="DenseLayer"/> as a TorchSharp <c>Linear</c> module (weight [out, in], as the managed layout).</summary>
internal sealed class TorchDenseLayer : TorchLayer
{
    private readonly Linear _linear;
    private readonly int _inputs, _outputs, _inputChannelWidth;

    public TorchDenseLayer(DenseLayer layer) : base("Dense")
    {
        _inputs = layer.InputSize;
        _outputs = layer.OutputSize;
        _inputChannelWidth = layer.InputChannelWidth;
        _linear = nn.Linear(_inputs, _outputs, hasBias: true);
        RegisterComponents();
        Load(layer);
    }

    public override Parameter Weight => _linear.weight!;

    public override Parameter Bias => _linear.bias!;

    // A dense layer after a multi-dimensional one reads its input flattened, as ONNX's Flatten does.
    public override Tensor forward(Tensor input)
    {
        Tensor flat = input.dim() > 2 ? input.flatten(1) : input;
        if (!FakeQuantize) return _linear.forward(flat);
        using Tensor weight = ForwardWeight();
        return nn.functional.linear(flat, weight, Bias);
    }

    public override void Load(NetworkLayer layer)
    {
        using var noGrad = torch.no_grad();
        using Tensor weights = torch.tensor(layer.Weights, new long[] { _outputs, _inputs });
        using Tensor bias = torch.tensor(layer.Bias, new long[] { _outputs });
        Weight.copy_(weights);
        Bias.copy_(bias);
    }

    public override NetworkLayer ToLayer(bool[]? mask)
    {
        float[] weights = Weight.detach().cpu().data<float>().ToArray();
        float[] bias = Bias.detach().cpu().data<float>().ToArray();
        return new DenseLayer(_inputs, _outputs, weights, bias, mask, _inputChannelWidth);
    }
}
