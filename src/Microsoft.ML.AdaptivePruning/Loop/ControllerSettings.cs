using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The decisions the controller needs, separated from data and training so it can be tested cheaply.</summary>
internal sealed record ControllerSettings
{
    public TaskMetric Metric { get; init; } = TaskMetric.MicroAccuracy;
    public double MaxMetricDrop { get; init; } = 0.005;
    public PruningSchedule Schedule { get; init; } = PruningSchedule.Adaptive;
    public double InitialStep { get; init; } = 0.5;
    public double MinStep { get; init; } = 0.02;
    public double MaxStep { get; init; } = 0.8;
    public double StepGrowth { get; init; } = 1.5;
    public double StepShrink { get; init; } = 0.5;
    public double MaxSparsity { get; init; } = 0.999;
    public int MaxIterations { get; init; } = 30;
    public TimeSpan? TimeBudget { get; init; }
    public double? TargetSparsity { get; init; }
    public IReadOnlyList<double> FixedSparsities { get; init; } = new[] { 0.5, 0.75, 0.9, 0.95, 0.98, 0.99 };
    public int AgpSteps { get; init; } = 10;

    /// <summary>Extra stop rule: true when a checkpoint meets every user target (parameters, FLOPs, latency).</summary>
    public Func<Checkpoint, bool>? TargetsMet { get; init; }

    /// <summary>Accepted steps that gain less sparsity than this count as no progress.</summary>
    public double MinProgress { get; init; } = 1e-3;

    /// <summary>Consecutive accepted steps without progress before the loop stops.</summary>
    public int NoProgressLimit { get; init; } = 3;
}
