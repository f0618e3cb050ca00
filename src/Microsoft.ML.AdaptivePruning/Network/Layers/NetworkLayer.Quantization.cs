namespace Microsoft.ML.AdaptivePruning;

/// <summary>Whether the layer's weights are quantized (see <see cref="LayerQuantization"/>).</summary>
public abstract partial class NetworkLayer
{
    /// <summary>How the weights are quantized, or null for 32-bit float weights.</summary>
    /// <remarks>
    /// Set by the Quantize stage (and by LoadPruned for an int8 zip). <see cref="Weights"/> then holds the dequantized
    /// values; a layer made by training or surgery is float again (quantize it again to store int8).
    /// </remarks>
    public LayerQuantization? Quantization { get; private set; }

    /// <summary>Marks the (already on-grid) weights as quantized by <paramref name="quantization"/>.</summary>
    internal void AttachQuantization(LayerQuantization? quantization) => Quantization = quantization;
}
