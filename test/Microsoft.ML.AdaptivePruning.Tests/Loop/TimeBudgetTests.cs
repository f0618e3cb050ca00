using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>TimeBudget stops the loop at the best checkpoint so far, even in the middle of a step; progress says how long is left.</summary>
[TestFixture]
public class TimeBudgetTests
{
    private const double Budget = 0.05;

    [Test]
    public void ATinyBudget_InterruptsTheStepUnderWay_AndReturnsTheBaseline()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        // One step would take well over a minute: only the budget can end it in time. (FineTuneBatches = 0 runs all the
        // epochs; by default a step stops at the fewest epochs that give 300 updates.)
        options.FineTuneEpochs = 2000;
        options.FineTuneBatches = 0;
        options.TimeBudget = TimeSpan.FromSeconds(1);
        Stopwatch? loopClock = null;
        options.Progress = new CallbackProgress(p => { if (p.Iteration == 0) loopClock = Stopwatch.StartNew(); });

        NeuralNetworkTransformer model = DigitsLoop.Fit(options);
        double loopSeconds = loopClock!.Elapsed.TotalSeconds;

        Assert.That(DigitsLoop.StopReason(model), Does.StartWith("time budget used"));
        Assert.That(loopSeconds, Is.LessThan(10), "the step was interrupted rather than finished");
        Assert.That(model.Report.Trajectory, Has.Count.EqualTo(1), "only the baseline was checkpointed");
        Assert.That(model.Network.NonzeroParameterCount, Is.EqualTo(DigitsLoop.Dense.Network.NonzeroParameterCount), "the best checkpoint so far is the dense network");
        Assert.That(TransformedBudget.Metric(PruningTask.MulticlassClassification, model, DigitsLoop.Validation),
            Is.EqualTo(model.Report.MetricBefore).Within(TransformedBudget.MetricTolerance), "a valid, scoring checkpoint");
        model.Dispose();
    }

    [Test]
    public void ABudgetOfAFewSteps_KeepsTheBestAcceptedStep_AndProgressEstimatesTheRest()
    {
        AdaptivePruneOptions options = DigitsLoop.Options(Budget);
        // Each step's report holds the loop's thread for 2.5 s, so the 4 s budget runs out by the third iteration on any
        // machine, before the loop could stop for another reason (no progress needs three stalled steps; the step
        // cannot shrink below 1e-12 or reach the maximum sparsity in two).
        options.MaxIterations = 1000;
        options.MinStep = 1e-12;
        options.TimeBudget = TimeSpan.FromSeconds(4);
        var seen = new List<PruningIteration>();
        options.Progress = new CallbackProgress(step =>
        {
            seen.Add(step);
            if (step.Iteration > 0) System.Threading.Thread.Sleep(2500);
        });

        NeuralNetworkTransformer model = DigitsLoop.Fit(options);

        Assert.That(DigitsLoop.StopReason(model), Does.StartWith("time budget used"));
        Assert.That(seen[0].EstimatedRemainingSeconds, Is.Null, "nothing is timed at the baseline");
        foreach (PruningIteration step in seen.Skip(1))
        {
            Assert.That(step.EstimatedRemainingSeconds, Is.Not.Null);
            double mean = step.ElapsedSeconds / step.Iteration;
            double expected = Math.Min(mean * (options.MaxIterations - step.Iteration), Math.Max(0, 4 - step.ElapsedSeconds));
            Assert.That(step.EstimatedRemainingSeconds!.Value, Is.EqualTo(expected).Within(0.05), $"iteration {step.Iteration}");
            Assert.That(step.ToString(), Does.Contain($"{step.ElapsedSeconds:0.0} s elapsed").And.Contain("s left"));
        }
        Assume.That(seen.Count(s => s.Accepted && s.Iteration > 0), Is.GreaterThan(0), "some step fitted in four seconds");
        PruningIteration sparsest = seen.Where(s => s.Accepted).OrderBy(s => s.Sparsity).Last();
        Assert.That(model.Report.NonzeroParameters, Is.EqualTo(sparsest.NonzeroParameters), "the best checkpoint so far is returned");
        DigitsLoop.AssertWithinBudgetOnValidation(model, Budget);
        model.Dispose();
    }
}
