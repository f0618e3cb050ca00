using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>The dense trainers train to convergence by default: plateau, best epoch, cap, determinism, fixed mode.</summary>
[TestFixture]
public class EarlyStoppingTests
{
    /// <summary>Digits, normalised, split into train and validation with a fixed seed.</summary>
    private static (IDataView Train, IDataView Valid) Digits(MLContext ml)
    {
        IDataView raw = SampleDatasets.LoadDigits(ml);
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features")).Fit(raw).Transform(raw);
        var split = ml.Data.TrainTestSplit(data, 0.25, seed: 2);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    }

    private static NeuralNetworkOptions Options(IDataView valid, int epochs, int patience) => new()
    {
        HiddenLayers = new[] { 16 },
        BatchSize = 64,
        LearningRate = 1e-2,
        Epochs = epochs,
        Patience = patience,
        LearningRatePatience = 2,
        ValidationData = valid,
    };

    private static NeuralNetworkTransformer Fit(int seed, NeuralNetworkOptions options, List<string>? log = null)
    {
        var ml = new MLContext(seed);
        if (log is not null)
            ml.Log += (_, e) => { if (e.Source.StartsWith("NeuralNetwork", StringComparison.Ordinal) && e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info) log.Add(e.RawMessage); };
        var (train, valid) = Digits(ml);
        options.ValidationData ??= valid;
        return ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(train);
    }

    private static int[] WeightBits(NeuralNetworkTransformer model) =>
        model.Network.Layers.SelectMany(l => l.Weights.Concat(l.Bias)).Select(BitConverter.SingleToInt32Bits).ToArray();

    private static double ValidationAccuracy(NeuralNetworkTransformer model)
    {
        var ml = new MLContext(0);
        var (_, valid) = Digits(ml);
        return ml.MulticlassClassification.Evaluate(model.Transform(valid)).MicroAccuracy;
    }

    [Test]
    public void StopsOnAPlateau_PatienceEpochsAfterTheBest_AndSaysSo()
    {
        var log = new List<string>();
        using NeuralNetworkTransformer model = Fit(1, Options(null!, epochs: 300, patience: 4), log);
        DenseTrainingSummary summary = model.Report.DenseTraining!;

        Assert.That(summary.StopReason, Is.EqualTo(TrainingStopReason.ValidationPlateau));
        Assert.That(summary.EpochsRun, Is.LessThan(300));
        Assert.That(summary.EpochsRun, Is.EqualTo(summary.BestEpoch + 4), "stops exactly when the patience runs out");
        Assert.That(summary.FinalLearningRate, Is.LessThan(1e-2), "the plateau lowered the rate before stopping");
        Assert.That(log.Count(l => l.StartsWith("Epoch ", StringComparison.Ordinal)), Is.EqualTo(summary.EpochsRun));
        Assert.That(log[^1], Does.Contain($"{summary.EpochsRun} of at most 300 epochs").And.Contain($"kept epoch {summary.BestEpoch}").And.Contain("validation plateau"));
    }

    [Test]
    public void RestoresTheBestEpoch_NotTheLast()
    {
        using NeuralNetworkTransformer stopped = Fit(1, Options(null!, epochs: 300, patience: 4));
        DenseTrainingSummary summary = stopped.Report.DenseTraining!;
        Assume.That(summary.BestEpoch, Is.LessThan(summary.EpochsRun));

        // The same run capped at the best epoch ends on that epoch: its weights are the ones the full run kept.
        using NeuralNetworkTransformer capped = Fit(1, Options(null!, epochs: summary.BestEpoch, patience: 4));

        Assert.That(capped.Report.DenseTraining!.EpochsRun, Is.EqualTo(summary.BestEpoch));
        Assert.That(WeightBits(stopped), Is.EqualTo(WeightBits(capped)));
        Assert.That(ValidationAccuracy(stopped), Is.EqualTo(summary.ValidationMetric).Within(1e-9), "the kept network scores the best metric through ML.NET");
    }

    [Test]
    public void RespectsTheCap_WhenValidationStillImproves()
    {
        using NeuralNetworkTransformer model = Fit(1, Options(null!, epochs: 3, patience: 50));
        DenseTrainingSummary summary = model.Report.DenseTraining!;

        Assert.That(summary.EpochsRun, Is.EqualTo(3));
        Assert.That(summary.EpochCap, Is.EqualTo(3));
        Assert.That(summary.StopReason, Is.EqualTo(TrainingStopReason.EpochCap));
    }

    [Test]
    public void SameSeed_GivesTheSameNetworkAndEpochs_OtherSeedsDiffer()
    {
        using NeuralNetworkTransformer first = Fit(3, Options(null!, epochs: 300, patience: 3));
        using NeuralNetworkTransformer second = Fit(3, Options(null!, epochs: 300, patience: 3));
        using NeuralNetworkTransformer other = Fit(4, Options(null!, epochs: 300, patience: 3));

        Assert.That(WeightBits(second), Is.EqualTo(WeightBits(first)));
        Assert.That(second.Report.DenseTraining!.EpochsRun, Is.EqualTo(first.Report.DenseTraining!.EpochsRun));
        Assert.That(WeightBits(other), Is.Not.EqualTo(WeightBits(first)));
    }

    [Test]
    public void FixedMode_RunsExactlyTheEpochs_OnAllTheRows_WithoutLookingAtValidation()
    {
        var log = new List<string>();
        var options = Options(null!, epochs: 7, patience: 1);
        options.EarlyStopping = false;
        using NeuralNetworkTransformer model = Fit(1, options, log);
        DenseTrainingSummary summary = model.Report.DenseTraining!;

        Assert.That(summary.EpochsRun, Is.EqualTo(7), "patience 1 would have stopped a run that looked");
        Assert.That(summary.StopReason, Is.EqualTo(TrainingStopReason.FixedEpochs));
        Assert.That(double.IsNaN(summary.ValidationMetric));
        Assert.That(log.Count(l => l.StartsWith("Epoch ", StringComparison.Ordinal)), Is.EqualTo(7));
        Assert.That(log.Where(l => l.StartsWith("Epoch ", StringComparison.Ordinal)), Has.All.Not.Contain("validation"));
    }

    [Test]
    public void WithoutValidationData_SplitsItsOwnRows_AndStillStops()
    {
        var ml = new MLContext(5);
        var (train, _) = Digits(ml);
        var options = Options(null!, epochs: 300, patience: 3);
        options.ValidationData = null;
        options.ValidationFraction = 0.2;
        using NeuralNetworkTransformer model = ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(train);

        Assert.That(model.Report.DenseTraining!.StopReason, Is.EqualTo(TrainingStopReason.ValidationPlateau));
        Assert.That(model.Report.DenseTraining.ValidationMetric, Is.GreaterThan(0.8));
    }

    [TestCase(0, 2, "Patience")]
    [TestCase(3, 0, "LearningRatePatience")]
    public void InvalidPatience_IsRefusedNamingTheOption(int patience, int learningRatePatience, string option)
    {
        var options = new NeuralNetworkOptions { Patience = patience, LearningRatePatience = learningRatePatience };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.That(ex!.ParamName, Is.EqualTo(option));
    }

    [Test]
    public void EarlyStopping_NeedsAValidationFraction_FixedModeDoesNot()
    {
        var options = new NeuralNetworkOptions { ValidationFraction = 0 };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => options.Validate());
        Assert.That(ex!.ParamName, Is.EqualTo("ValidationFraction"));
        options.EarlyStopping = false;
        Assert.DoesNotThrow(() => options.Validate());
    }
}
