using System.Collections.Generic;
using System.Diagnostics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The loop's record as it runs: every iteration in order, every accepted checkpoint, and the clock they are timed by.
/// Each entry is passed to the observer as soon as it is written.
/// </summary>
internal sealed class LoopTrajectory
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly ILoopObserver? _observer;
    private readonly int _maxIterations;
    private readonly System.TimeSpan? _timeBudget;

    /// <param name="observer">Hears every entry as it is written.</param>
    /// <param name="maxIterations">The iteration cap, which bounds the estimate of the time left.</param>
    /// <param name="timeBudget">The loop's time budget, which bounds it too; null for none.</param>
    public LoopTrajectory(ILoopObserver? observer, int maxIterations = int.MaxValue, System.TimeSpan? timeBudget = null)
    {
        _observer = observer;
        _maxIterations = maxIterations;
        _timeBudget = timeBudget;
    }

    public List<PruningIteration> Iterations { get; } = new();

    /// <summary>The accepted checkpoints in loop order, the baseline excluded.</summary>
    public List<Checkpoint> Accepted { get; } = new();

    public System.TimeSpan Elapsed => _clock.Elapsed;

    /// <summary>Records iteration <paramref name="iteration"/>, which aimed at <paramref name="target"/> and left <paramref name="checkpoint"/>.</summary>
    public void Add(int iteration, double target, Checkpoint checkpoint, double step, string decision, bool accepted = false)
    {
        if (accepted && iteration > 0) Accepted.Add(checkpoint);
        var entry = new PruningIteration
        {
            Iteration = iteration,
            TargetSparsity = target,
            Sparsity = checkpoint.Sparsity,
            NonzeroParameters = checkpoint.Network.NonzeroParameterCount,
            Parameters = checkpoint.Network.ParameterCount,
            Metric = checkpoint.Metric,
            DropStandardError = checkpoint.DropStandardError,
            Step = step,
            Decision = decision,
            Accepted = accepted,
            ElapsedSeconds = _clock.Elapsed.TotalSeconds,
            EstimatedRemainingSeconds = RemainingEstimate(iteration, _clock.Elapsed.TotalSeconds),
        };
        Iterations.Add(entry);
        _observer?.OnIteration(entry, checkpoint.Network);
    }

    /// <summary>Mean seconds per iteration times the iterations left, capped by what is left of the time budget.</summary>
    private double? RemainingEstimate(int iteration, double elapsed)
    {
        if (iteration <= 0) return null;
        double estimate = elapsed / iteration * System.Math.Max(0, _maxIterations - iteration);
        if (_timeBudget is System.TimeSpan budget) estimate = System.Math.Min(estimate, System.Math.Max(0, budget.TotalSeconds - elapsed));
        return estimate;
    }
}
