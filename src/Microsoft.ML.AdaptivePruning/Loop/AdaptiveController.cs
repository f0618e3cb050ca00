using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// What the controller returns: the best checkpoint within budget, every accepted checkpoint (in loop order, the
/// baseline excluded), every iteration, and why it stopped.
/// </summary>
internal sealed record LoopOutcome(Checkpoint Best, IReadOnlyList<Checkpoint> Accepted, IReadOnlyList<PruningIteration> Trajectory, string StopReason, bool Canceled);

/// <summary>
/// The closed loop. Each iteration asks the runner for one step from the best checkpoint so far, then decides:
/// within the metric budget → accept, checkpoint and grow the step; over it → roll back and shrink the step.
/// It stops when the step falls below its minimum, a target is met, progress stalls, or the iteration/time
/// budget runs out. The best checkpoint is always within budget, so cancellation or a failing step loses nothing.
/// </summary>
internal sealed class AdaptiveController
{
    private readonly ControllerSettings _settings;

    public AdaptiveController(ControllerSettings settings) => _settings = settings;

    public LoopOutcome Run(IPruningStepRunner runner, Checkpoint baseline, CancellationToken cancellation,
        Action<PruningIteration>? report = null, Action? throwIfCanceled = null, Action<PruningIteration, NeuralNetwork>? observe = null)
    {
        var clock = Stopwatch.StartNew();
        var trajectory = new List<PruningIteration>();
        var accepted = new List<Checkpoint>();
        void Record(int iteration, double target, Checkpoint c, double step, string decision, bool isAccepted = false)
        {
            if (isAccepted && iteration > 0) accepted.Add(c);
            var entry = new PruningIteration
            {
                Iteration = iteration,
                TargetSparsity = target,
                Sparsity = c.Sparsity,
                NonzeroParameters = c.Network.NonzeroParameterCount,
                Parameters = c.Network.ParameterCount,
                Metric = c.Metric,
                DropStandardError = c.DropStandardError,
                Step = step,
                Decision = decision,
                Accepted = isAccepted,
                ElapsedSeconds = clock.Elapsed.TotalSeconds,
            };
            trajectory.Add(entry);
            report?.Invoke(entry);
            observe?.Invoke(entry, c.Network);
        }

        Record(0, baseline.Sparsity, baseline, 0, "baseline", isAccepted: true);
        Checkpoint best = baseline;
        Checkpoint current = baseline;
        double step = _settings.InitialStep;
        int stalled = 0;
        string reason = "iteration budget used";
        Queue<double>? planned = _settings.Schedule == PruningSchedule.Adaptive ? null : new Queue<double>(PlannedSparsities(baseline.Sparsity));
        try
        {
            for (int iteration = 1; iteration <= _settings.MaxIterations; iteration++)
            {
                cancellation.ThrowIfCancellationRequested();
                throwIfCanceled?.Invoke();
                if (_settings.TimeBudget is TimeSpan budget && clock.Elapsed >= budget) { reason = "time budget used"; break; }

                double target;
                if (planned is null)
                {
                    if (best.Sparsity >= _settings.MaxSparsity - 1e-12) { reason = "maximum sparsity reached"; break; }
                    target = Math.Min(_settings.MaxSparsity, best.Sparsity + (1 - best.Sparsity) * step);
                }
                else
                {
                    if (planned.Count == 0) { reason = "schedule complete"; break; }
                    target = planned.Dequeue();
                }

                // Fixed schedules go on from the last step, as the recipes do; the adaptive one always from the best.
                Checkpoint from = planned is null ? best : current;
                Checkpoint candidate;
                try
                {
                    candidate = runner.Step(from, target, iteration, cancellation);
                }
                catch (OperationCanceledException)
                {
                    throw;
                }
                catch (Exception ex)
                {
                    Record(iteration, target, best, step, "failed: " + ex.Message);
                    if (planned is not null) continue;
                    step *= _settings.StepShrink;
                    if (step < _settings.MinStep) { reason = "step below minimum after a failed step"; break; }
                    continue;
                }

                double drop = JudgedDrop(baseline, candidate);
                string recovered = "";
                if (IsNearMiss(drop) && candidate.Sparsity > best.Sparsity)
                {
                    // Pruning damage that fine-tuning was still repairing is cheaper to finish repairing than to redo.
                    double before = drop;
                    try
                    {
                        candidate = runner.Recover(candidate, iteration, cancellation);
                        drop = JudgedDrop(baseline, candidate);
                        recovered = $" after recovery (drop was {before:0.#####})";
                    }
                    catch (Exception ex) when (ex is not OperationCanceledException)
                    {
                        recovered = $"; recovery failed: {ex.Message}";
                    }
                }
                current = candidate;
                bool withinBudget = drop <= _settings.MaxMetricDrop && !double.IsNaN(candidate.Metric);
                if (withinBudget)
                {
                    bool progressed = candidate.Sparsity - best.Sparsity >= _settings.MinProgress * (1 - best.Sparsity);
                    if (candidate.Sparsity >= best.Sparsity) best = candidate;
                    string shown = _settings.UncertaintyMargin > 0 ? $" (drop {DropText(baseline, candidate)})" : "";
                    Record(iteration, target, candidate, step, "accept" + shown + recovered, isAccepted: true);
                    if (planned is null) step = Math.Min(_settings.MaxStep, step * _settings.StepGrowth);
                    stalled = progressed ? 0 : stalled + 1;
                    if (TargetReached(best)) { reason = "target met"; break; }
                    if (stalled >= _settings.NoProgressLimit) { reason = "no progress"; break; }
                }
                else
                {
                    Record(iteration, target, candidate, step, $"rollback (drop {DropText(baseline, candidate)} > {_settings.MaxMetricDrop}{recovered})");
                    if (planned is not null) continue;
                    step *= _settings.StepShrink;
                    if (step < _settings.MinStep) { reason = "step below minimum"; break; }
                }
            }
        }
        catch (OperationCanceledException)
        {
            return new LoopOutcome(best, accepted, trajectory, "canceled", Canceled: true);
        }
        return new LoopOutcome(best, accepted, trajectory, reason, Canceled: false);
    }

    /// <summary>The drop a step is judged by: measured, plus the margin for how precisely validation measures it.</summary>
    private double JudgedDrop(Checkpoint baseline, Checkpoint candidate)
    {
        double measured = MeasuredDrop(baseline, candidate);
        // An unmeasurable error (NaN) under a margin fails the step: the loop cannot vouch for it.
        return _settings.UncertaintyMargin > 0 ? measured + _settings.UncertaintyMargin * candidate.DropStandardError : measured;
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

    /// <summary>The sparsities a fixed schedule visits.</summary>
    internal IEnumerable<double> PlannedSparsities(double start)
    {
        switch (_settings.Schedule)
        {
            case PruningSchedule.OneShot:
                return new[] { _settings.TargetSparsity ?? 0.9 };
            case PruningSchedule.FixedIterative:
                return _settings.FixedSparsities.Where(s => s > start).ToArray();
            case PruningSchedule.Agp:
            {
                double final = _settings.TargetSparsity ?? _settings.FixedSparsities.Max();
                int n = _settings.AgpSteps;
                return Enumerable.Range(1, n).Select(t => final + (start - final) * Math.Pow(1 - (double)t / n, 3)).ToArray();
            }
            default:
                return Array.Empty<double>();
        }
    }
}
