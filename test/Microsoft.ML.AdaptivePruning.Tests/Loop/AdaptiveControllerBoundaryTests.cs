using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>
/// The controller's and the schedules' decisions at their edges: a drop exactly on the budget, a sparsity exactly on a
/// target, a step exactly at its minimum. Each value is exactly representable, so each comparison is tested on the
/// side the code puts the boundary (these are the cases mutation testing found no test could tell apart).
/// </summary>
public class AdaptiveControllerBoundaryTests
{
    private static NeuralNetwork Tiny => AdaptiveControllerTests.Tiny;

    /// <summary>Returns the scripted checkpoints in order (the last one again once they run out); never looks at the token.</summary>
    private sealed class ScriptedRunner : IPruningStepRunner
    {
        private readonly Queue<Checkpoint> _steps;
        private Checkpoint _last;

        public ScriptedRunner(params (double Sparsity, double Metric)[] steps)
        {
            _steps = new Queue<Checkpoint>(steps.Select(s => new Checkpoint(Tiny, s.Sparsity, s.Metric)));
            _last = _steps.Peek();
        }

        public int Steps { get; private set; }
        public List<Checkpoint> Recovered { get; } = new();
        public Exception? RecoveryFailure { get; init; }

        public Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, CancellationToken cancellation)
        {
            Steps++;
            if (_steps.Count > 0) _last = _steps.Dequeue();
            return _last;
        }

