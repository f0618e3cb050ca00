using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.AdaptivePruning.Tests.Loop;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// AdaptivePrune cancelled at 20 seeded random points, by three hooks: a token that fires after a random delay (landing
/// anywhere: dense training, mid-epoch fine-tuning, evaluation), MLContext.Log during dense training at a random epoch,
/// and the Progress callback at a random iteration. Each run ends within a timeout with either a model within budget,
/// scored through Transform, or, when the token fired before the dense baseline existed, a plain
/// OperationCanceledException (there is no checkpoint to return yet).
/// </summary>
[TestFixture, Category("Soak")]
public class CancellationSoakTests
{
    private const int Points = 20, Seed = 11, DenseEpochs = 8;

    private enum Hook { Delay, Progress, DenseEpoch }
    private const double MaxDrop = 0.03;
    private static readonly TimeSpan Timeout = TimeSpan.FromMinutes(1);

    private static AdaptivePruneOptions Options(IDataView valid, IProgress<PruningIteration> progress, CancellationToken token, DenseBaseline? dense = null) => new()
    {
        Task = PruningTask.BinaryClassification,
        HiddenLayers = new[] { 16 },
        DenseEpochs = DenseEpochs,
        BatchSize = 32,
        DenseLearningRate = 3e-3,
        FineTuneEpochs = 1,
        MaxMetricDrop = MaxDrop,
        ValidationData = valid,
        SensitivityAllocation = false,
        MaxIterations = 10,
        Progress = progress,
        CancellationToken = token,
        CheckpointObserver = dense is null ? null : dense.Observe,
    };

    [Test]
    public void TwentySeededCancellations_EndInAModelWithinBudgetOrACleanCancellation()
    {
        var ml = new MLContext(seed: Seed);
        var (train, valid) = SoakData.BreastCancer(ml);

        // An uncancelled run with the same seed sets the range of delays and iterations; it runs twice and the second is
        // timed, since the first pays for JIT compilation.
        var clock = new Stopwatch();
        double baselineSeconds = 0, referenceSeconds = 0;
        int referenceIterations = 0;
        var timing = new CallbackProgress(p => { if (p.Iteration == 0) baselineSeconds = clock.Elapsed.TotalSeconds; });
        for (int run = 0; run < 2; run++)
        {
            clock.Restart();
            using NeuralNetworkTransformer reference = new MLContext(seed: Seed).Transforms.AdaptivePrune(Options(valid, timing, default)).Fit(train);
            referenceIterations = reference.Trajectory.Count - 1;
            referenceSeconds = clock.Elapsed.TotalSeconds;
        }

        var random = new Random(20_260_611);
        int models = 0, canceledBeforeBaseline = 0, duringDenseTraining = 0;
        clock.Restart();
        for (int point = 0; point < Points; point++)
        {
            // Every point draws all three, so the sequence does not depend on the hook.
            Hook hook = (point % 4) switch { 0 => Hook.Delay, 1 => Hook.DenseEpoch, _ => Hook.Progress };
            int delayMs = random.Next((int)(referenceSeconds * 1000) + 1);
            int atEpoch = random.Next(1, DenseEpochs);
            int atIteration = random.Next(referenceIterations + 1);
            string where = $"point {point}: " + hook switch
            {
                Hook.Delay => $"token after {delayMs} ms",
                Hook.DenseEpoch => $"from MLContext.Log after dense epoch {atEpoch} of {DenseEpochs}",
                _ => $"from Progress at iteration {atIteration}",
            };
            if (hook == Hook.DenseEpoch) duringDenseTraining++;

            using var source = new CancellationTokenSource();
            var seen = new List<PruningIteration>();
            var progress = new CallbackProgress(p =>
            {
                lock (seen) seen.Add(p);
                if (hook == Hook.Progress && p.Iteration == atIteration) source.Cancel();
            });
            var mlRun = new MLContext(seed: Seed);
            // The dense trainer logs each epoch on the training thread; it checks the token before the next one.
            string epochLine = $"Epoch {atEpoch}/{DenseEpochs}:";
            if (hook == Hook.DenseEpoch) mlRun.Log += (_, e) => { if (e.Message.Contains(epochLine, StringComparison.Ordinal)) source.Cancel(); };
            if (hook == Hook.Delay) source.CancelAfter(delayMs);
            var dense = new DenseBaseline();
            AdaptivePruneOptions options = Options(valid, progress, source.Token, dense);
            Task<NeuralNetworkTransformer> fit = Task.Run(() => mlRun.Transforms.AdaptivePrune(options).Fit(train));

            Assert.That(Task.WhenAny(fit, Task.Delay(Timeout)).Result, Is.SameAs(fit), $"{where}: the fit neither finished nor stopped within {Timeout.TotalSeconds} s");
            if (fit.IsFaulted)
            {
                Exception error = fit.Exception!.InnerException!;
                Assert.That(error, Is.InstanceOf<OperationCanceledException>(), $"{where}: only cancellation may end the fit without a model, got {error}");
                lock (seen) Assert.That(seen, Is.Empty, $"{where}: once the baseline exists, cancellation returns a model");
                canceledBeforeBaseline++;
                continue;
            }
            using NeuralNetworkTransformer model = fit.Result;
            using (NeuralNetworkTransformer denseModel = dense.Transformer(train))
                AssertWithinBudget(model, denseModel, valid, options.UncertaintyMargin, where);
            if (hook == Hook.Progress && atIteration < referenceIterations)
                Assert.That(model.Report.Notes[^1], Does.Contain("canceled"), $"{where}: the report says the loop was cancelled");
            models++;
        }
        TestContext.Progress.WriteLine($"[soak] cancellation: reference run {referenceSeconds:0.0} s (baseline after {baselineSeconds:0.0} s) with {referenceIterations} iterations; " +
            $"{Points} points in {clock.Elapsed.TotalSeconds:0.0} s: {models} models within budget, {canceledBeforeBaseline} cancelled before the dense baseline");
        Assert.That(models, Is.GreaterThanOrEqualTo(Points / 2), "every cancellation from Progress returns a model");
        Assert.That(canceledBeforeBaseline, Is.GreaterThanOrEqualTo(duringDenseTraining), "every cancellation during dense training ends in OperationCanceledException");
    }

    /// <summary>
    /// The returned network is within budget against the dense baseline its report recorded (also the first trajectory
    /// entry), as measured again by scoring both networks through Transform and ML.NET's evaluator on the validation rows.
    /// </summary>
    private static void AssertWithinBudget(NeuralNetworkTransformer model, NeuralNetworkTransformer dense, IDataView valid, double margin, string where)
    {
        CompressionReport report = model.Report;
        Assert.That(report.Trajectory[0].Decision, Is.EqualTo("baseline"), where);
        Assert.That(report.MetricBefore, Is.EqualTo(report.Trajectory[0].Metric), $"{where}: the baseline is the dense network's metric");
        TransformedBudget.AssertWithinBudget(PruningTask.BinaryClassification, model, dense, valid, MaxDrop, margin, where + ": ");
    }
}
