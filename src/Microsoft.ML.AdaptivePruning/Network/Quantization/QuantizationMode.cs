namespace Microsoft.ML.AdaptivePruning;

/// <summary>How the Quantize stage reaches int8 weights.</summary>
public enum QuantizationMode
{
    /// <summary>
    /// Fine-tune with fake-quantized weights in the forward pass (straight-through gradient, masks kept, scales
    /// recomputed every step), then round.
    /// </summary>
    QuantizationAware,

    /// <summary>Round the trained weights once, with no training (for comparison).</summary>
    PostTraining,
}
