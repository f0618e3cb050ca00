using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of <see cref="TaskOptimizeEstimator"/>: the task metric, physical clean-up and size/speed budgets.</summary>
public sealed class TaskOptimizeOptions
{
    /// <summary>The feature column.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The label column.</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Data to judge changes by; when null, <see cref="ValidationFraction"/> of the training data is split off.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Fraction held out when <see cref="ValidationData"/> is null. Default 0.1.</summary>
    public double ValidationFraction { get; set; } = 0.1;

    /// <summary>The task metric; null means the task's default (binary AUC, multiclass micro accuracy, regression R²).</summary>
    public TaskMetric? Metric { get; set; }

    /// <summary>
    /// Largest allowed loss in the metric's units against <see cref="ReferenceMetric"/> (or, when that is null, the
    /// incoming network's validation metric). Default 0.01.
    /// </summary>
    public double MaxMetricDrop { get; set; } = 0.01;

    /// <summary>The metric drops are measured against, e.g. the dense network's; null means the incoming network's.</summary>
    public double? ReferenceMetric { get; set; }

    /// <summary>Remove hidden units whose incoming or outgoing weights are all zero (exact). Default true.</summary>
    public bool RemoveDeadUnits { get; set; } = true;

    /// <summary>Try removing whole hidden layers, kept only when the metric stays within budget and the model gets smaller. Default true.</summary>
    public bool RemoveLayers { get; set; } = true;

    /// <summary>Most parameters (weights and biases of the current shapes) allowed; null for no limit.</summary>
    public long? MaxParameters { get; set; }

    /// <summary>Most FLOPs per scored row allowed (dense execution, see <see cref="NeuralNetwork.FlopsPerRow"/>); null for no limit.</summary>
    public long? MaxFlops { get; set; }

    /// <summary>Longest mean time per row allowed when scoring a sample through ML.NET on this machine; null for no limit.</summary>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>Fraction of hidden units removed per shrinking step while a budget is not met. Default 0.1.</summary>
    public double ShrinkFraction { get; set; } = 0.1;

    /// <summary>Fine-tuning epochs after each structural change. Default 2.</summary>
    public int FineTuneEpochs { get; set; } = 2;

    /// <summary>Fine-tuning learning rate. Default 1e-4.</summary>
    public double LearningRate { get; set; } = 1e-4;

    /// <summary>Rows per mini-batch. Default 128.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public void Validate()
    {
        if (string.IsNullOrWhiteSpace(FeatureColumnName)) throw new ArgumentException("FeatureColumnName must name a column.", nameof(FeatureColumnName));
        if (string.IsNullOrWhiteSpace(LabelColumnName)) throw new ArgumentException("LabelColumnName must name a column.", nameof(LabelColumnName));
        if (ValidationData is null && !(ValidationFraction > 0 && ValidationFraction < 1))
            throw new ArgumentOutOfRangeException(nameof(ValidationFraction), ValidationFraction, "ValidationFraction must be in (0, 1) when no ValidationData is given.");
        if (!(MaxMetricDrop >= 0) || double.IsInfinity(MaxMetricDrop))
            throw new ArgumentOutOfRangeException(nameof(MaxMetricDrop), MaxMetricDrop, "MaxMetricDrop must be zero or a positive finite number.");
        if (ReferenceMetric is double r && !double.IsFinite(r))
            throw new ArgumentOutOfRangeException(nameof(ReferenceMetric), r, "ReferenceMetric must be finite.");
        if (MaxParameters is long p && p <= 0) throw new ArgumentOutOfRangeException(nameof(MaxParameters), p, "MaxParameters must be positive.");
        if (MaxFlops is long f && f <= 0) throw new ArgumentOutOfRangeException(nameof(MaxFlops), f, "MaxFlops must be positive.");
        if (MaxLatency is TimeSpan t && t <= TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(MaxLatency), t, "MaxLatency must be positive.");
        if (!(ShrinkFraction > 0 && ShrinkFraction < 1)) throw new ArgumentOutOfRangeException(nameof(ShrinkFraction), ShrinkFraction, "ShrinkFraction must be in (0, 1).");
        if (FineTuneEpochs < 0) throw new ArgumentOutOfRangeException(nameof(FineTuneEpochs), FineTuneEpochs, "FineTuneEpochs must be zero or positive.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate)) throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a positive finite number.");
        if (BatchSize <= 0) throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
    }

    internal bool HasBudget => MaxParameters is not null || MaxFlops is not null || MaxLatency is not null;

    internal TaskOptimizeOptions Clone() => (TaskOptimizeOptions)MemberwiseClone();
}
