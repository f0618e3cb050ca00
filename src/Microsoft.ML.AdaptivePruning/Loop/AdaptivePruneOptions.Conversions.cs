using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The options of the stages the loop runs, each derived from the loop's options in one place.</summary>
public sealed partial class AdaptivePruneOptions
{
    /// <summary>
    /// Epochs without improvement before a step's fine-tuning stops under the rules that keep the best epoch: steps
    /// are short, so two flat epochs end one.
    /// </summary>
    private const int FineTunePatience = 2;

    /// <summary>The dense network's training.</summary>
    internal NeuralNetworkOptions DenseOptions() => CopyColumnsTo(new NeuralNetworkOptions
    {
        HiddenLayers = HiddenLayers,
        InputShape = InputShape,
        ConvolutionLayers = ConvolutionLayers,
        Epochs = DenseEpochs,
        LearningRate = DenseLearningRate,
        EarlyStopping = DenseEarlyStopping,
        Patience = DensePatience,
        Metric = Metric,
        Device = Device,
    });

    /// <summary>One step's fine-tuning; <paramref name="stopAtMetric"/> ends it early once the budget is met.</summary>
    internal AdjustOptions FineTuneOptions(double? stopAtMetric = null) => CopyColumnsTo(new AdjustOptions
    {
        StopAtMetric = stopAtMetric,
        Epochs = Math.Max(1, FineTuneEpochs),
        LearningRate = FineTuneLearningRate,
        WeightDecay = FineTuneWeightDecay,
        Patience = FineTunePatience,
        // A regrown weight inside a removed unit would undo the unit's removal.
        RegrowFraction = Granularity == PruningGranularity.Weight ? RegrowFraction : 0,
        Device = Device,
        // Fixed schedules reproduce recipes, so they keep their best epoch as before.
        KeepLastEpoch = FineTuneStop == FineTuneStop.Annealed && Schedule == PruningSchedule.Adaptive,
    });

    /// <summary>One step's pruning to <paramref name="sparsity"/>, with the criterion the loop resolved.</summary>
    internal PruneOptions PruneStepOptions(IPruningCriterion? criterion, double sparsity) => CopyColumnsTo(new PruneOptions
    {
        Criterion = Criterion,
        CustomCriterion = criterion,
        Granularity = Granularity,
        Scope = Scope,
        Sparsity = sparsity,
        Device = Device,
    });

    /// <summary>The controller's decisions.</summary>
    internal ControllerSettings ControllerSettings() => new()
    {
        Metric = TaskMetrics.Resolve(Task, Metric),
        MaxMetricDrop = MaxMetricDrop,
        Schedule = Schedule,
        // Fixed schedules reproduce recipes, so they get no extra epochs.
        RecoveryBand = Schedule == PruningSchedule.Adaptive && RecoveryEpochs > 0 ? RecoveryBand : 0,
        UncertaintyMargin = UncertaintyMargin,
        ReuseRejectedSteps = ReuseRejectedSteps && Granularity == PruningGranularity.Weight && Schedule == PruningSchedule.Adaptive,
        InitialStep = InitialStep,
        MinStep = MinStep,
        MaxIterations = MaxIterations,
        TimeBudget = TimeBudget,
        TargetSparsity = TargetSparsity,
        FixedSparsities = FixedSparsities,
        AgpSteps = AgpSteps,
    };
}
