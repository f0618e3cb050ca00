using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The decisions the controller needs, separated from data and training so it can be tested cheaply.</summary>
/// <remarks>Defaults are the loop's (<see cref="AdaptivePruningDefaults"/>); the step-size policy's own constants live here only.</remarks>
internal sealed record ControllerSettings
{
    public TaskMetric Metric { get; init; } = TaskMetric.MicroAccuracy;
    public double MaxMetricDrop { get; init; } = AdaptivePruningDefaults.MaxMetricDrop;
    public PruningSchedule Schedule { get; init; } = AdaptivePruningDefaults.Schedule;
    public double InitialStep { get; init; } = AdaptivePruningDefaults.InitialStep;
    public double MinStep { get; init; } = AdaptivePruningDefaults.MinStep;
    public double MaxStep { get; init; } = 0.8;
    public double StepGrowth { get; init; } = 1.5;
    public double StepShrink { get; init; } = 0.5;
    public double MaxSparsity { get; init; } = 0.999;
    public int MaxIterations { get; init; } = AdaptivePruningDefaults.MaxIterations;
    public TimeSpan? TimeBudget { get; init; }
    public double? TargetSparsity { get; init; }
    public IReadOnlyList<double> FixedSparsities { get; init; } = AdaptivePruningDefaults.FixedSparsities;
    public int AgpSteps { get; init; } = AdaptivePruningDefaults.AgpSteps;

    /// <summary>
    /// A step whose drop is at most this multiple of <see cref="MaxMetricDrop"/> is a near miss: it gets a longer
    /// fine-tune (<see cref="IPruningStepRunner.Recover"/>) before it is judged. 0 turns recovery off.
    /// </summary>
    public double RecoveryBand { get; init; }

    /// <summary>
    /// Standard errors of its drop a step must clear the budget by: a step is judged by
    /// drop + margin x <see cref="Checkpoint.DropStandardError"/>, so the loop cannot creep past the budget on steps
    /// that were only lucky on the validation rows. 0 judges the measured drop alone.
    /// </summary>
    public double UncertaintyMargin { get; init; }

    /// <summary>
    /// After a near miss is rolled back (<see cref="StepVerdict.NearMiss"/>), start the smaller step from the rejected
    /// network with weights given back (<see cref="WeightRevival"/>) rather than from the best checkpoint. Adaptive schedule only.
    /// </summary>
    public bool ReuseRejectedSteps { get; init; }

    /// <summary>Extra stop rule: true when a checkpoint meets every user target (parameters, FLOPs, latency).</summary>
    public Func<Checkpoint, bool>? TargetsMet { get; init; }

    /// <summary>
    /// Accepted steps that remove less than this fraction of the remaining weights count as no progress. Relative, like
    /// the step, because near the end a step that removes a few hundred of 6,000 weights is real progress.
    /// </summary>
    public double MinProgress { get; init; } = 0.01;

    /// <summary>Consecutive accepted steps without progress before the loop stops.</summary>
    public int NoProgressLimit { get; init; } = 3;
}
