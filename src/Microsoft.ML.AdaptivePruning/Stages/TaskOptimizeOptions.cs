using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of <see cref="TaskOptimizeEstimator"/>: the task metric, physical clean-up and size/speed budgets.</summary>
/// <remarks>
/// Columns, batch size, validation data and metric come from <see cref="ValidationOptionsBase"/>; every default is in
/// <see cref="AdaptivePruningDefaults"/>.
/// </remarks>
public sealed class TaskOptimizeOptions : ValidationOptionsBase
{
    /// <summary>
    /// Largest allowed loss in the metric's units against <see cref="ReferenceMetric"/> (or, when that is null, the
    /// incoming network's validation metric). Default <see cref="AdaptivePruningDefaults.TaskOptimizeMaxMetricDrop"/>.
    /// </summary>
    public double MaxMetricDrop { get; set; } = AdaptivePruningDefaults.TaskOptimizeMaxMetricDrop;

    /// <summary>The metric drops are measured against, e.g. the dense network's; null means the incoming network's.</summary>
    public double? ReferenceMetric { get; set; }

    /// <summary>Remove hidden units whose incoming or outgoing weights are all zero (exact). Default <see cref="AdaptivePruningDefaults.RemoveDeadUnits"/>.</summary>
    public bool RemoveDeadUnits { get; set; } = AdaptivePruningDefaults.RemoveDeadUnits;

    /// <summary>Try removing whole hidden layers, kept only when the metric stays within budget and the model gets smaller. Default <see cref="AdaptivePruningDefaults.RemoveLayers"/>.</summary>
    public bool RemoveLayers { get; set; } = AdaptivePruningDefaults.RemoveLayers;

    /// <summary>Most parameters (weights and biases of the current shapes) allowed; null for no limit.</summary>
    public long? MaxParameters { get; set; }

    /// <summary>Most FLOPs per scored row allowed (dense execution, see <see cref="NeuralNetwork.FlopsPerRow"/>); null for no limit.</summary>
    public long? MaxFlops { get; set; }

    /// <summary>Longest mean time per row allowed when scoring a sample through ML.NET on this machine; null for no limit.</summary>
    /// <remarks>
    /// The sample is scored by the transformer this stage returns, whose Transform runs the managed engine (the scorer
    /// of the model in memory and after <c>mlContext.Model.LoadPruned</c>), so weight sparsity lowers the measured time
    /// as it lowers the time users see.
    /// </remarks>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>Fraction of hidden units removed per shrinking step while a budget is not met. Default <see cref="AdaptivePruningDefaults.ShrinkFraction"/>.</summary>
    public double ShrinkFraction { get; set; } = AdaptivePruningDefaults.ShrinkFraction;

    /// <summary>Fine-tuning epochs after each structural change. Default <see cref="AdaptivePruningDefaults.TaskOptimizeFineTuneEpochs"/>.</summary>
    public int FineTuneEpochs { get; set; } = AdaptivePruningDefaults.TaskOptimizeFineTuneEpochs;

    /// <summary>Fine-tuning learning rate. Default <see cref="AdaptivePruningDefaults.StageLearningRate"/>.</summary>
    public double LearningRate { get; set; } = AdaptivePruningDefaults.StageLearningRate;

    /// <summary>The TorchSharp device the stage evaluates and fine-tunes on. Default <see cref="AdaptivePruningDefaults.Device"/>.</summary>
    public string Device { get; set; } = AdaptivePruningDefaults.Device;

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public override void Validate()
    {
        ValidateValidation();
        OptionChecks.NonNegativeFinite(MaxMetricDrop, nameof(MaxMetricDrop));
        OptionChecks.Finite(ReferenceMetric, nameof(ReferenceMetric));
        ValidateBudgets(MaxParameters, MaxFlops, MaxLatency);
        OptionChecks.OpenFraction(ShrinkFraction, nameof(ShrinkFraction));
        OptionChecks.NonNegative(FineTuneEpochs, nameof(FineTuneEpochs));
        OptionChecks.PositiveFinite(LearningRate, nameof(LearningRate));
        TorchDevices.Parse(Device);
    }

    internal bool HasBudget => MaxParameters is not null || MaxFlops is not null || MaxLatency is not null;

    internal TaskOptimizeOptions Clone() => (TaskOptimizeOptions)MemberwiseClone();
}
