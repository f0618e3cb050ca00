using System;
using System.Collections.Generic;
using System.Reflection;
using System.Threading;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>Cancelling the loop, by token or by MLContext.CancelExecution(), returns the best checkpoint within budget.</summary>
public class AdaptivePruneCancellationTests
{
    private static (IDataView Train, IDataView Valid) Digits(MLContext ml)
    {
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features"))
            .Fit(SampleDatasets.LoadDigits(ml)).Transform(SampleDatasets.LoadDigits(ml));
        var split = ml.Data.TrainTestSplit(data, 0.25, seed: 2);
        return (split.TrainSet, split.TestSet);
    }

    private const double MaxDrop = 0.05;

    private static AdaptivePruneOptions Options(IDataView valid, IProgress<PruningIteration> progress, DenseBaseline dense, CancellationToken token = default) => new()
    {
        Task = PruningTask.MulticlassClassification,
        HiddenLayers = new[] { 32 },
        DenseEpochs = 15,
        BatchSize = 32,
        DenseLearningRate = 3e-3,
        FineTuneEpochs = 1,
        MaxMetricDrop = MaxDrop,
        ValidationData = valid,
        SensitivityAllocation = false,
        MaxIterations = 50,
        Progress = progress,
        CancellationToken = token,
        CheckpointObserver = dense.Observe,
    };

    [Test]
    public void TokenCancellationReturnsTheBestCheckpoint()
    {
        var ml = new MLContext(seed: 2);
        var (train, valid) = Digits(ml);
        using var source = new CancellationTokenSource();
        var seen = new List<PruningIteration>();
        var progress = new CallbackProgress(p => { seen.Add(p); if (p.Iteration == 2) source.Cancel(); });

        var dense = new DenseBaseline();
        AdaptivePruneOptions options = Options(valid, progress, dense, source.Token);
        NeuralNetworkTransformer model = ml.Transforms.AdaptivePrune(options).Fit(train);

        Assert.That(seen.Count, Is.EqualTo(3), "baseline and two iterations, then it stopped");
        Assert.That(model.Report.Notes[^1], Does.Contain("canceled"));
        Assert.That(model.Report.Trajectory.Count, Is.EqualTo(3));
        using (NeuralNetworkTransformer denseModel = dense.Transformer(train))
            TransformedBudget.AssertWithinBudget(PruningTask.MulticlassClassification, model, denseModel, valid, MaxDrop, options.UncertaintyMargin);
        Assert.That(model.Trajectory, Is.SameAs(model.Report.Trajectory));
        model.Dispose();
    }

    [Test]
    public void MLContextCancelExecutionReturnsTheBestCheckpoint()
    {
        var ml = new MLContext(seed: 2);
        var (train, valid) = Digits(ml);
        // ML.NET 5 keeps CancelExecution internal (AutoML calls it); invoke it the way such a caller would.
        MethodInfo cancel = typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!;
        var progress = new CallbackProgress(p => { if (p.Iteration == 1) cancel.Invoke(ml, null); });

        var dense = new DenseBaseline();
        AdaptivePruneOptions options = Options(valid, progress, dense);
        NeuralNetworkTransformer model = ml.Transforms.AdaptivePrune(options).Fit(train);

        Assert.That(model.Report.Notes[^1], Does.Contain("canceled"));
        Assert.That(model.Report.Trajectory.Count, Is.EqualTo(2), "baseline and the iteration during which it was canceled");
        using (NeuralNetworkTransformer denseModel = dense.Transformer(train))
            TransformedBudget.AssertWithinBudget(PruningTask.MulticlassClassification, model, denseModel, valid, MaxDrop, options.UncertaintyMargin);
        model.Dispose();
    }
}
