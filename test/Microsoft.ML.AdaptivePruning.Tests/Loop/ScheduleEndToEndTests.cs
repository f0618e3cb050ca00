using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>The real loop on digits under each planned schedule: the steps it takes, why it stops, and the budget re-measured.</summary>
public class ScheduleEndToEndTests
{
    private const double Budget = 0.03;

    private static double[] Targets(NeuralNetworkTransformer model) => model.Report.Trajectory.Skip(1).Select(t => t.TargetSparsity).ToArray();

    /// <summary>Every step reached the sparsity it aimed at (neuron surgery can only remove more).</summary>
    private static void AssertEachStepReachedItsTarget(NeuralNetworkTransformer model)
    {
        foreach (PruningIteration step in model.Report.Trajectory.Skip(1))
            Assert.That(step.Sparsity, Is.GreaterThanOrEqualTo(step.TargetSparsity - 1e-3), $"iteration {step.Iteration}");
    }

    /// <summary>The returned network is the sparsest step that was accepted.</summary>
    private static void AssertReturnsTheSparsestAccepted(NeuralNetworkTransformer model)
    {
        PruningIteration sparsest = model.Report.Trajectory.Where(t => t.Accepted).OrderBy(t => t.Sparsity).Last();
        Assert.That(sparsest.Iteration, Is.GreaterThan(0), "some step was accepted");
        Assert.That(model.Report.NonzeroParameters, Is.EqualTo(sparsest.NonzeroParameters));
        Assert.That(model.Report.MetricAfter, Is.EqualTo(sparsest.Metric).Within(1e-12));
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
        Assert.That(Targets(model), Is.EqualTo(expected).Within(1e-12));
        Assert.That(expected, Is.Ordered.Ascending);
        AssertEachStepReachedItsTarget(model);
        // The target stops the loop only once an accepted step is at it; rounding to whole weights can leave it a hair short.
        bool reached = model.Report.Trajectory.Any(t => t.Accepted && t.Sparsity >= 0.8 - 1e-9);
        Assert.That(DigitsLoop.StopReason(model), Is.EqualTo(reached ? "target met" : "schedule complete"));
        Assert.That(model.Report.Trajectory.Skip(1).Select(t => t.Step).Distinct(), Is.EqualTo(new[] { options.InitialStep }), "a planned schedule keeps its step");
        AssertReturnsTheSparsestAccepted(model);
        DigitsLoop.AssertWithinBudgetOnValidation(model, Budget);
        model.Dispose();
    }

    [Test]
    public void FixedIterativeVisitsItsListInOrderAndCompletesIt()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        options.Schedule = PruningSchedule.FixedIterative;
        options.FixedSparsities = new[] { 0.3, 0.6, 0.85, 0.97 };
        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        Assert.That(Targets(model), Is.EqualTo(new[] { 0.3, 0.6, 0.85, 0.97 }));
        AssertEachStepReachedItsTarget(model);
        Assert.That(DigitsLoop.StopReason(model), Is.EqualTo("schedule complete"), "no target is set, so only the list ends it");
        AssertReturnsTheSparsestAccepted(model);
        DigitsLoop.AssertWithinBudgetOnValidation(model, Budget);
        model.Dispose();
    }

    [Test]
    public void OneShotTakesASingleStepToTheTarget()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        options.Schedule = PruningSchedule.OneShot;
        options.TargetSparsity = 0.6;
        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        Assert.That(Targets(model), Is.EqualTo(new[] { 0.6 }));
        AssertEachStepReachedItsTarget(model);
        Assert.That(model.Report.Trajectory[1].Accepted, Is.True, "60% of a 64-64-32 network fits a 3-point budget");
        Assert.That(DigitsLoop.StopReason(model), Is.EqualTo("target met"));
        AssertReturnsTheSparsestAccepted(model);
        DigitsLoop.AssertWithinBudgetOnValidation(model, Budget);
        model.Dispose();
    }
}
