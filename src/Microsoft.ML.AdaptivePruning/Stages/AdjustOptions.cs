namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of <see cref="AdjustEstimator"/>: fine-tuning under the masks, driven by a validation metric.</summary>
/// <remarks>
/// Columns, batch size, validation data and metric come from <see cref="ValidationOptionsBase"/>; every default is in
/// <see cref="AdaptivePruningDefaults"/>. The metric drives the learning rate and early stopping.
/// </remarks>
public sealed class AdjustOptions : ValidationOptionsBase
{
    /// <summary>Most fine-tuning epochs. Default <see cref="AdaptivePruningDefaults.AdjustEpochs"/>.</summary>
    public int Epochs { get; set; } = AdaptivePruningDefaults.AdjustEpochs;

    /// <summary>Learning rate at the start of every Adjust (a warm restart after each prune step). Default <see cref="AdaptivePruningDefaults.StageLearningRate"/>, a tenth of the trainers' default.</summary>
    public double LearningRate { get; set; } = AdaptivePruningDefaults.StageLearningRate;

    /// <summary>The optimizer. Default <see cref="AdaptivePruningDefaults.Optimizer"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = AdaptivePruningDefaults.Optimizer;

    /// <summary>Momentum for SGD. Default <see cref="AdaptivePruningDefaults.Momentum"/>.</summary>
    public double Momentum { get; set; } = AdaptivePruningDefaults.Momentum;

    /// <summary>L2 weight decay. Default <see cref="AdaptivePruningDefaults.WeightDecay"/>.</summary>
    public double WeightDecay { get; set; } = AdaptivePruningDefaults.WeightDecay;

    /// <summary>The TorchSharp device. Default <see cref="AdaptivePruningDefaults.Device"/>.</summary>
    public string Device { get; set; } = AdaptivePruningDefaults.Device;

    /// <summary>Epochs without improvement before the learning rate is multiplied by <see cref="LearningRateDecay"/>. Default <see cref="AdaptivePruningDefaults.LearningRatePatience"/>.</summary>
    public int LearningRatePatience { get; set; } = AdaptivePruningDefaults.LearningRatePatience;

    /// <summary>Factor applied to the learning rate on a plateau, in (0, 1). Default <see cref="AdaptivePruningDefaults.LearningRateDecay"/>.</summary>
    public double LearningRateDecay { get; set; } = AdaptivePruningDefaults.LearningRateDecay;

    /// <summary>The learning rate never drops below this. Default <see cref="AdaptivePruningDefaults.MinLearningRate"/>.</summary>
    public double MinLearningRate { get; set; } = AdaptivePruningDefaults.MinLearningRate;

    /// <summary>Epochs without improvement before fine-tuning stops; the best epoch is kept. Default <see cref="AdaptivePruningDefaults.Patience"/>.</summary>
    public int Patience { get; set; } = AdaptivePruningDefaults.Patience;

    /// <summary>
    /// Regrowth (Dynamic Network Surgery's splicing): after each epoch, up to this fraction of a layer's pruned weights whose
    /// accumulated gradient beats <see cref="RegrowThreshold"/> come back, and as many of the layer's smallest kept weights are
    /// pruned, so the sparsity holds. Revived weights restart from zero, so at most this fraction of the layer's kept weights
    /// is swapped per epoch. 0 turns regrowth off (the default, <see cref="AdaptivePruningDefaults.RegrowFraction"/>).
    /// </summary>
    public double RegrowFraction { get; set; } = AdaptivePruningDefaults.RegrowFraction;

    /// <summary>A pruned weight may regrow only when its accumulated |gradient| is at least this multiple of the layer's mean over pruned weights. Default <see cref="AdaptivePruningDefaults.RegrowThreshold"/>.</summary>
    public double RegrowThreshold { get; set; } = AdaptivePruningDefaults.RegrowThreshold;

    /// <summary>Stop as soon as the validation metric is at least this good (the loop sets it to its budget); null to run all epochs.</summary>
    public double? StopAtMetric { get; set; }

    /// <summary>
    /// Run every epoch with the learning rate annealed (half a cosine) from <see cref="LearningRate"/> towards
    /// <see cref="MinLearningRate"/>, and keep the last epoch, looking at the validation data only once at the end.
    /// Keeping the best of several epochs picks the one that was luckiest on the validation rows, so its metric
    /// flatters it; the last epoch's metric is a fair measurement, which a decision taken on it needs.
    /// Patience, plateaus and <see cref="StopAtMetric"/> then do not apply. Default false.
    /// </summary>
    public bool KeepLastEpoch { get; set; }

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public override void Validate()
    {
        ValidateValidation();
        OptionChecks.Positive(Epochs, nameof(Epochs));
        OptionChecks.Defined(Optimizer, nameof(Optimizer));
        ValidateOptimizer(LearningRate, Momentum, WeightDecay, Device);
        OptionChecks.Positive(LearningRatePatience, nameof(LearningRatePatience));
        OptionChecks.OpenFraction(LearningRateDecay, nameof(LearningRateDecay));
        OptionChecks.NonNegativeFinite(MinLearningRate, nameof(MinLearningRate));
        OptionChecks.Positive(Patience, nameof(Patience));
        OptionChecks.Fraction(RegrowFraction, nameof(RegrowFraction));
        OptionChecks.NonNegativeFinite(RegrowThreshold, nameof(RegrowThreshold));
        OptionChecks.Finite(StopAtMetric, nameof(StopAtMetric));
    }

    internal TrainingSettings ToSettings() => new(LearningRate, Optimizer, Momentum, WeightDecay, BatchSize, Device);

    internal AdjustOptions Clone() => (AdjustOptions)MemberwiseClone();
}
