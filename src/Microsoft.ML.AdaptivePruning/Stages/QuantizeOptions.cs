namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of <see cref="QuantizeEstimator"/>: int8 weights, reached by quantization-aware fine-tuning under a metric budget.</summary>
/// <remarks>
/// Columns, batch size, validation data and metric come from <see cref="ValidationOptionsBase"/>; every default is in
/// <see cref="AdaptivePruningDefaults"/>. The budget is judged as the adaptive loop judges a step: the drop from the
/// source network on the validation rows plus <see cref="UncertaintyMargin"/> standard errors of that drop.
/// </remarks>
public sealed class QuantizeOptions : ValidationOptionsBase
{
    /// <summary>What the weights are stored as. Default <see cref="AdaptivePruningDefaults.Quantization"/>; None returns the source network unchanged.</summary>
    public WeightQuantization Quantization { get; set; } = AdaptivePruningDefaults.Quantization;

    /// <summary>
    /// Bits per weight value, from <see cref="AdaptivePruningDefaults.MinQuantizationBits"/> to 8: q in
    /// [-(2^(bits-1) - 1), 2^(bits-1) - 1], scale = max |w| of the unit / that limit. Default <see cref="AdaptivePruningDefaults.QuantizationBits"/>.
    /// </summary>
    /// <remarks>
    /// The values are stored as int8 whatever the bits (the graph, the engine's int8 kernels and LoadPruned are the same);
    /// fewer levels make the zip smaller through deflate's coding of the value bytes, at a coarser grid that the budget judges.
    /// </remarks>
    public int Bits { get; set; } = AdaptivePruningDefaults.QuantizationBits;

    /// <summary>Quantization-aware fine-tuning or post-training rounding. Default <see cref="AdaptivePruningDefaults.QuantizationMode"/>.</summary>
    public QuantizationMode Mode { get; set; } = AdaptivePruningDefaults.QuantizationMode;

    /// <summary>Epochs of quantization-aware fine-tuning. Default <see cref="AdaptivePruningDefaults.QuantizationEpochs"/>.</summary>
    public int Epochs { get; set; } = AdaptivePruningDefaults.QuantizationEpochs;

    /// <summary>Starting learning rate of quantization-aware fine-tuning, annealed over the epochs. Default <see cref="AdaptivePruningDefaults.QuantizationLearningRate"/>.</summary>
    public double LearningRate { get; set; } = AdaptivePruningDefaults.QuantizationLearningRate;

    /// <summary>Largest accepted metric loss against the source network, in the metric's units. Default <see cref="AdaptivePruningDefaults.MaxMetricDrop"/>.</summary>
    public double MaxMetricDrop { get; set; } = AdaptivePruningDefaults.MaxMetricDrop;

    /// <summary>Standard errors of the drop added to it before it is compared with the budget. Default <see cref="AdaptivePruningDefaults.UncertaintyMargin"/>.</summary>
    public double UncertaintyMargin { get; set; } = AdaptivePruningDefaults.UncertaintyMargin;

    /// <summary>The TorchSharp device of the fine-tuning. Default <see cref="AdaptivePruningDefaults.Device"/>.</summary>
    public string Device { get; set; } = AdaptivePruningDefaults.Device;

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public override void Validate()
    {
        ValidateValidation();
        OptionChecks.Defined(Quantization, nameof(Quantization));
        OptionChecks.Defined(Mode, nameof(Mode));
        OptionChecks.QuantizationBits(Bits, nameof(Bits));
        OptionChecks.Positive(Epochs, nameof(Epochs));
        ValidateOptimizer(LearningRate, AdaptivePruningDefaults.Momentum, 0, Device);
        OptionChecks.NonNegativeFinite(MaxMetricDrop, nameof(MaxMetricDrop));
        OptionChecks.NonNegativeFinite(UncertaintyMargin, nameof(UncertaintyMargin), "standard errors");
    }

    /// <summary>The fine-tuning run: every epoch on an annealed rate, the last one kept (one look at validation).</summary>
    internal AdjustOptions FineTuneOptions() => CopyColumnsTo(new AdjustOptions
    {
        Epochs = Epochs,
        LearningRate = LearningRate,
        WeightDecay = 0,
        KeepLastEpoch = true,
        Device = Device,
    });

    internal QuantizeOptions Clone() => (QuantizeOptions)MemberwiseClone();
}
