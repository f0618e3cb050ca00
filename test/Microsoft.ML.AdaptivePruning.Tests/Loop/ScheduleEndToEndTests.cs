using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>The real loop on digits under each planned schedule: the steps it takes, why it stops, and the budget re-measured.</summary>
public class ScheduleEndToEndTests
{
    private const double Budget = 0.03;

    /// <summary>
    /// What every planned run must show: the planned targets in order, each reached, an unchanging step, the stop
    /// reason, the sparsest accepted step returned, and that step within budget when ML.NET scores it.
    /// </summary>
    private static void AssertPlannedRun(NeuralNetworkTransformer model, double[] targets, string stopReason)
    {
        PruningIteration[] steps = model.Report.Trajectory.Skip(1).ToArray();
        Assert.That(steps.Select(t => t.TargetSparsity), Is.EqualTo(targets).Within(1e-12), "the planned targets, in order");
        foreach (PruningIteration step in steps)
            Assert.That(step.Sparsity, Is.GreaterThanOrEqualTo(step.TargetSparsity - 1e-3), $"iteration {step.Iteration} fell short of its target");
        Assert.That(steps.Select(t => t.Step).Distinct(), Is.EqualTo(new[] { new AdaptivePruneOptions().InitialStep }), "a planned schedule keeps its step");
        Assert.That(DigitsLoop.StopReason(model), Is.EqualTo(stopReason));

        PruningIteration sparsest = model.Report.Trajectory.Where(t => t.Accepted).OrderBy(t => t.Sparsity).Last();
        Assert.That(sparsest.Iteration, Is.GreaterThan(0), "some step was accepted");
        Assert.That(model.Report.NonzeroParameters, Is.EqualTo(sparsest.NonzeroParameters), "the sparsest accepted step is returned");
        Assert.That(model.Report.MetricAfter, Is.EqualTo(sparsest.Metric).Within(1e-12));
        DigitsLoop.AssertWithinBudgetOnValidation(model, Budget);
    }

    [Test]
    public void AgpVisitsItsCubicScheduleInOrder()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        options.Schedule = PruningSchedule.Agp;
        options.TargetSparsity = 0.8;
        options.AgpSteps = 4;
        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        double start = model.Report.Trajectory[0].Sparsity;
        double[] expected = Enumerable.Range(1, 4).Select(t => 0.8 + (start - 0.8) * Math.Pow(1 - t / 4.0, 3)).ToArray();
        Assert.That(expected, Is.Ordered.Ascending);
        // The target stops the loop only once an accepted step is at it; rounding to whole weights can leave it a hair short.
        bool reached = model.Report.Trajectory.Any(t => t.Accepted && t.Sparsity >= 0.8 - 1e-9);
        AssertPlannedRun(model, expected, reached ? "target met" : "schedule complete");
        model.Dispose();
    }

    [Test]
    public void FixedIterativeVisitsItsListInOrderAndCompletesIt()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        options.Schedule = PruningSchedule.FixedIterative;
        options.FixedSparsities = new[] { 0.3, 0.6, 0.85, 0.97 };
        var observed = new List<(PruningIteration Iteration, NeuralNetwork Network)>();
        options.CheckpointObserver = (iteration, network) => observed.Add((iteration, network));
        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        Assert.That(observed.Select(o => o.Iteration), Is.EqualTo(model.Report.Trajectory), "CheckpointObserver saw every iteration, in order");
        Assert.That(observed.Select(o => o.Network.NonzeroParameterCount), Is.EqualTo(model.Report.Trajectory.Select(t => t.NonzeroParameters)),
            "each with the network it describes");

        // No target is set, so only the end of the list stops it.
        AssertPlannedRun(model, new[] { 0.3, 0.6, 0.85, 0.97 }, "schedule complete");
        model.Dispose();
    }

    [Test]
    public void OneShotTakesASingleStepToTheTarget()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        options.Schedule = PruningSchedule.OneShot;
        options.TargetSparsity = 0.6;
        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        Assert.That(model.Report.Trajectory[1].Accepted, Is.True, "60% of a 64-64-32 network fits a 3-point budget");
        AssertPlannedRun(model, new[] { 0.6 }, "target met");
        model.Dispose();
    }
}
