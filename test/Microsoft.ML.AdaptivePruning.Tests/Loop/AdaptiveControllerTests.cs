using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>The controller's decisions, driven by a cheap deterministic fake step: metric = f(sparsity).</summary>
public class AdaptiveControllerTests
{
    /// <summary>A network the fake runners hand back: the controller never looks inside it.</summary>
    internal static readonly NeuralNetwork Tiny = new(new NetworkSpec(PruningTask.MulticlassClassification, 2, new[] { 2 }, 2),
        new[] { new DenseLayer(2, 2, new float[4], new float[2]), new DenseLayer(2, 2, new float[4], new float[2]) });

    /// <summary>Accuracy 0.9 until the cliff, then falling fast; records every target it was asked for.</summary>
    private sealed class CliffRunner : IPruningStepRunner
    {
        private readonly double _cliff;
        private readonly int _failAt;
        private readonly Action<int>? _onStep;
        public CliffRunner(double cliff, int failAt = -1, Action<int>? onStep = null) { _cliff = cliff; _failAt = failAt; _onStep = onStep; }
        public List<(double From, double Target)> Calls { get; } = new();

        public Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, CancellationToken cancellation)
        {
            _onStep?.Invoke(iteration);
            cancellation.ThrowIfCancellationRequested();
            Calls.Add((from.Sparsity, targetSparsity));
            if (iteration == _failAt) throw new InvalidOperationException("simulated failure");
            double metric = targetSparsity <= _cliff ? 0.9 : 0.9 - Slope * (targetSparsity - _cliff);
            return new Checkpoint(Tiny, targetSparsity, metric, DropError);
        }

        /// <summary>The standard error every step reports for its drop.</summary>
        public double DropError { get; init; }

        /// <summary>How fast the metric falls past the cliff, per unit of sparsity.</summary>
        public double Slope { get; init; } = 5;

        /// <summary>What a longer fine-tune gives back; 0 means recovery never helps.</summary>
        public double RecoveryGain { get; init; }
        public List<Checkpoint> Recovered { get; } = new();

