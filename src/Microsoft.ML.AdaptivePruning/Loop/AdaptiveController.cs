using System;
using System.Collections.Generic;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// What the controller returns: the best checkpoint within budget, every accepted checkpoint (in loop order, the
/// baseline excluded), every iteration, and why it stopped.
/// </summary>
internal sealed record LoopOutcome(Checkpoint Best, IReadOnlyList<Checkpoint> Accepted, IReadOnlyList<PruningIteration> Trajectory, string StopReason, bool Canceled);

/// <summary>
/// The closed loop. Each iteration asks the schedule for a target and a checkpoint to start from, has the runner
/// take the step, and judges it: within the metric budget → accept and checkpoint; over it → roll back. The schedule
/// hears every verdict (the adaptive one grows or shrinks its step). The loop stops when the schedule has nothing
/// more to try, a target is met, progress stalls, or the iteration/time budget runs out. The best checkpoint is
/// always within budget, so cancellation or a failing step loses nothing.
/// </summary>
internal sealed class AdaptiveController
{
    private readonly ControllerSettings _settings;

    public AdaptiveController(ControllerSettings settings) => _settings = settings;

    public LoopOutcome Run(IPruningStepRunner runner, Checkpoint baseline, CancellationToken cancellation, ILoopObserver? observer = null)
    {
        var log = new LoopTrajectory(observer, _settings.MaxIterations, _settings.TimeBudget);
        // The budget also interrupts a step under way, so a long fine-tune cannot overrun it by a whole step.
        using var budgetTimer = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
        if (_settings.TimeBudget is TimeSpan limit && limit < MaxTimerDelay) budgetTimer.CancelAfter(limit);
        CancellationToken stepCancellation = budgetTimer.Token;
        log.Add(0, baseline.Sparsity, baseline, 0, "baseline", accepted: true);
        IPruningSchedulePolicy schedule = IPruningSchedulePolicy.For(_settings, baseline.Sparsity);
        Checkpoint best = baseline;
        Checkpoint last = baseline;
        int stalled = 0;
        string reason = "iteration budget used";
        try
        {
            for (int iteration = 1; iteration <= _settings.MaxIterations; iteration++)
            {
                cancellation.ThrowIfCancellationRequested();
                observer?.ThrowIfCanceled();
                if (_settings.TimeBudget is TimeSpan budget && log.Elapsed >= budget) { reason = "time budget used"; break; }

                NextTarget next = schedule.Next(best);
                if (next.StopReason is string done) { reason = done; break; }
                double target = next.Sparsity;
                double step = schedule.Step;

                StepVerdict verdict;
                Checkpoint from = schedule.StartFrom(best, last);
                // Said in the decision, so a trajectory shows which steps began from a rejected network.
                string start = ReferenceEquals(from, best) ? "" : $", from the rejected {from.Sparsity:P2} network";
                (Checkpoint? stepped, string? failure) = TryStep(runner, from, target, iteration, stepCancellation);
                if (stepped is null)
                {
                    log.Add(iteration, target, best, step, "failed: " + failure);
                    verdict = StepVerdict.Failed;
                }
                else
                {
                    (Checkpoint candidate, double drop, string recovered, bool nearMiss) = RecoverNearMiss(runner, baseline, best, stepped, iteration, stepCancellation);
                    last = candidate;
                    verdict = MetricBudget.Within(drop, _settings.MaxMetricDrop) && !double.IsNaN(candidate.Metric) ? StepVerdict.Accepted
                        : nearMiss ? StepVerdict.NearMiss : StepVerdict.RolledBack;
                    if (verdict == StepVerdict.Accepted)
                    {
                        stalled = MadeProgress(best, candidate) ? 0 : stalled + 1;
                        if (candidate.Sparsity >= best.Sparsity) best = candidate;
                    }
                    log.Add(iteration, target, candidate, step, Decision(verdict, baseline, candidate, recovered) + start, accepted: verdict == StepVerdict.Accepted);
                }

                if (schedule.After(verdict) is string ended) { reason = ended; break; }
                if (verdict != StepVerdict.Accepted) continue;
                if (TargetReached(best)) { reason = "target met"; break; }
                if (stalled >= _settings.NoProgressLimit) { reason = "no progress"; break; }
            }
        }
        catch (OperationCanceledException) when (budgetTimer.IsCancellationRequested && !cancellation.IsCancellationRequested && !ObserverCanceled(observer))
        {
            return new LoopOutcome(best, log.Accepted, log.Iterations, "time budget used (a step under way was interrupted)", Canceled: false);
        }
        catch (OperationCanceledException)
        {
            return new LoopOutcome(best, log.Accepted, log.Iterations, "canceled", Canceled: true);
        }
        return new LoopOutcome(best, log.Accepted, log.Iterations, reason, Canceled: false);
    }

