using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using Microsoft.ML.AdaptivePruning.Tests.Validation;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Quantization;

/// <summary>
/// mlContext.Transforms.Quantize on real data: quantization-aware fine-tuning keeps the metric within the budget and
/// the masks exact, a missed budget throws with the float network, bad options and unquantizable networks are refused
/// naming the option, and the loop's Quantization option runs the stage under the loop's budget.
/// </summary>
[TestFixture]
public class QuantizeStageTests
{
    private static readonly Lazy<NeuralNetworkTransformer> PrunedDigits = new(() =>
        new MLContext(seed: 4).Transforms.Prune(StageTestData.DenseDigits, new PruneOptions { Sparsity = 0.8 }).Fit(StageTestData.DigitsTrain));

    private static double Accuracy(ITransformer model) =>
        new MLContext(seed: 0).MulticlassClassification.Evaluate(model.Transform(StageTestData.DigitsTest)).MicroAccuracy;

    [TestCase(QuantizationMode.QuantizationAware)]
    [TestCase(QuantizationMode.PostTraining)]
    public void Int8OfAPrunedDigitsNetwork_StaysWithinTheBudget_KeepsTheMasks_AndReportsInt8Storage(QuantizationMode mode)
    {
        NeuralNetworkTransformer pruned = PrunedDigits.Value;
        var options = new QuantizeOptions { Mode = mode, ValidationData = StageTestData.DigitsTest, MaxMetricDrop = 0.01 };

        using NeuralNetworkTransformer quantized = new MLContext(seed: 5).Transforms.Quantize(pruned, options).Fit(StageTestData.DigitsTrain);

        // The first (largest) layer is int8; a layer whose int8 graph would not be smaller is kept float, and the note says so.
        Assert.That(quantized.Network.Layers[0].Quantization?.Kind, Is.EqualTo(WeightQuantization.Int8));
        LayerStorageChoiceTests.AssertFloatLayersAreNoted(quantized.Report);
        StageTestData.AssertPrunedPositionsStayZero(pruned.Network, quantized.Network);
        // The stage judged drop + 1 s.e. <= 0.01 on these rows; re-measured through Transform the drop alone is within it.
        Assert.That(Accuracy(pruned) - Accuracy(quantized), Is.LessThanOrEqualTo(0.01 + 1e-12));
        Assert.That(quantized.Report.Notes.Last(), Does.StartWith($"Quantize Int8 ({mode})"));
        Assert.That(quantized.Report.Layers.Sum(l => l.StoredBytes), Is.LessThan(pruned.Report.Layers.Sum(l => l.StoredBytes) / 2));
        Assert.That(quantized.Network.NonzeroWeightCount, Is.LessThanOrEqualTo(pruned.Network.NonzeroWeightCount));
        if (mode == QuantizationMode.PostTraining)
            for (int l = 0; l < pruned.Network.Layers.Count; l++)
                Assert.That(quantized.Network.Layers[l].Weights, Is.EqualTo(Int8Quantizer.Quantize(pruned.Network, "Quantization").Layers[l].Weights), "post-training is rounding alone");
    }

    [Test]
    public void Int8OfTheBreastCancerNetwork_WithDefaultOptions_KeepsTheAucWithinTheDefaultBudget()
    {
        NeuralNetworkTransformer source = StageTestData.SmallBreastCancer;
        var ml = new MLContext(seed: 6);

        using NeuralNetworkTransformer quantized = ml.Transforms.Quantize(source, new QuantizeOptions { ValidationData = StageTestData.BreastCancerTest }).Fit(StageTestData.BreastCancerTrain);

        double Auc(ITransformer model) => ml.BinaryClassification.Evaluate(model.Transform(StageTestData.BreastCancerTest)).AreaUnderRocCurve;
        Assert.That(quantized.Network.Layers[0].Quantization?.Kind, Is.EqualTo(WeightQuantization.Int8));
        LayerStorageChoiceTests.AssertFloatLayersAreNoted(quantized.Report);
        Assert.That(Auc(source) - Auc(quantized), Is.LessThanOrEqualTo(AdaptivePruningDefaults.MaxMetricDrop + 1e-12));
        Assert.That(quantized.Report.Notes.Last(), Does.StartWith("Quantize Int8 (QuantizationAware)"));
    }

