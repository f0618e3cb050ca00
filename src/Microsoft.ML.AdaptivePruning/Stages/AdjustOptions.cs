using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of <see cref="AdjustEstimator"/>: fine-tuning under the masks, driven by a validation metric.</summary>
public sealed class AdjustOptions
{
    /// <summary>The feature column.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Data to judge each epoch by. When null, <see cref="ValidationFraction"/> of the training data is split off with the context's seed.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Fraction of the training data held out when <see cref="ValidationData"/> is null. Default 0.1.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>The metric that drives the learning rate and early stopping; null means the task's default (AUC, micro accuracy, R²).</summary>
    public TaskMetric? Metric { get; set; }

    /// <summary>Most fine-tuning epochs. Default 10.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Rows per mini-batch. Default 128.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Learning rate at the start of every Adjust (a warm restart after each prune step). Default 1e-4, a tenth of the trainers' default.</summary>
    public double LearningRate { get; set; } = 1e-4;

    /// <summary>The optimizer. Default Adam.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Momentum for SGD.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>L2 weight decay.</summary>
    public double WeightDecay { get; set; }

    /// <summary>The TorchSharp device.</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Epochs without improvement before the learning rate is multiplied by <see cref="LearningRateDecay"/>. Default 1.</summary>
    public int LearningRatePatience { get; set; } = 1;

    /// <summary>Factor applied to the learning rate on a plateau, in (0, 1). Default 0.5.</summary>
    public double LearningRateDecay { get; set; } = 0.5;

    /// <summary>The learning rate never drops below this. Default 1e-6.</summary>
    public double MinLearningRate { get; set; } = 1e-6;

    /// <summary>Epochs without improvement before fine-tuning stops; the best epoch is kept. Default 3.</summary>
    public int Patience { get; set; } = 3;

    /// <summary>
    /// Regrowth (Dynamic Network Surgery's splicing): after each epoch, up to this fraction of a layer's pruned weights whose
    /// accumulated gradient beats <see cref="RegrowThreshold"/> come back, and as many of the layer's smallest kept weights are
    /// pruned, so the sparsity holds. Revived weights restart from zero, so at most this fraction of the layer's kept weights
    /// is swapped per epoch. 0 turns regrowth off (the default).
    /// </summary>
    public double RegrowFraction { get; set; }

    /// <summary>A pruned weight may regrow only when its accumulated |gradient| is at least this multiple of the layer's mean over pruned weights. Default 2.</summary>
    public double RegrowThreshold { get; set; } = 2.0;

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
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(FeatureColumnName)) throw new ArgumentException("FeatureColumnName must name a column.", nameof(FeatureColumnName));
        if (string.IsNullOrWhiteSpace(LabelColumnName)) throw new ArgumentException("LabelColumnName must name a column.", nameof(LabelColumnName));
        if (ValidationData is null && !(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in (0, 1) when no ValidationData is given.");
        if (Epochs <= 0) throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be positive.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a positive finite number.");
        if (!(Momentum >= 0 && Momentum < 1)) throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay)) throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be zero or positive.");
        if (LearningRatePatience <= 0) throw new ArgumentOutOfRangeException(nameof(LearningRatePatience), LearningRatePatience, "LearningRatePatience must be positive.");
        if (!(LearningRateDecay > 0 && LearningRateDecay < 1)) throw new ArgumentOutOfRangeException(nameof(LearningRateDecay), LearningRateDecay, "LearningRateDecay must be in (0, 1).");
        if (!(MinLearningRate >= 0)) throw new ArgumentOutOfRangeException(nameof(MinLearningRate), MinLearningRate, "MinLearningRate must be zero or positive.");
        if (Patience <= 0) throw new ArgumentOutOfRangeException(nameof(Patience), Patience, "Patience must be positive.");
        if (!(RegrowFraction >= 0 && RegrowFraction <= 1)) throw new ArgumentOutOfRangeException(nameof(RegrowFraction), RegrowFraction, "RegrowFraction must be in [0, 1].");
        if (!(RegrowThreshold >= 0) || double.IsInfinity(RegrowThreshold)) throw new ArgumentOutOfRangeException(nameof(RegrowThreshold), RegrowThreshold, "RegrowThreshold must be zero or positive.");
        if (StopAtMetric is double goal && !double.IsFinite(goal)) throw new ArgumentOutOfRangeException(nameof(StopAtMetric), goal, "StopAtMetric must be finite.");
        TorchDevices.Parse(Device);
    }

    internal TrainingSettings ToSettings() => new(LearningRate, Optimizer, Momentum, WeightDecay, BatchSize, Device);

    internal AdjustOptions Clone() => (AdjustOptions)MemberwiseClone();
}
