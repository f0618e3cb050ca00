using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The TorchSharp side of one <see cref="NetworkLayer"/>: a module whose weight tensor is laid out exactly like the
/// layer's <see cref="NetworkLayer.Weights"/>, so masks and gradient statistics map one to one.
/// </summary>
internal abstract class TorchLayer : nn.Module<Tensor, Tensor>
{
    protected TorchLayer(string name) : base(name)
    {
    }

    /// <summary>The weight parameter, shaped like the layer's weights.</summary>
    public abstract Parameter Weight { get; }

    /// <summary>The bias parameter, one per unit.</summary>
    public abstract Parameter Bias { get; }

    /// <summary>Whether the forward pass uses int8 fake-quantized weights (quantization-aware training).</summary>
    public bool FakeQuantize { get; set; }

    /// <summary>The weights the forward pass multiplies by: the parameter, or its fake-quantized value.</summary>
    protected Tensor ForwardWeight() => FakeQuantize ? FakeQuantization.Int8(Weight, FakeQuantizeLimit) : Weight.alias();

    /// <summary>The fake-quantized grid's largest |q| (127 for int8; fewer bits, a smaller limit).</summary>
    public int FakeQuantizeLimit { get; set; } = LayerQuantization.Int8Limit;

    /// <summary>The after-activation part (identity unless the kind has one).</summary>
    public virtual Tensor AfterActivation(Tensor activated) => activated;

    /// <summary>Copies the managed layer's weights and biases into the module.</summary>
    public abstract void Load(NetworkLayer layer);

    /// <summary>Reads the module's parameters back into a managed layer of the same kind with the given mask.</summary>
    public abstract NetworkLayer ToLayer(bool[]? mask);
}
