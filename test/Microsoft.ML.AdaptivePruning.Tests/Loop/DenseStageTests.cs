using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>AdaptivePrune's own dense stage trains to convergence by default, on the loop's validation rows, and says how.</summary>
[TestFixture]
public class DenseStageTests
{
    private static AdaptivePruneOptions Options(bool earlyStopping, int denseEpochs) => new()
    {
        Task = PruningTask.MulticlassClassification,
        HiddenLayers = new[] { 16 },
        DenseEpochs = denseEpochs,
        DenseLearningRate = 1e-2,
        DensePatience = 3,
        DenseEarlyStopping = earlyStopping,
        BatchSize = 64,
        ValidationData = StageTestData.DigitsTest,
        MaxMetricDrop = 0.02,
        SensitivityAllocation = false,
        FineTuneEpochs = 1,
        MaxIterations = 1,
    };

    private static (NeuralNetworkTransformer Model, List<string> Log) Fit(AdaptivePruneOptions options, int seed = 3)
    {
        var ml = new MLContext(seed);
        var log = new List<string>();
        ml.Log += (_, e) => { if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) log.Add(e.RawMessage); };
        return (ml.Transforms.AdaptivePrune(options).Fit(StageTestData.DigitsTrain), log);
    }

    [Test]
    public void ByDefault_TheDenseStageStopsOnAPlateau_AndTheReportAndLogSaySo()
    {
        var dense = new DenseBaseline();
        AdaptivePruneOptions options = Options(earlyStopping: true, denseEpochs: 300);
        options.CheckpointObserver = dense.Observe;
        (NeuralNetworkTransformer model, List<string> log) = Fit(options);
        DenseTrainingSummary summary = model.Report.DenseTraining!;

        Assert.That(summary.StopReason, Is.EqualTo(TrainingStopReason.ValidationPlateau));
        Assert.That(summary.EpochsRun, Is.EqualTo(summary.BestEpoch + 3));
        Assert.That(log.Single(l => l.StartsWith("Dense training: ", StringComparison.Ordinal)), Does.Contain($"{summary.EpochsRun} of at most 300 epochs"));
        // The baseline the budget is measured against is the kept epoch, judged on the loop's own validation rows.
        Assert.That(model.Report.MetricBefore, Is.EqualTo(summary.ValidationMetric).Within(1e-12));
        using NeuralNetworkTransformer baseline = dense.Transformer(StageTestData.DigitsTrain);
        Assert.That(TransformedBudget.Metric(PruningTask.MulticlassClassification, baseline, StageTestData.DigitsTest), Is.EqualTo(summary.ValidationMetric).Within(TransformedBudget.MetricTolerance));
        Assert.That(ReportJson(model).DenseTraining!.EpochsRun, Is.EqualTo(summary.EpochsRun), "the summary survives the JSON report");
        Assert.That(model.Report.ToJson(), Does.Contain("\"StopReason\": \"ValidationPlateau\""), "the reason is written by name");
        model.Dispose();
    }

    [Test]
    public void FixedMode_TrainsExactlyDenseEpochs()
    {
        (NeuralNetworkTransformer model, List<string> log) = Fit(Options(earlyStopping: false, denseEpochs: 4));

        Assert.That(model.Report.DenseTraining!.EpochsRun, Is.EqualTo(4));
        Assert.That(model.Report.DenseTraining.StopReason, Is.EqualTo(TrainingStopReason.FixedEpochs));
        Assert.That(log.Count(l => l.StartsWith("Epoch ", StringComparison.Ordinal)), Is.EqualTo(4));
        model.Dispose();
    }

    [Test]
    public void WithAnInitialModel_ThereIsNoDenseTraining()
    {
        AdaptivePruneOptions options = Options(earlyStopping: true, denseEpochs: 300);
        options.InitialModel = StageTestData.DenseDigits;
        (NeuralNetworkTransformer model, _) = Fit(options);

        Assert.That(model.Report.DenseTraining, Is.Null);
        model.Dispose();
    }

    [Test]
    public void SameSeed_GivesTheSameDenseEpochsAndPrunedNetwork()
    {
        (NeuralNetworkTransformer first, _) = Fit(Options(earlyStopping: true, denseEpochs: 300));
        (NeuralNetworkTransformer second, _) = Fit(Options(earlyStopping: true, denseEpochs: 300));

        Assert.That(second.Report.DenseTraining!.EpochsRun, Is.EqualTo(first.Report.DenseTraining!.EpochsRun));
        Assert.That(second.Network.Layers.SelectMany(l => l.Weights).Select(BitConverter.SingleToInt32Bits),
            Is.EqualTo(first.Network.Layers.SelectMany(l => l.Weights).Select(BitConverter.SingleToInt32Bits)));
        first.Dispose();
        second.Dispose();
    }

    [TestCase(0)]
    [TestCase(-2)]
    public void InvalidDensePatience_IsRefusedNamingTheOption(int patience)
    {
        var options = new AdaptivePruneOptions { DensePatience = patience };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.That(ex!.ParamName, Is.EqualTo(nameof(AdaptivePruneOptions.DensePatience)));
    }

    private static CompressionReport ReportJson(NeuralNetworkTransformer model) => CompressionReport.FromJson(model.Report.ToJson());
}
