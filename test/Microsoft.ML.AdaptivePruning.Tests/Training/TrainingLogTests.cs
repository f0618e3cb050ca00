using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// What the dense trainer tells MLContext.Log: how it will train, which epochs were the best so far, skipped rows;
/// and the learning-rate floor the plateau schedule stops at.
/// </summary>
[TestFixture]
public class TrainingLogTests
{
    private static List<string> Capture(MLContext ml)
    {
        var log = new List<string>();
        ml.Log += (_, e) =>
        {
            if (e.Source.StartsWith("NeuralNetwork", StringComparison.Ordinal) && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info)
                lock (log) log.Add(e.RawMessage);
        };
        return log;
    }

    private static string[] Epochs(List<string> log) => log.Where(l => l.StartsWith("Epoch ", StringComparison.Ordinal)).ToArray();

    [Test]
    public void EarlyStopping_SaysHowItStops_AndMarksExactlyTheEpochsThatImproved()
    {
        var ml = new MLContext(seed: 3);
        List<string> log = Capture(ml);
        IDataView train = TrainingData.SeparableView(ml, 200, 4, seed: 1), valid = TrainingData.SeparableView(ml, 80, 4, seed: 2);
        var options = new NeuralNetworkOptions { HiddenLayers = new[] { 4 }, Epochs = 12, Patience = 3, LearningRatePatience = 2, ValidationData = valid };

        using NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(train);
        DenseTrainingSummary summary = model.Report.DenseTraining!;
        string[] epochs = Epochs(log);

        Assert.That(log[0], Does.Contain("until validation AreaUnderRocCurve stops improving (patience 3, at most 12 epochs)"));
        Assert.That(epochs, Has.Length.EqualTo(summary.EpochsRun));
        Assert.That(epochs[0], Does.EndWith("(best)."), "the first epoch is the best so far");
        Assert.That(epochs[summary.BestEpoch - 1], Does.EndWith("(best)."));
        Assert.That(epochs.Skip(summary.BestEpoch), Has.All.Not.Contain("(best)"), "no epoch after the kept one improved");
        Assert.That(epochs, Has.All.Not.Contain("skipped"), "no row lacked a label");
    }

    [Test]
    public void FixedEpochs_SaySo_AndCountTheRowsSkippedForAMissingLabel()
    {
        var ml = new MLContext(seed: 3);
        List<string> log = Capture(ml);
        var rows = TrainingData.Separable(40, 3, seed: 1).Select((r, i) => new FloatRow { Features = r.Features, Label = i % 10 == 0 ? float.NaN : r.Features[0] }).ToArray();
        IDataView train = TrainingData.Load(ml, rows, 3);
        var options = new NeuralNetworkOptions { HiddenLayers = new[] { 3 }, Epochs = 2, EarlyStopping = false };

        using NeuralNetworkTransformer model = ml.Regression.Trainers.NeuralNetwork(options).Fit(train);

        Assert.That(log[0], Does.Contain("network").And.Contain(" for 2 epochs ("));
        Assert.That(Epochs(log), Has.Length.EqualTo(2));
        Assert.That(Epochs(log), Has.All.Contain("36 rows, 4 skipped for a missing label)"));
    }

    [Test]
    public void ThePlateauLowersTheRate_NoFurtherThanTheFloor()
    {
        var ml = new MLContext(seed: 3);
        IDataView train = TrainingData.SeparableView(ml, 200, 4, seed: 1), valid = TrainingData.SeparableView(ml, 80, 4, seed: 2);
        // Starting just above the floor, the first halving would go below it.
        double start = AdaptivePruningDefaults.MinLearningRate * 1.5;
        var options = new NeuralNetworkOptions { HiddenLayers = new[] { 4 }, Epochs = 12, Patience = 12, LearningRatePatience = 1, LearningRate = start, ValidationData = valid };

        using NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(train);

        Assert.That(model.Report.DenseTraining!.FinalLearningRate, Is.EqualTo(AdaptivePruningDefaults.MinLearningRate));
    }
}