        public Checkpoint Recover(Checkpoint candidate, int iteration, CancellationToken cancellation)
        {
            Recovered.Add(candidate);
            if (RecoveryFailure is not null) throw RecoveryFailure;
            return candidate;
        }
    }

    // Accuracy 0.75 dense; a budget of 0.25 makes a candidate at 0.5 exactly on it (all three are exact in binary).
    private static Checkpoint Baseline => new(Tiny, 0, 0.75);

    private static ControllerSettings Settings() => new()
    {
        Metric = TaskMetric.MicroAccuracy, MaxMetricDrop = 0.25, InitialStep = 0.5, MinStep = 0.02, MaxIterations = 2,
    };

    private static LoopOutcome Run(ControllerSettings settings, IPruningStepRunner runner, CancellationToken cancellation = default) =>
        new AdaptiveController(settings).Run(runner, Baseline, cancellation);

    [Test]
    public void TheFirstEntryIsTheBaseline()
    {
        LoopOutcome outcome = Run(Settings(), new ScriptedRunner((0.5, 0.75)));
        Assert.That(outcome.Trajectory[0].Decision, Is.EqualTo("baseline"));
        Assert.That(outcome.Trajectory[0].Iteration, Is.EqualTo(0));
    }

    [Test]
    public void ADropExactlyOnTheBudgetIsAccepted()
    {
        LoopOutcome outcome = Run(Settings() with { MaxIterations = 1 }, new ScriptedRunner((0.5, 0.5)));
        Assert.That(outcome.Trajectory[1].Decision, Is.EqualTo("accept"));
        Assert.That(outcome.Best.Sparsity, Is.EqualTo(0.5));
    }

    [Test]
    public void ARollbackSaysItsDropAndTheBudget()
    {
        LoopOutcome outcome = Run(Settings() with { MaxIterations = 1 }, new ScriptedRunner((0.5, 0.25)));
        Assert.That(outcome.Trajectory[1].Decision, Is.EqualTo("rollback (drop 0.5 > 0.25)"));
        Assert.That(outcome.Best.Sparsity, Is.EqualTo(0));
    }

    [Test]
    public void ALaterAcceptedStepAtTheSameSparsityReplacesTheBest()
    {
        LoopOutcome outcome = Run(Settings(), new ScriptedRunner((0.5, 0.75), (0.5, 0.625)));
        Assert.That(outcome.Best.Metric, Is.EqualTo(0.625), "the newer network is kept: it is what the next step starts from");
    }

    [Test]
    public void AZeroTimeBudgetTakesNoStepAndAnHourTakesThem()
    {
        var none = new ScriptedRunner((0.5, 0.75));
        LoopOutcome stopped = Run(Settings() with { TimeBudget = TimeSpan.Zero }, none);
        Assert.That(stopped.StopReason, Is.EqualTo("time budget used"));
        Assert.That(none.Steps, Is.EqualTo(0));

        var some = new ScriptedRunner((0.5, 0.75));
        LoopOutcome ran = Run(Settings() with { TimeBudget = TimeSpan.FromHours(1) }, some);
        Assert.That(some.Steps, Is.EqualTo(2));
        Assert.That(ran.StopReason, Is.EqualTo("iteration budget used"));
    }

    [Test]
    public void ACanceledTokenStopsBeforeAStepEvenWhenTheRunnerNeverChecksIt()
    {
        var runner = new ScriptedRunner((0.5, 0.75));
        using var canceled = new CancellationTokenSource();
        canceled.Cancel();
        LoopOutcome outcome = Run(Settings(), runner, canceled.Token);
        Assert.That(outcome.Canceled, Is.True);
        Assert.That(runner.Steps, Is.EqualTo(0));
        Assert.That(outcome.Best.Sparsity, Is.EqualTo(0));
    }

    [Test]
    public void ARollbackIsNotCountedAgainstProgress()
    {
        // With no tolerance for stalls, only an accepted step may end the loop for "no progress"; a rollback goes on.
        var runner = new ScriptedRunner((0.5, 0.25), (0.5, 0.75));
        LoopOutcome outcome = Run(Settings() with { NoProgressLimit = 0 }, runner);
        Assert.That(runner.Steps, Is.EqualTo(2));
        Assert.That(outcome.Trajectory[2].Decision, Is.EqualTo("accept"));
    }

    [Test]
    public void ProgressIsMeasuredAgainstTheWeightsLeft()
    {
        // From 0.5, MinProgress 1/8 of the remaining half asks for 1/16 more; 0.5625 gives exactly that, which counts.
        var runner = new ScriptedRunner((0.5, 0.75), (0.5625, 0.75));
        LoopOutcome outcome = Run(Settings() with { MinProgress = 0.125, NoProgressLimit = 1 }, runner);
        Assert.That(outcome.StopReason, Is.EqualTo("iteration budget used"));
        Assert.That(outcome.Canceled, Is.False);

        var tooLittle = new ScriptedRunner((0.5, 0.75), (0.53125, 0.75));
        Assert.That(Run(Settings() with { MinProgress = 0.125, NoProgressLimit = 1 }, tooLittle).StopReason, Is.EqualTo("no progress"));
    }

    [Test]
    public void ANearMissAtTheBestSparsityIsNotRecovered()
    {
        // Step 2 is a near miss (drop 0.375 within 2 x 0.25) but goes no further than the best checkpoint.
        var runner = new ScriptedRunner((0.5, 0.75), (0.5, 0.375));
        Run(Settings() with { RecoveryBand = 2 }, runner);
        Assert.That(runner.Recovered, Is.Empty);
    }

    [Test]
    public void TheRecoveryBandIncludesItsUpperEdgeButNotTheBudgetItself()
    {
        var onBudget = new ScriptedRunner((0.5, 0.5));
        Run(Settings() with { RecoveryBand = 2, MaxIterations = 1 }, onBudget);
        Assert.That(onBudget.Recovered, Is.Empty, "a drop on the budget is accepted as it is");

        // Drop 0.5 = 2 x 0.25: the edge of the band.
        var onEdge = new ScriptedRunner((0.5, 0.25));
        Run(Settings() with { RecoveryBand = 2, MaxIterations = 1 }, onEdge);
        Assert.That(onEdge.Recovered, Has.Count.EqualTo(1));
    }

    [Test]
    public void AFailedRecoverySaysWhy()
    {
        var runner = new ScriptedRunner((0.5, 0.375)) { RecoveryFailure = new InvalidOperationException("out of patience") };
        LoopOutcome outcome = Run(Settings() with { RecoveryBand = 2, MaxIterations = 1 }, runner);
        Assert.That(outcome.Trajectory[1].Decision, Is.EqualTo("rollback (drop 0.375 > 0.25; recovery failed: out of patience)"));
    }

    [Test]
    public void ATargetIsMetAtItsOwnValueAndWithinItsTolerance()
    {
        Assert.That(Run(Settings() with { TargetSparsity = 0.5 }, new ScriptedRunner((0.5, 0.75))).StopReason, Is.EqualTo("target met"));
        double justUnder = 0.5 - 1e-9;
        Assert.That(Run(Settings() with { TargetSparsity = 0.5 }, new ScriptedRunner((justUnder, 0.75))).StopReason, Is.EqualTo("target met"));
    }

    [Test]
    public void TheAdaptiveScheduleStopsAtItsMaximumWithinTolerance()
    {
        var policy = new AdaptiveSchedulePolicy(Settings() with { MaxSparsity = 0.5 });
        Assert.That(policy.Next(new Checkpoint(Tiny, 0.5 - 1e-12, 0.75)).StopReason, Is.EqualTo("maximum sparsity reached"));
        Assert.That(policy.Next(new Checkpoint(Tiny, 0.25, 0.75)).Sparsity, Is.EqualTo(0.5), "a step past the maximum aims at it");
    }

    [Test]
    public void TheAdaptiveStepGrowsUpToItsCapAndMayShrinkToItsMinimum()
    {
        var policy = new AdaptiveSchedulePolicy(Settings() with { InitialStep = 0.5, StepGrowth = 1.5, MaxStep = 0.8 });
        Assert.That(policy.After(StepVerdict.Accepted), Is.Null);
        Assert.That(policy.Step, Is.EqualTo(0.75));
        Assert.That(policy.After(StepVerdict.Accepted), Is.Null);
        Assert.That(policy.Step, Is.EqualTo(0.8), "the growth stops at MaxStep");

        var shrinking = new AdaptiveSchedulePolicy(Settings() with { InitialStep = 0.5, StepShrink = 0.5, MinStep = 0.25 });
        Assert.That(shrinking.After(StepVerdict.RolledBack), Is.Null, "a step exactly at the minimum is still taken");
        Assert.That(shrinking.After(StepVerdict.Failed), Is.EqualTo("step below minimum after a failed step"));
    }

    [Test]
    public void AFixedScheduleSkipsTheSparsityItStartsAt()
    {
        ControllerSettings settings = Settings() with { Schedule = PruningSchedule.FixedIterative, FixedSparsities = new[] { 0.5, 0.8 } };
        Assert.That(PlannedSchedulePolicy.Sparsities(settings, 0.5), Is.EqualTo(new[] { 0.8 }));
    }

    [Test]
    public void AgpWithoutATargetEndsAtTheLargestFixedSparsity()
    {
        ControllerSettings settings = Settings() with { Schedule = PruningSchedule.Agp, FixedSparsities = new[] { 0.5, 0.9 }, AgpSteps = 4 };
        IReadOnlyList<double> targets = PlannedSchedulePolicy.Sparsities(settings, 0);
        Assert.That(targets[^1], Is.EqualTo(0.9).Within(1e-12));
    }
}