    [Test]
    public void QuantizationAwareFineTuning_LeavesEveryPrunedWeightAndItsMomentsAtZero()
    {
        NeuralNetwork pruned = PrunedDigits.Value.Network;
        StageData data = StageData.Create(StageTestData.DigitsTrain, null, 0.2, PruningTask.MulticlassClassification, "Features", "Label", 32, seed: 1);
        using var session = new TrainingSession(pruned, new TrainingSettings(1e-3, OptimizerKind.Adam, 0.9, 0, 32, "cpu"), data.Scaling) { FakeQuantize = true };

        session.TrainEpoch(data.Train, shuffleSeed: 1, default, null);

        IReadOnlyList<float[]> weights = session.WeightValues();
        IReadOnlyList<(float[] First, float[]? Second)> moments = session.WeightMoments();
        int movedKept = 0;
        for (int l = 0; l < pruned.Layers.Count; l++)
        {
            bool[] mask = StageTestData.KeepMask(pruned.Layers[l]);
            for (int k = 0; k < mask.Length; k++)
            {
                if (mask[k]) { movedKept += weights[l][k] != pruned.Layers[l].Weights[k] ? 1 : 0; continue; }
                Assert.That(weights[l][k], Is.EqualTo(0f), $"layer {l} pruned weight {k}");
                Assert.That(moments[l].First[k], Is.EqualTo(0f), $"layer {l} pruned weight {k} first moment");
                Assert.That(moments[l].Second![k], Is.EqualTo(0f), $"layer {l} pruned weight {k} second moment");
            }
        }
        Assert.That(movedKept, Is.GreaterThan(0), "the straight-through gradient trains the kept weights");
    }

    [Test]
    public void AMissedBudget_ThrowsBudgetNotMet_WithTheFloatSourceNetwork()
    {
        NeuralNetworkTransformer source = PrunedDigits.Value;
        // No loss at all allowed, in a metric every rounded weight moves (log-loss): drop + 1 s.e. must be at most 0.
        var options = new QuantizeOptions { Mode = QuantizationMode.PostTraining, Metric = TaskMetric.LogLoss, ValidationData = StageTestData.DigitsTest, MaxMetricDrop = 0 };
        QuantizeEstimator estimator = new MLContext(seed: 5).Transforms.Quantize(source, options);
        options.MaxMetricDrop = 0.5; // the estimator copied its options: changing them afterwards changes nothing

        var error = Assert.Throws<BudgetNotMetException>(() => estimator.Fit(StageTestData.DigitsTrain))!;

        Assert.That(error.Message, Does.Contain("MaxMetricDrop").And.Contain("judged drop"));
        Assert.That(error.BestWithinMetric, Is.SameAs(source.Network));
        Assert.That(error.BestWithinMetric.Layers.Select(l => l.Quantization), Is.All.Null);
    }

    [Test]
    public void FineTuningThatMissesTheBudget_FallsBackToPostTrainingRounding_WhenRoundingIsWithinIt()
    {
        NeuralNetworkTransformer source = PrunedDigits.Value;
        // A learning rate this large wrecks the network within one epoch, so quantization-aware fine-tuning misses the
        // budget; rounding the source alone is what the post-training test above keeps within it.
        var options = new QuantizeOptions { ValidationData = StageTestData.DigitsTest, MaxMetricDrop = 0.01, Epochs = 1, LearningRate = 50 };

        using NeuralNetworkTransformer quantized = new MLContext(seed: 5).Transforms.Quantize(source, options).Fit(StageTestData.DigitsTrain);

        NeuralNetwork rounded = LayerStorageChoice.KeepFloatWhereSmaller(Int8Quantizer.Quantize(source.Network, "Quantization"), out _);
        for (int l = 0; l < rounded.Layers.Count; l++)
            Assert.That(quantized.Network.Layers[l].Weights, Is.EqualTo(rounded.Layers[l].Weights), $"layer {l} is the source rounded, untrained");
        Assert.That(quantized.Network.Layers[0].Quantization?.Kind, Is.EqualTo(WeightQuantization.Int8));
        Assert.That(quantized.Report.Notes.Last(), Does.StartWith("Quantize Int8 (PostTraining: QuantizationAware missed the budget with judged drop "));
        Assert.That(Accuracy(source) - Accuracy(quantized), Is.LessThanOrEqualTo(0.01 + 1e-12));
    }

