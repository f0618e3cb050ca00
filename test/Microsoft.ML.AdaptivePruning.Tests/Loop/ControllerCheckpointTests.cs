using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>
/// Which network the controller starts each step from and returns, proven with a fake runner whose every step
/// makes a network of its own: each carries a distinct weight value, so a wrong checkpoint cannot pass unnoticed.
/// </summary>
public class ControllerCheckpointTests
{
    private static readonly NetworkSpec Spec = new(PruningTask.MulticlassClassification, 2, new[] { 2 }, 2);

    /// <summary>A network whose weights all equal <paramref name="tag"/>.</summary>
    private static NeuralNetwork Tagged(float tag) => new(Spec, new[]
    {
        new DenseLayer(2, 2, Enumerable.Repeat(tag, 4).ToArray(), new float[2]),
        new DenseLayer(2, 2, Enumerable.Repeat(tag, 4).ToArray(), new float[2]),
    });

    private static float TagOf(NeuralNetwork network) => network.Layers[0].Weights[0];

    private static readonly Checkpoint Baseline = new(Tagged(0), 0, 0.9);

    /// <summary>
    /// Accuracy 0.9 up to the cliff, then 0.9 - (sparsity - cliff); step <c>i</c> returns a new network tagged <c>i</c>,
    /// a recovery one tagged <c>100 + i</c>. Records the network every step was started from.
    /// </summary>
    private sealed class TaggingRunner : IPruningStepRunner
    {
        private readonly double _cliff;
        public TaggingRunner(double cliff) => _cliff = cliff;

        public List<(int Iteration, NeuralNetwork From, double Target)> Steps { get; } = new();
        public Dictionary<int, Checkpoint> Made { get; } = new();
        public int FailAt { get; init; } = -1;
        public double RecoveryGain { get; init; }
        public Action<int>? OnStep { get; init; }

        public Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, CancellationToken cancellation)
        {
            OnStep?.Invoke(iteration);
            cancellation.ThrowIfCancellationRequested();
            Steps.Add((iteration, from.Network, targetSparsity));
            if (iteration == FailAt) throw new InvalidOperationException("simulated failure");
            double metric = targetSparsity <= _cliff ? 0.9 : 0.9 - (targetSparsity - _cliff);
            return Made[iteration] = new Checkpoint(Tagged(iteration), targetSparsity, metric);
        }