        public Checkpoint Recover(Checkpoint candidate, int iteration, CancellationToken cancellation)
        {
            Recovered.Add(candidate);
            return candidate with { Metric = Math.Min(0.9, candidate.Metric + RecoveryGain) };
        }
    }

    private static Checkpoint Baseline => new(Tiny, 0, 0.9);

    private static ControllerSettings Settings(double maxDrop = 0.01) => new() { Metric = TaskMetric.MicroAccuracy, MaxMetricDrop = maxDrop, InitialStep = 0.5, MinStep = 0.02, MaxIterations = 50 };

    [Test]
    public void GrowsTheStepAfterSuccess()
    {
        var outcome = new AdaptiveController(Settings()).Run(new CliffRunner(0.95), Baseline, CancellationToken.None);
        PruningIteration[] accepted = outcome.Trajectory.Where(t => t.Decision == "accept").ToArray();
        Assert.That(accepted.Length, Is.GreaterThanOrEqualTo(2));
        Assert.That(accepted[1].Step, Is.GreaterThan(accepted[0].Step), "the step after a success is larger");
    }

    [Test]
    public void AMarginRejectsStepsOnlyLuckWouldKeepWithinBudget()
    {
        // Drop = 5 x (sparsity - 0.95) past the cliff; each step measured to +-0.004. With a margin of 2 standard errors
        // a step needs drop + 0.008 <= 0.01, so the loop must stop at 0.9504 where the bare drop would allow 0.952.
        var settings = Settings() with { UncertaintyMargin = 2 };
        LoopOutcome plain = new AdaptiveController(Settings()).Run(new CliffRunner(0.95) { DropError = 0.004 }, Baseline, CancellationToken.None);
        LoopOutcome careful = new AdaptiveController(settings).Run(new CliffRunner(0.95) { DropError = 0.004 }, Baseline, CancellationToken.None);

        foreach (PruningIteration step in careful.Trajectory.Where(t => t.Accepted && t.Iteration > 0))
        {
            Assert.That(0.9 - step.Metric + 2 * step.DropStandardError, Is.LessThanOrEqualTo(0.01 + 1e-12), $"iteration {step.Iteration} accepted over the margin");
            Assert.That(step.Decision, Does.Contain("2 x 0.004 s.e."), "the decision shows the margin it was judged with");
        }
        Assert.That(careful.Trajectory.Any(t => t.Decision.StartsWith("rollback", StringComparison.Ordinal) && 0.9 - t.Metric <= 0.01),
            "some step within the bare budget was rolled back for its uncertainty");
        Assert.That(careful.Best.Sparsity, Is.LessThanOrEqualTo(0.9504 + 1e-9));
        Assert.That(plain.Best.Sparsity, Is.GreaterThan(careful.Best.Sparsity), "without a margin the same steps go further");
    }

    [Test]
    public void AnUnmeasurableErrorFailsTheStepOnlyUnderAMargin()
    {
        var settings = Settings() with { UncertaintyMargin = 1 };
        LoopOutcome careful = new AdaptiveController(settings).Run(new CliffRunner(0.95) { DropError = double.NaN }, Baseline, CancellationToken.None);
        LoopOutcome plain = new AdaptiveController(Settings()).Run(new CliffRunner(0.95) { DropError = double.NaN }, Baseline, CancellationToken.None);
        Assert.That(careful.Best.Sparsity, Is.EqualTo(0), "no step can be vouched for, so the dense baseline stays");
        Assert.That(plain.Best.Sparsity, Is.GreaterThan(0.9), "without a margin the error is not used");
    }

    [Test]
    public void RollsBackAndShrinksAfterFailure()
    {
        var runner = new CliffRunner(0.6);
        var outcome = new AdaptiveController(Settings()).Run(runner, Baseline, CancellationToken.None);
        int rollback = outcome.Trajectory.ToList().FindIndex(t => t.Decision.StartsWith("rollback", StringComparison.Ordinal));
        Assert.That(rollback, Is.GreaterThan(0));
        PruningIteration after = outcome.Trajectory[rollback + 1];
        Assert.That(after.Step, Is.LessThan(outcome.Trajectory[rollback].Step), "the step shrinks after a rollback");
        // The step after a rollback starts from the last accepted checkpoint, not from the rejected one.
        Assert.That(runner.Calls[rollback].From, Is.LessThan(outcome.Trajectory[rollback].Sparsity));
        Assert.That(runner.Calls[rollback].From, Is.EqualTo(runner.Calls[rollback - 1].From).Or.EqualTo(outcome.Trajectory[rollback - 1].Sparsity));
    }

    [Test]
    public void NeverReturnsAnOverBudgetCheckpoint()
    {
        var outcome = new AdaptiveController(Settings(0.01)).Run(new CliffRunner(0.7), Baseline, CancellationToken.None);
        Assert.That(0.9 - outcome.Best.Metric, Is.LessThanOrEqualTo(0.01));
        Assert.That(outcome.Best.Sparsity, Is.GreaterThan(0.6).And.LessThanOrEqualTo(0.7 + 0.002), "it converges just under the cliff");
        Assert.That(outcome.StopReason, Is.EqualTo("step below minimum"));
    }

    [Test]
    public void StopsWhenTheTargetIsMet()
    {
        var settings = Settings() with { TargetSparsity = 0.8 };
        var outcome = new AdaptiveController(settings).Run(new CliffRunner(0.99), Baseline, CancellationToken.None);
        Assert.That(outcome.StopReason, Is.EqualTo("target met"));
        Assert.That(outcome.Best.Sparsity, Is.GreaterThanOrEqualTo(0.8));
    }

    [Test]
    public void StopsOnTheIterationBudget()
    {
        var settings = Settings() with { MaxIterations = 2 };
        var outcome = new AdaptiveController(settings).Run(new CliffRunner(0.999), Baseline, CancellationToken.None);
        Assert.That(outcome.Trajectory.Count, Is.EqualTo(3), "baseline plus two iterations");
        Assert.That(outcome.StopReason, Is.EqualTo("iteration budget used"));
    }

    [Test]
    public void StopsOnTheTimeBudget()
    {
        var settings = Settings() with { TimeBudget = TimeSpan.FromMilliseconds(50) };
        var runner = new CliffRunner(0.999, onStep: _ => Thread.Sleep(30));
        var outcome = new AdaptiveController(settings).Run(runner, Baseline, CancellationToken.None);
        Assert.That(outcome.StopReason, Does.StartWith("time budget used"), "between iterations, or interrupting the step under way");
        Assert.That(runner.Calls.Count, Is.LessThanOrEqualTo(3));
    }

    [Test]
    public void StopsAtMaximumSparsity()
    {
        var outcome = new AdaptiveController(Settings() with { MaxSparsity = 0.9 }).Run(new CliffRunner(0.999), Baseline, CancellationToken.None);
        Assert.That(outcome.StopReason, Is.EqualTo("maximum sparsity reached"));
        Assert.That(outcome.Best.Sparsity, Is.EqualTo(0.9).Within(1e-9));
    }

    [Test]
    public void StopsWhenTargetsPredicateHolds()
    {
        var settings = Settings() with { TargetsMet = c => c.Sparsity >= 0.5 };
        var outcome = new AdaptiveController(settings).Run(new CliffRunner(0.999), Baseline, CancellationToken.None);
        Assert.That(outcome.StopReason, Is.EqualTo("target met"));
        Assert.That(outcome.Trajectory.Count, Is.EqualTo(2));
    }

    [Test]
    public void CancellationReturnsTheBestCheckpoint()
    {
        using var source = new CancellationTokenSource();
        var runner = new CliffRunner(0.999, onStep: i => { if (i == 3) source.Cancel(); });
        var outcome = new AdaptiveController(Settings()).Run(runner, Baseline, source.Token);
        Assert.That(outcome.Canceled, Is.True);
        Assert.That(outcome.Best.Sparsity, Is.EqualTo(runner.Calls.Max(c => c.Target)).Within(1e-12), "the last accepted step is kept");
        Assert.That(outcome.Best.Sparsity, Is.GreaterThan(0.5));
    }

    [Test]
    public void AFailingStepRollsBackAndTheLoopGoesOn()
    {
        var outcome = new AdaptiveController(Settings()).Run(new CliffRunner(0.7, failAt: 2), Baseline, CancellationToken.None);
        Assert.That(outcome.Trajectory[2].Decision, Does.StartWith("failed: simulated failure"));
        Assert.That(outcome.Best.Sparsity, Is.GreaterThan(0.6));
    }

    [Test]
    public void FixedSchedulesVisitTheirPlannedSparsities()
    {
        var runner = new CliffRunner(0.92);
        var settings = Settings() with { Schedule = PruningSchedule.FixedIterative };
        var outcome = new AdaptiveController(settings).Run(runner, Baseline, CancellationToken.None);
        Assert.That(runner.Calls.Select(c => c.Target), Is.EqualTo(new[] { 0.5, 0.75, 0.9, 0.95, 0.98, 0.99 }));
        Assert.That(outcome.Best.Sparsity, Is.EqualTo(0.9), "the sparsest step within budget");

        double[] planned = PlannedSchedulePolicy.Sparsities(Settings() with { Schedule = PruningSchedule.Agp, TargetSparsity = 0.9, AgpSteps = 4 }, 0).ToArray();
        double[] expected = Enumerable.Range(1, 4).Select(t => 0.9 + (0 - 0.9) * Math.Pow(1 - t / 4.0, 3)).ToArray();
        Assert.That(planned, Is.EqualTo(expected).Within(1e-12));
        Assert.That(planned[^1], Is.EqualTo(0.9).Within(1e-12));
        Assert.That(PlannedSchedulePolicy.Sparsities(Settings() with { Schedule = PruningSchedule.OneShot, TargetSparsity = 0.7 }, 0), Is.EqualTo(new[] { 0.7 }));
    }

    [Test]
    public void ANearMissIsFineTunedLongerBeforeItIsJudged()
    {
        // Past the cliff at 0.6 the metric falls 1 per unit of sparsity; recovery gives back 0.02, so steps up to
        // 0.6 + 0.01 + 0.02 = 0.63 pass once recovered, while anything past the band (0.64) is not even tried.
        var runner = new CliffRunner(0.6) { Slope = 1, RecoveryGain = 0.02 };
        var settings = Settings() with { RecoveryBand = 4 };
        var outcome = new AdaptiveController(settings).Run(runner, Baseline, CancellationToken.None);

        Assert.That(runner.Recovered, Is.Not.Empty);
        Assert.That(runner.Recovered.All(c => 0.9 - c.Metric > 0.01 && 0.9 - c.Metric <= 0.04 + 1e-12), Is.True,
            "only steps over budget but within 4x the budget are recovered");
        Assert.That(outcome.Trajectory.Any(t => t.Decision.StartsWith("accept after recovery", StringComparison.Ordinal)), Is.True);
        Assert.That(outcome.Trajectory.Select(t => t.Accepted), Is.EqualTo(outcome.Trajectory.Select(t => t.Iteration == 0 || t.Decision.StartsWith("accept", StringComparison.Ordinal))),
            "Accepted marks the baseline and every accepted step, recovered ones included");
        Assert.That(outcome.Accepted.Select(c => c.Sparsity), Is.EqualTo(outcome.Trajectory.Where(t => t.Accepted && t.Iteration > 0).Select(t => t.Sparsity)));
        Assert.That(outcome.Best.Sparsity, Is.GreaterThan(0.61), "recovery lets the loop go past what short fine-tuning allows");
        Assert.That(0.9 - outcome.Best.Metric, Is.LessThanOrEqualTo(0.01), "the returned checkpoint is within budget after recovery");
    }

    [Test]
    public void AFailedRecoveryStillRollsBack()
    {
        var runner = new CliffRunner(0.6) { Slope = 1, RecoveryGain = 0 };
        var outcome = new AdaptiveController(Settings() with { RecoveryBand = 4 }).Run(runner, Baseline, CancellationToken.None);
        Assert.That(runner.Recovered, Is.Not.Empty);
        Assert.That(outcome.Trajectory.Where(t => t.Decision.Contains("after recovery", StringComparison.Ordinal)).All(t => t.Decision.StartsWith("rollback", StringComparison.Ordinal)), Is.True);
        Assert.That(outcome.Best.Sparsity, Is.LessThanOrEqualTo(0.61 + 1e-9));
    }

    [Test]
    public void RecoveryIsOffWithoutABand()
    {
        var runner = new CliffRunner(0.6) { Slope = 1, RecoveryGain = 0.02 };
        new AdaptiveController(Settings()).Run(runner, Baseline, CancellationToken.None);
        Assert.That(runner.Recovered, Is.Empty);
    }

    /// <summary>Accepts every step but can only remove a sliver of what it is asked to, as when pruning hits per-layer floors.</summary>
    private sealed class StuckRunner : IPruningStepRunner
    {
        public int Steps { get; private set; }

        public Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, CancellationToken cancellation)
        {
            Steps++;
            double gained = from.Sparsity < 0.5 ? targetSparsity - from.Sparsity : 0.001 * (1 - from.Sparsity);
            return new Checkpoint(Tiny, from.Sparsity + gained, 0.9);
        }

        public Checkpoint Recover(Checkpoint candidate, int iteration, CancellationToken cancellation) => candidate;
    }

    [Test]
    public void StopsWhenAcceptedStepsStopMakingProgress()
    {
        var runner = new StuckRunner();
        var outcome = new AdaptiveController(Settings() with { NoProgressLimit = 3 }).Run(runner, Baseline, CancellationToken.None);
        Assert.That(outcome.StopReason, Is.EqualTo("no progress"));
        Assert.That(runner.Steps, Is.EqualTo(4), "one real step, then three that removed 0.1% of the remaining weights");
        Assert.That(outcome.Best.Sparsity, Is.GreaterThanOrEqualTo(0.5));
    }
}