    [Test]
    public void FineTuningThatMissesTheBudget_StillThrows_WhenRoundingMissesItToo()
    {
        NeuralNetworkTransformer source = PrunedDigits.Value;
        var options = new QuantizeOptions { Metric = TaskMetric.LogLoss, ValidationData = StageTestData.DigitsTest, MaxMetricDrop = 0, Epochs = 1, LearningRate = 50 };

        var error = Assert.Throws<BudgetNotMetException>(() => new MLContext(seed: 5).Transforms.Quantize(source, options).Fit(StageTestData.DigitsTrain))!;

        Assert.That(error.Message, Does.Contain("MaxMetricDrop"));
        Assert.That(error.BestWithinMetric, Is.SameAs(source.Network));
    }

    [Test]
    public void ANetworkWithALayerOfZeros_IsRefusedNamingQuantization_BeforeAnyTraining()
    {
        NeuralNetwork network = StageTestData.DenseDigits.Network.Clone();
        network.Layers[1].SetMask(new bool[network.Layers[1].Weights.Length]);
        using var source = new NeuralNetworkTransformer(network, "Features", StageTestData.DigitsTrain, "Label", null);

        var error = Assert.Throws<ArgumentException>(() => new MLContext(seed: 1).Transforms.Quantize(source).Fit(StageTestData.DigitsTrain))!;

        Assert.That(error.ParamName, Is.EqualTo("Quantization"));
        Assert.That(error.Message, Does.Contain("layer 1").And.Contain("scales would all be 0"));
    }

    public static IEnumerable<TestCaseData> EveryRule()
    {
        foreach (TestCaseData data in OptionRule.ValidationCases<QuantizeOptions>()) yield return data;
        yield return OptionRule.OutOfRange<QuantizeOptions>("Quantization", (WeightQuantization)7, o => o.Quantization = (WeightQuantization)7);
        yield return OptionRule.OutOfRange<QuantizeOptions>("Mode", (QuantizationMode)7, o => o.Mode = (QuantizationMode)7);
        yield return OptionRule.OutOfRange<QuantizeOptions>("Epochs", 0, o => o.Epochs = 0);
        foreach (int bad in new[] { 1, 9 })
            yield return OptionRule.OutOfRange<QuantizeOptions>("Bits", bad, o => o.Bits = bad);
        foreach (double bad in new[] { 0.0, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<QuantizeOptions>("LearningRate", bad, o => o.LearningRate = bad);
        foreach (double bad in new[] { -0.001, double.NaN })
            yield return OptionRule.OutOfRange<QuantizeOptions>("MaxMetricDrop", bad, o => o.MaxMetricDrop = bad);
        yield return OptionRule.OutOfRange<QuantizeOptions>("UncertaintyMargin", -1.0, o => o.UncertaintyMargin = -1);
        yield return OptionRule.OutOfRange<QuantizeOptions>("Metric", TaskMetric.F1Score, o => o.Metric = TaskMetric.F1Score, "OfAnotherTask");
    }

    [TestCaseSource(nameof(EveryRule))]
    public void BadOption_FailsAtCreation_NamingOptionAndValue(string option, object? value, Type exception, Action<QuantizeOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => new MLContext(seed: 1).Transforms.Quantize(StageTestData.DenseDigits, o), option, value, exception);

    [Test]
    public void TheLoopsQuantizationOption_ReturnsAnInt8NetworkWithinTheLoopsBudget()
    {
        AdaptivePruneOptions options = Loop.DigitsLoop.Options(maxMetricDrop: 0.02);
        options.MaxIterations = 2;
        options.Quantization = WeightQuantization.Int8;

        using NeuralNetworkTransformer model = Loop.DigitsLoop.Fit(options);

        string note = model.Report.Notes.Single(n => n.Contains("Quantiz"));
        Assert.That(note, Does.StartWith("Quantized to Int8"), note);
        Assert.That(model.Network.Layers[0].Quantization?.Kind, Is.EqualTo(WeightQuantization.Int8));
        LayerStorageChoiceTests.AssertFloatLayersAreNoted(model.Report);
        Loop.DigitsLoop.AssertWithinBudgetOnValidation(model, 0.02);
    }
}