        public Checkpoint Recover(Checkpoint candidate, int iteration, CancellationToken cancellation) =>
            Made[100 + iteration] = candidate with { Network = Tagged(100 + iteration), Metric = Math.Min(0.9, candidate.Metric + RecoveryGain) };
    }

    /// <summary>Records the network reported with every iteration; can cancel the loop the way MLContext.CancelExecution() does.</summary>
    private sealed class RecordingObserver : ILoopObserver
    {
        public List<(PruningIteration Iteration, NeuralNetwork Network)> Seen { get; } = new();
        public Func<bool> Canceled { get; init; } = () => false;

        public void OnIteration(PruningIteration iteration, NeuralNetwork network) => Seen.Add((iteration, network));

        public void ThrowIfCanceled()
        {
            if (Canceled()) throw new OperationCanceledException("canceled by the observer");
        }
    }

    private static ControllerSettings Settings() => new() { Metric = TaskMetric.MicroAccuracy, MaxMetricDrop = 0.01, InitialStep = 0.5, MinStep = 0.02, MaxIterations = 50 };

    /// <summary>The network of the sparsest accepted checkpoint recorded before <paramref name="iteration"/> (the baseline's before any).</summary>
    private static NeuralNetwork BestBefore(RecordingObserver observer, int iteration) => observer.Seen
        .Where(s => s.Iteration.Accepted && s.Iteration.Iteration < iteration)
        .OrderBy(s => s.Iteration.Sparsity).ThenBy(s => s.Iteration.Iteration).Last().Network;

    [Test]
    public void AfterARollbackTheAdaptiveScheduleStartsFromTheBestAcceptedNetwork()
    {
        var runner = new TaggingRunner(cliff: 0.6);
        var observer = new RecordingObserver();
        LoopOutcome outcome = new AdaptiveController(Settings()).Run(runner, Baseline, CancellationToken.None, observer);

        int[] rolledBack = outcome.Trajectory.Where(t => t.Decision.StartsWith("rollback", StringComparison.Ordinal)).Select(t => t.Iteration).ToArray();
        Assert.That(rolledBack.Length, Is.GreaterThanOrEqualTo(2), "the cliff forces rollbacks");
        foreach (var step in runner.Steps)
        {
            NeuralNetwork expected = BestBefore(observer, step.Iteration);
            Assert.That(step.From, Is.SameAs(expected), $"iteration {step.Iteration} started from network {TagOf(step.From)}, not the best accepted {TagOf(expected)}");
        }
        foreach (int r in rolledBack.Where(r => r < runner.Steps[^1].Iteration))
        {
            NeuralNetwork next = runner.Steps.First(s => s.Iteration == r + 1).From;
            Assert.That(next, Is.Not.SameAs(runner.Made[r].Network), $"the step after rollback {r} reused the rejected network");
            Assert.That(TagOf(next), Is.Not.EqualTo((float)r));
        }
    }

    [Test]
    public void TheReturnedBestIsTheSparsestAcceptedNetworkItself()
    {
        var runner = new TaggingRunner(cliff: 0.6);
        var observer = new RecordingObserver();
        LoopOutcome outcome = new AdaptiveController(Settings()).Run(runner, Baseline, CancellationToken.None, observer);

        PruningIteration sparsest = outcome.Trajectory.Where(t => t.Accepted && t.Iteration > 0).OrderBy(t => t.Sparsity).Last();
        Assert.That(outcome.Best.Network, Is.SameAs(runner.Made[sparsest.Iteration].Network));
        Assert.That(TagOf(outcome.Best.Network), Is.EqualTo((float)sparsest.Iteration));
        Assert.That(outcome.Best.Metric, Is.EqualTo(sparsest.Metric));
        int lastRollback = outcome.Trajectory.Last(t => t.Decision.StartsWith("rollback", StringComparison.Ordinal)).Iteration;
        Assert.That(lastRollback, Is.GreaterThan(sparsest.Iteration), "a rejected step came after the best one and was not returned");
        Assert.That(outcome.Accepted.Select(c => TagOf(c.Network)), Is.EqualTo(outcome.Trajectory.Where(t => t.Accepted && t.Iteration > 0).Select(t => (float)t.Iteration)),
            "Accepted holds each accepted step's own network, in order");
    }

    [Test]
    public void APlannedScheduleGoesOnFromTheLastNetworkButReturnsTheBestAccepted()
    {
        // Fixed 0.5, 0.75, 0.9, 0.95, 0.98, 0.99 against a cliff at 0.8: the first two pass, the rest roll back.
        var runner = new TaggingRunner(cliff: 0.8);
        var observer = new RecordingObserver();
        LoopOutcome outcome = new AdaptiveController(Settings() with { Schedule = PruningSchedule.FixedIterative }).Run(runner, Baseline, CancellationToken.None, observer);

        Assert.That(outcome.Trajectory.Skip(1).Select(t => t.Accepted), Is.EqualTo(new[] { true, true, false, false, false, false }));
        Assert.That(runner.Steps[0].From, Is.SameAs(Baseline.Network));
        for (int i = 1; i < runner.Steps.Count; i++)
            Assert.That(runner.Steps[i].From, Is.SameAs(runner.Made[runner.Steps[i - 1].Iteration].Network),
                $"iteration {runner.Steps[i].Iteration} did not go on from iteration {runner.Steps[i - 1].Iteration}, rolled back or not");
        Assert.That(outcome.Best.Network, Is.SameAs(runner.Made[2].Network), "the 75% step, the last within budget");
        Assert.That(outcome.StopReason, Is.EqualTo("schedule complete"));
        Assert.That(outcome.Trajectory.Select(t => t.Step).Distinct(), Is.EqualTo(new[] { 0, 0.5 }), "a planned schedule never changes its step");
    }

    [Test]
    public void CancellationReturnsTheBestNetworkSoFarNotTheLastOne()
    {
        using var source = new CancellationTokenSource();
        var runner = new TaggingRunner(cliff: 0.6) { OnStep = i => { if (i == 4) source.Cancel(); } };
        LoopOutcome outcome = new AdaptiveController(Settings()).Run(runner, Baseline, source.Token);

        Assert.That(outcome.Canceled, Is.True);
        Assert.That(outcome.StopReason, Is.EqualTo("canceled"));
        Assert.That(outcome.Trajectory.Count, Is.EqualTo(4), "baseline and the three steps before the canceled one");
        Assert.That(outcome.Trajectory[^1].Accepted, Is.False, "the last step before cancellation was rolled back");
        PruningIteration best = outcome.Trajectory.Where(t => t.Accepted).OrderBy(t => t.Sparsity).Last();
        Assert.That(outcome.Best.Network, Is.SameAs(runner.Made[best.Iteration].Network));
    }

    [Test]
    public void AnObserverCancelsBeforeTheNextStepAndTheBestIsKept()
    {
        var runner = new TaggingRunner(cliff: 0.999);
        RecordingObserver observer = null!;
        observer = new RecordingObserver { Canceled = () => observer.Seen.Count == 3 };
        LoopOutcome outcome = new AdaptiveController(Settings()).Run(runner, Baseline, CancellationToken.None, observer);

        Assert.That(outcome.Canceled, Is.True);
        Assert.That(runner.Steps.Count, Is.EqualTo(2), "no step starts once the observer asks to stop");
        Assert.That(outcome.Best.Network, Is.SameAs(runner.Made[2].Network));
        Assert.That(observer.Seen.Select(s => s.Network), Is.EqualTo(new[] { Baseline.Network, runner.Made[1].Network, runner.Made[2].Network }),
            "the observer saw each iteration with its own network");
    }

    [Test]
    public void AFailedStepIsReportedWithTheBestNetworkAndTheNextStepStartsFromIt()
    {
        var runner = new TaggingRunner(cliff: 0.999) { FailAt = 2 };
        var observer = new RecordingObserver();
        LoopOutcome outcome = new AdaptiveController(Settings()).Run(runner, Baseline, CancellationToken.None, observer);

        Assert.That(outcome.Trajectory[2].Decision, Is.EqualTo("failed: simulated failure"));
        Assert.That(observer.Seen[2].Network, Is.SameAs(runner.Made[1].Network), "a failed step reports the best checkpoint");
        Assert.That(runner.Steps[2].From, Is.SameAs(runner.Made[1].Network));
        Assert.That(outcome.Trajectory[3].Step, Is.EqualTo(outcome.Trajectory[2].Step * 0.5).Within(1e-12), "the step shrinks after a failure");
    }

    [Test]
    public void ARecoveredStepIsReturnedAsTheRecoveredNetwork()
    {
        // Past the cliff at 0.6 a step loses 1 per unit of sparsity; recovery gives back 0.02, so near misses pass.
        var runner = new TaggingRunner(cliff: 0.6) { RecoveryGain = 0.02 };
        LoopOutcome outcome = new AdaptiveController(Settings() with { RecoveryBand = 4 }).Run(runner, Baseline, CancellationToken.None);

        PruningIteration sparsest = outcome.Trajectory.Where(t => t.Accepted).OrderBy(t => t.Sparsity).Last();
        Assert.That(sparsest.Decision, Does.StartWith("accept after recovery"), "the best step is a recovered one");
        Assert.That(outcome.Best.Network, Is.SameAs(runner.Made[100 + sparsest.Iteration].Network), "the recovered network, not the step's own");
        Assert.That(TagOf(outcome.Best.Network), Is.EqualTo(100f + sparsest.Iteration));
        var after = runner.Steps.FirstOrDefault(s => s.Iteration == sparsest.Iteration + 1);
        if (after.From is not null) Assert.That(after.From, Is.SameAs(outcome.Best.Network), "the next step starts from the recovered network");
    }
}
