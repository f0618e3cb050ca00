using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A <see cref="Conv2dLayer"/> as a TorchSharp <c>Conv2d</c> (weight [F, C, K, K], as the managed layout), with max pooling after the activation.</summary>
internal sealed class TorchConv2dLayer : TorchLayer
{
    private readonly Conv2d _convolution;
    private readonly ConvolutionGeometry _geometry;

    public TorchConv2dLayer(Conv2dLayer layer) : base("Conv2d")
    {
        _geometry = layer.Sizes;
        _convolution = nn.Conv2d(_geometry.InputChannels, _geometry.Filters, _geometry.KernelSize,
            stride: _geometry.Stride, padding: _geometry.Padding, bias: true);
        RegisterComponents();
        Load(layer);
    }

    public override Parameter Weight => _convolution.weight!;

    public override Parameter Bias => _convolution.bias!;

    // Rows arrive flat from the input ([N, C·H·W]) and as images from a convolution before ([N, C, H, W]).
    public override Tensor forward(Tensor input) => _convolution.forward(input.dim() == 2
        ? input.reshape(input.shape[0], _geometry.InputChannels, _geometry.InputHeight, _geometry.InputWidth)
        : input);

    public override Tensor AfterActivation(Tensor activated) => _geometry.PoolSize == 1
        ? activated
        : nn.functional.max_pool2d(activated, _geometry.PoolSize, _geometry.PoolSize);

    public override void Load(NetworkLayer layer)
    {
        using var noGrad = torch.no_grad();
        using Tensor weights = torch.tensor(layer.Weights, Weight.shape);
        using Tensor bias = torch.tensor(layer.Bias, new long[] { _geometry.Filters });
        Weight.copy_(weights);
        Bias.copy_(bias);
    }

    public override NetworkLayer ToLayer(bool[]? mask)
    {
        float[] weights = Weight.detach().cpu().data<float>().ToArray();
        float[] bias = Bias.detach().cpu().data<float>().ToArray();
        return new Conv2dLayer(_geometry.InputChannels, _geometry.InputHeight, _geometry.InputWidth, _geometry.Layer, weights, bias, mask);
    }
}