    /// <summary>The longest delay a CancellationTokenSource timer takes; a longer budget is only checked between iterations.</summary>
    private static readonly TimeSpan MaxTimerDelay = TimeSpan.FromMilliseconds(int.MaxValue - 1);

    /// <summary>Whether the observer's own cancellation (MLContext.CancelExecution()) was requested.</summary>
    private static bool ObserverCanceled(ILoopObserver? observer)
    {
        try
        {
            observer?.ThrowIfCanceled();
            return false;
        }
        catch (OperationCanceledException)
        {
            return true;
        }
    }

    /// <summary>One step by the runner; a failure other than cancellation comes back as its message, to be recorded.</summary>
    private static (Checkpoint? Candidate, string? Failure) TryStep(IPruningStepRunner runner, Checkpoint from, double target, int iteration, CancellationToken cancellation)
    {
        try
        {
            return (runner.Step(from, target, iteration, cancellation), null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>
    /// The step as it will be judged, with its judged drop and what the decision text adds: a near miss that goes
    /// further than the best checkpoint is first fine-tuned longer (only when <see cref="ControllerSettings.RecoveryBand"/> is set).
    /// NearMiss says it was recovered.
    /// </summary>
    private (Checkpoint Candidate, double Drop, string Recovered, bool NearMiss) RecoverNearMiss(IPruningStepRunner runner, Checkpoint baseline, Checkpoint best,
        Checkpoint candidate, int iteration, CancellationToken cancellation)
    {
        double drop = JudgedDrop(baseline, candidate);
        if (!IsNearMiss(drop) || candidate.Sparsity <= best.Sparsity) return (candidate, drop, "", false);
        // Pruning damage that fine-tuning was still repairing is cheaper to finish repairing than to redo.
        try
        {
            Checkpoint recovered = runner.Recover(candidate, iteration, cancellation);
            return (recovered, JudgedDrop(baseline, recovered), $" after recovery (drop was {drop:0.#####})", true);
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            return (candidate, drop, $"; recovery failed: {ex.Message}", false);
        }
    }

    /// <summary>Whether an accepted step removed at least <see cref="ControllerSettings.MinProgress"/> of the weights the best checkpoint had left.</summary>
    private bool MadeProgress(Checkpoint best, Checkpoint candidate) =>
        candidate.Sparsity - best.Sparsity >= _settings.MinProgress * (1 - best.Sparsity);

    /// <summary>The trajectory's text for a judged step (the CLI and the tests read it).</summary>
    private string Decision(StepVerdict verdict, Checkpoint baseline, Checkpoint candidate, string recovered)
    {
        if (verdict != StepVerdict.Accepted)
            return $"rollback (drop {DropText(baseline, candidate)} > {_settings.MaxMetricDrop}{recovered})";
        string shown = _settings.UncertaintyMargin > 0 ? $" (drop {DropText(baseline, candidate)})" : "";
        return "accept" + shown + recovered;
    }

    /// <summary>The drop a step is judged by: measured, plus the margin for how precisely validation measures it.</summary>
    private double JudgedDrop(Checkpoint baseline, Checkpoint candidate)
    {
        // An unmeasurable error (NaN) under a margin fails the step: the loop cannot vouch for it.
        return MetricBudget.JudgedDrop(_settings.Metric, baseline.Metric, candidate.Metric, _settings.UncertaintyMargin, candidate.DropStandardError);
    }

    private double MeasuredDrop(Checkpoint baseline, Checkpoint candidate) => TaskMetrics.Drop(_settings.Metric, baseline.Metric, candidate.Metric);

    private string DropText(Checkpoint baseline, Checkpoint candidate)
    {
        double measured = MeasuredDrop(baseline, candidate);
        return _settings.UncertaintyMargin > 0
            ? $"{measured:0.#####} + {_settings.UncertaintyMargin:0.##} x {candidate.DropStandardError:0.#####} s.e."
            : $"{measured:0.#####}";
    }

    private bool IsNearMiss(double drop) =>
        _settings.RecoveryBand > 0 && drop > _settings.MaxMetricDrop && drop <= _settings.RecoveryBand * _settings.MaxMetricDrop;

    private bool TargetReached(Checkpoint best) =>
        (_settings.TargetSparsity is double t && best.Sparsity >= t - 1e-9) || (_settings.TargetsMet?.Invoke(best) ?? false);
}
