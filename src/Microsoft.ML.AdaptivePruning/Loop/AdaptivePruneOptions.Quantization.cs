using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The loop's last stage: int8 weights for the network it chose, under the same budget.</summary>
public sealed partial class AdaptivePruneOptions
{
    /// <summary>
    /// Int8 runs the Quantize stage (quantization-aware fine-tuning, <see cref="QuantizeOptions"/>' defaults) on the
    /// loop's result and keeps the int8 network when its drop from the dense network, judged with
    /// <see cref="UncertaintyMargin"/>, is within <see cref="MaxMetricDrop"/>; otherwise the float network is returned
    /// and the report's notes say why. Dense layers only. Default <see cref="AdaptivePruningDefaults.LoopQuantization"/>.
    /// </summary>
    public WeightQuantization Quantization { get; set; } = AdaptivePruningDefaults.LoopQuantization;

    /// <summary>Bits per weight value of that stage (<see cref="QuantizeOptions.Bits"/>). Default <see cref="AdaptivePruningDefaults.QuantizationBits"/>.</summary>
    public int QuantizationBits { get; set; } = AdaptivePruningDefaults.QuantizationBits;

    /// <summary>The Quantize stage the loop runs at its end: the loop's columns, device, budget and margin.</summary>
    internal QuantizeOptions QuantizeStepOptions() => CopyColumnsTo(new QuantizeOptions
    {
        Quantization = Quantization,
        Bits = QuantizationBits,
        MaxMetricDrop = MaxMetricDrop,
        UncertaintyMargin = UncertaintyMargin,
        Device = Device,
    });

    private void ValidateQuantization()
    {
        OptionChecks.Defined(Quantization, nameof(Quantization));
        OptionChecks.QuantizationBits(QuantizationBits, nameof(QuantizationBits));
        bool convolutional = (InitialModel?.Network.Spec.ConvolutionLayers.Count ?? ConvolutionLayers.Length) > 0;
        if (Quantization != WeightQuantization.None && convolutional)
            throw new ArgumentException($"Quantization = {Quantization} quantizes dense layers only, but the network has convolutions (ConvolutionLayers).", nameof(Quantization));
    }
}
