using System;
using System.Collections.Generic;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning.Tests.Validation;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// Invalid options fail when the trainer is created, with the option, its value and the rule in the exception; an
/// options object changed afterwards is checked again at Fit, before any row is read.
/// </summary>
[TestFixture]
public class NeuralNetworkOptionsValidationTests
{
    /// <summary>Every rule of <see cref="NeuralNetworkOptions.Validate"/>, one bad value at a time.</summary>
    public static IEnumerable<TestCaseData> EveryRule()
    {
        foreach (TestCaseData data in OptionRule.ColumnCases<NeuralNetworkOptions>()) yield return data;
        // Without early stopping no validation option is read, but the columns still are.
        foreach (TestCaseData data in OptionRule.ColumnCases<NeuralNetworkOptions>())
        {
            var spoil = (Action<NeuralNetworkOptions>)data.Arguments[3]!;
            yield return new TestCaseData(data.Arguments[0], data.Arguments[1], data.Arguments[2], (Action<NeuralNetworkOptions>)(o => { o.EarlyStopping = false; spoil(o); }))
                .SetName($"{{m}}(FixedEpochs {data.TestName ?? data.Arguments[0]})");
        }
        yield return OptionRule.Case<NeuralNetworkOptions>("HiddenLayers", null, typeof(ArgumentNullException), o => o.HiddenLayers = null!);
        yield return OptionRule.OutOfRange<NeuralNetworkOptions>("HiddenLayers", 0, o => o.HiddenLayers = new[] { 0 }, "First");
        yield return OptionRule.OutOfRange<NeuralNetworkOptions>("HiddenLayers", -3, o => o.HiddenLayers = new[] { 8, -3 }, "Second");
        yield return OptionRule.OutOfRange<NeuralNetworkOptions>("Activation", (Activation)42, o => o.Activation = (Activation)42);
        yield return OptionRule.OutOfRange<NeuralNetworkOptions>("Epochs", 0, o => o.Epochs = 0);
        yield return OptionRule.OutOfRange<NeuralNetworkOptions>("Epochs", -2, o => o.Epochs = -2);
        foreach (TestCaseData data in OptionRule.OptimizerCases<NeuralNetworkOptions>(
            (o, v) => o.LearningRate = v, (o, v) => o.Momentum = v, (o, v) => o.WeightDecay = v, (o, v) => o.Device = v, (o, v) => o.Optimizer = v))
            yield return data;
    }

    [TestCaseSource(nameof(EveryRule))]
    public void BadOption_FailsAtCreation_NamingOptionAndValue(string option, object? value, Type exception, Action<NeuralNetworkOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => new MLContext(seed: 1).BinaryClassification.Trainers.NeuralNetwork(o), option, value, exception);

    /// <summary>The catalog's short overloads pass their arguments through the same rules.</summary>
    public static IEnumerable<TestCaseData> BadArguments()
    {
        yield return Argument("HiddenLayers", 0, ml => ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 0 }));
        yield return Argument("Epochs", 0, ml => ml.BinaryClassification.Trainers.NeuralNetwork(epochs: 0));
        yield return Argument("BatchSize", 0, ml => ml.MulticlassClassification.Trainers.NeuralNetwork(batchSize: 0));
        yield return Argument("BatchSize", -1, ml => ml.Regression.Trainers.NeuralNetwork(batchSize: -1));
        yield return Argument("LearningRate", double.NaN, ml => ml.MulticlassClassification.Trainers.NeuralNetwork(learningRate: double.NaN));
        yield return Argument("LearningRate", -0.01, ml => ml.Regression.Trainers.NeuralNetwork(learningRate: -0.01));
    }

    private static TestCaseData Argument(string option, object value, Func<MLContext, NeuralNetworkTrainer> create) =>
        new TestCaseData(option, value, create).SetArgDisplayNames(option, Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture)!);

    [TestCaseSource(nameof(BadArguments))]
    public void BadArgument_OfTheShortOverloads_FailsAtCreation(string option, object value, Func<MLContext, NeuralNetworkTrainer> create) =>
        OptionRule.AssertRejected(() => create(new MLContext(seed: 1)), option, value, typeof(ArgumentOutOfRangeException));

    [Test]
    public void NullOptions_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<ArgumentNullException>(() => ml.Regression.Trainers.NeuralNetwork((NeuralNetworkOptions)null!));
        Assert.That(ex!.ParamName, Is.EqualTo("options"));
    }

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
        using NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            HiddenLayers = Array.Empty<int>(), Epochs = 2, BatchSize = 16, ValidationFraction = 0.3,
        }).Fit(TrainingData.SeparableView(ml, 64, 4, seed: 1));

        Assert.That(model.Network.Layers, Has.Count.EqualTo(1));
        Assert.That(model.Network.Spec.InputSize, Is.EqualTo(4));
        Assert.That(model.Network.Spec.OutputSize, Is.EqualTo(1));
    }

    [Test]
    public void AValidationSplitWithOneClass_IsRefusedNamingTheOptionsThatFixIt()
    {
        var ml = new MLContext(seed: 1);
        // 64 rows: the tenth this seed holds out is a handful of rows of one class, so AUC has nothing to rank.
        var ex = Assert.Throws<ArgumentException>(() => ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenLayers = Array.Empty<int>(), Epochs = 2, BatchSize = 16 })
            .Fit(TrainingData.SeparableView(ml, 64, 4, seed: 1)));

        Assert.That(ex!.ParamName, Is.EqualTo("ValidationData"));
        Assert.That(ex.Message, Does.Contain("Early stopping cannot measure validation").And.Contain("EarlyStopping = false").And.Contain("ValidationFraction"));
    }

    [Test]
    public void DefaultArguments_GiveOneHiddenLayerOf100AndTheDocumentedDefaults()
    {
        var defaults = new NeuralNetworkOptions();
        Assert.That(defaults.HiddenLayers, Is.EqualTo(new[] { 100 }));
        Assert.That(defaults.Epochs, Is.EqualTo(AdaptivePruningDefaults.Epochs));
        Assert.That(defaults.EarlyStopping, Is.True);
        Assert.That(defaults.Patience, Is.EqualTo(AdaptivePruningDefaults.DensePatience));
        Assert.That(defaults.BatchSize, Is.EqualTo(AdaptivePruningDefaults.BatchSize));
        Assert.That(defaults.LearningRate, Is.EqualTo(1e-3));

        var ml = new MLContext(seed: 1);
        using NeuralNetworkTransformer model = ml.Regression.Trainers.NeuralNetwork(epochs: 1)
            .Fit(TrainingData.LinearRegressionView(ml, 32, 4, seed: 1));
        Assert.That(model.Network.Spec.HiddenLayers, Is.EqualTo(new[] { 100 }));
    }
}
