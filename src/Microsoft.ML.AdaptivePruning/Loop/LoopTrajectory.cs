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

    public LoopTrajectory(ILoopObserver? observer) => _observer = observer;

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
        };
        Iterations.Add(entry);
        _observer?.OnIteration(entry, checkpoint.Network);
    }
}
