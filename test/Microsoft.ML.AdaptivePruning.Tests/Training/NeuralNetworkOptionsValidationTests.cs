using System;
using System.Collections.Generic;
using Microsoft.ML;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// Invalid options fail when the trainer is created, with the option, its value and the rule in the exception; an
/// options object changed afterwards is checked again at Fit, before any row is read.
/// </summary>
[TestFixture]
public class NeuralNetworkOptionsValidationTests
{
    public static IEnumerable<TestCaseData> BadArguments()
    {
        yield return Case("HiddenLayers", 0, "HiddenLayers[0] is 0", ml => ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 0 }));
        yield return Case("HiddenLayers", -3, "HiddenLayers[1] is -3", ml => ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 8, -3 }));
        yield return Case("Epochs", 0, "Epochs must be positive", ml => ml.BinaryClassification.Trainers.NeuralNetwork(epochs: 0));
        yield return Case("BatchSize", 0, "BatchSize must be positive", ml => ml.MulticlassClassification.Trainers.NeuralNetwork(batchSize: 0));
        yield return Case("BatchSize", -1, "BatchSize must be positive", ml => ml.Regression.Trainers.NeuralNetwork(batchSize: -1));
        yield return Case("LearningRate", 0.0, "LearningRate must be a positive finite number", ml => ml.BinaryClassification.Trainers.NeuralNetwork(learningRate: 0));
        yield return Case("LearningRate", -0.01, "LearningRate must be a positive finite number", ml => ml.Regression.Trainers.NeuralNetwork(learningRate: -0.01));
        yield return Case("LearningRate", double.NaN, "LearningRate must be a positive finite number", ml => ml.MulticlassClassification.Trainers.NeuralNetwork(learningRate: double.NaN));
        yield return Case("LearningRate", double.PositiveInfinity, "LearningRate must be a positive finite number", ml => ml.BinaryClassification.Trainers.NeuralNetwork(learningRate: double.PositiveInfinity));
        yield return Case("Momentum", 1.0, "Momentum must be in [0, 1)", ml => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Optimizer = OptimizerKind.Sgd, Momentum = 1 }));
        yield return Case("WeightDecay", -1e-4, "WeightDecay must be zero or a positive finite number", ml => ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkOptions { WeightDecay = -1e-4 }));
    }

    private static TestCaseData Case(string option, object value, string rule, Func<MLContext, NeuralNetworkTrainer> create) =>
        new TestCaseData(option, value, rule, create).SetArgDisplayNames(option, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!);

    [TestCaseSource(nameof(BadArguments))]
    public void BadOption_FailsAtCreation_NamingOptionAndValue(string option, object value, string rule, Func<MLContext, NeuralNetworkTrainer> create)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => create(new MLContext(seed: 1)));

        Assert.That(ex!.ParamName, Is.EqualTo(option));
        Assert.That(ex.ActualValue, Is.EqualTo(value));
        Assert.That(ex.Message, Does.Contain(rule));
        // .NET appends the actual value to the message, so a log shows it too.
        Assert.That(ex.Message, Does.Contain(Convert.ToString(value, System.Globalization.CultureInfo.CurrentCulture)));
    }

    [Test]
    public void NullHiddenLayers_InOptions_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<ArgumentNullException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenLayers = null! }));
        Assert.That(ex!.ParamName, Is.EqualTo("HiddenLayers"));
        Assert.That(ex.Message, Does.Contain("empty array for a linear model"));
    }

    [Test]
    public void NullOptions_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<ArgumentNullException>(() => ml.Regression.Trainers.NeuralNetwork((NeuralNetworkOptions)null!));
        Assert.That(ex!.ParamName, Is.EqualTo("options"));
    }

    [TestCase("", "LabelColumnName")]
    [TestCase("  ", "LabelColumnName")]
    public void BlankLabelColumnName_IsRejected(string name, string option)
    {
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(labelColumnName: name));
        Assert.That(ex!.ParamName, Is.EqualTo(option));
    }

    [Test]
    public void BlankFeatureColumnName_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork(featureColumnName: ""));
        Assert.That(ex!.ParamName, Is.EqualTo("FeatureColumnName"));
    }

    [TestCase("tpu")]
    [TestCase("cuda:0")]
    public void UnavailableDevice_IsRejectedNamingIt(string device)
    {
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { Device = device }));
        Assert.That(ex!.ParamName, Is.EqualTo("Device"));
        Assert.That(ex.Message, Does.Contain($"'{device}'"));
    }

    [Test]
    public void OptionsChangedAfterCreation_AreCheckedAgainAtFit_BeforeAnyRowIsRead()
    {
        var ml = new MLContext(seed: 1);
        var options = new NeuralNetworkOptions { HiddenLayers = new[] { 4 }, Epochs = 1 };
        NeuralNetworkTrainer trainer = ml.BinaryClassification.Trainers.NeuralNetwork(options);
        options.Epochs = 0;
        var data = new CountingDataView(TrainingData.SeparableView(ml, 20, 4, seed: 1));

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => trainer.Fit(data));

        Assert.That(ex!.ParamName, Is.EqualTo("Epochs"));
        Assert.That(data.CursorsOpened, Is.Zero);
    }

    [Test]
    public void EmptyHiddenLayers_IsALinearModel()
    {
        var ml = new MLContext(seed: 1);
        using NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: Array.Empty<int>(), epochs: 2, batchSize: 16)
            .Fit(TrainingData.SeparableView(ml, 64, 4, seed: 1));

        Assert.That(model.Network.Layers, Has.Count.EqualTo(1));
        Assert.That(model.Network.Spec.InputSize, Is.EqualTo(4));
        Assert.That(model.Network.Spec.OutputSize, Is.EqualTo(1));
    }

    [Test]
    public void DefaultArguments_GiveOneHiddenLayerOf100AndTheDocumentedDefaults()
    {
        var defaults = new NeuralNetworkOptions();
        Assert.That(defaults.HiddenLayers, Is.EqualTo(new[] { 100 }));
        Assert.That(defaults.Epochs, Is.EqualTo(10));
        Assert.That(defaults.BatchSize, Is.EqualTo(128));
        Assert.That(defaults.LearningRate, Is.EqualTo(1e-3));

        var ml = new MLContext(seed: 1);
        using NeuralNetworkTransformer model = ml.Regression.Trainers.NeuralNetwork(epochs: 1)
            .Fit(TrainingData.LinearRegressionView(ml, 32, 4, seed: 1));
        Assert.That(model.Network.Spec.HiddenLayers, Is.EqualTo(new[] { 100 }));
    }
}
