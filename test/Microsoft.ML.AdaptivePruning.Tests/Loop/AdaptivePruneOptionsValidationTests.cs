using System;
using System.Collections.Generic;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using Microsoft.ML.AdaptivePruning.Tests.Validation;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>Every rule of <see cref="AdaptivePruneOptions"/>, one bad value at a time, checked where the catalog creates the loop.</summary>
[TestFixture]
public class AdaptivePruneOptionsValidationTests
{
    public static IEnumerable<TestCaseData> EveryRule()
    {
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("Task", (PruningTask)9, o => o.Task = (PruningTask)9);
        foreach (TestCaseData data in OptionRule.ValidationCases<AdaptivePruneOptions>()) yield return data;
        yield return OptionRule.Case<AdaptivePruneOptions>("HiddenLayers", null, typeof(ArgumentNullException), o => o.HiddenLayers = null!);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("HiddenLayers", 0, o => o.HiddenLayers = new[] { 16, 0 });
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("DenseEpochs", 0, o => o.DenseEpochs = 0);
        foreach (double bad in new[] { 0.0, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("DenseLearningRate", bad, o => o.DenseLearningRate = bad);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("Metric", TaskMetric.F1Score, o => o.Metric = TaskMetric.F1Score, "OfAnotherTask");
        yield return OptionRule.Invalid<AdaptivePruneOptions>("InitialModel", PruningTask.BinaryClassification, o => o.InitialModel = StageTestData.SmallBreastCancer, "OfAnotherTask");
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("Criterion", (PruningCriterion)40, o => o.Criterion = (PruningCriterion)40);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("Granularity", (PruningGranularity)40, o => o.Granularity = (PruningGranularity)40);
        yield return OptionRule.Invalid<AdaptivePruneOptions>("Granularity", PruningGranularity.Neuron, o => { o.Granularity = PruningGranularity.Neuron; o.HiddenLayers = Array.Empty<int>(); }, "WithoutHiddenLayers");
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("Scope", (PruningScope)40, o => o.Scope = (PruningScope)40);
        foreach (double bad in new[] { -0.001, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("MaxMetricDrop", bad, o => o.MaxMetricDrop = bad);
        foreach (double bad in new[] { 0.0, 1.0, double.NaN })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("TargetSparsity", bad, o => o.TargetSparsity = bad);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("MaxParameters", 0L, o => o.MaxParameters = 0);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("MaxFlops", -1L, o => o.MaxFlops = -1);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("MaxLatency", TimeSpan.Zero, o => o.MaxLatency = TimeSpan.Zero);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("Schedule", (PruningSchedule)40, o => o.Schedule = (PruningSchedule)40);
        yield return OptionRule.Invalid<AdaptivePruneOptions>("FixedSparsities", Array.Empty<double>(), o => o.FixedSparsities = Array.Empty<double>(), "Empty");
        yield return OptionRule.Invalid<AdaptivePruneOptions>("FixedSparsities", null, o => o.FixedSparsities = null!);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("FixedSparsities", 1.0, o => o.FixedSparsities = new[] { 0.5, 1.0 }, "SecondValue");
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("AgpSteps", 0, o => o.AgpSteps = 0);
        foreach (double bad in new[] { 0.0, 1.0, double.NaN })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("InitialStep", bad, o => o.InitialStep = bad);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("MinStep", 0.0, o => o.MinStep = 0);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("MinStep", 0.6, o => o.MinStep = 0.6, "AboveInitialStep");
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("MinStep", double.NaN, o => o.MinStep = double.NaN);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("FineTuneEpochs", -1, o => o.FineTuneEpochs = -1);
        foreach (double bad in new[] { 0.0, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("FineTuneLearningRate", bad, o => o.FineTuneLearningRate = bad);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("FineTuneStop", (FineTuneStop)40, o => o.FineTuneStop = (FineTuneStop)40);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("RecoveryEpochs", -1, o => o.RecoveryEpochs = -1);
        foreach (double bad in new[] { 0.5, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("RecoveryBand", bad, o => o.RecoveryBand = bad);
        foreach (double bad in new[] { -1.0, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("UncertaintyMargin", bad, o => o.UncertaintyMargin = bad);
        foreach (double bad in new[] { -1e-5, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("FineTuneWeightDecay", bad, o => o.FineTuneWeightDecay = bad);
        foreach (double bad in new[] { -0.1, 1.1, double.NaN })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("DistillationWeight", bad, o => o.DistillationWeight = bad);
        foreach (double bad in new[] { 0.0, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("DistillationTemperature", bad, o => o.DistillationTemperature = bad);
        foreach (double bad in new[] { -0.1, 1.1, double.NaN })
            yield return OptionRule.OutOfRange<AdaptivePruneOptions>("RegrowFraction", bad, o => o.RegrowFraction = bad);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("MaxIterations", 0, o => o.MaxIterations = 0);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("TimeBudget", TimeSpan.Zero, o => o.TimeBudget = TimeSpan.Zero);
        yield return OptionRule.Invalid<AdaptivePruneOptions>("TensorBoardLogDirectory", " ", o => o.TensorBoardLogDirectory = " ");
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("Quantization", (WeightQuantization)7, o => o.Quantization = (WeightQuantization)7);
        yield return OptionRule.OutOfRange<AdaptivePruneOptions>("QuantizationBits", 0, o => o.QuantizationBits = 0);
        yield return OptionRule.Invalid<AdaptivePruneOptions>("Quantization", WeightQuantization.Int8, o =>
        {
            o.Quantization = WeightQuantization.Int8;
            o.InputShape = new[] { 1, 8, 8 };
            o.ConvolutionLayers = new[] { new ConvolutionLayer { Filters = 2, KernelSize = 3 } };
        }, "OnAConvolutionalNetwork");
    }

    [TestCaseSource(nameof(EveryRule))]
    public void BadOption_FailsAtCreation_NamingOptionAndValue(string option, object? value, Type exception, Action<AdaptivePruneOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => new MLContext(seed: 1).Transforms.AdaptivePrune(o), option, value, exception);

    [Test]
    public void MinStepMayEqualInitialStep_AndNothingElseAboveIt()
    {
        // (0, InitialStep] is closed on the right: a loop whose first step is also its smallest is valid.
        var options = new AdaptivePruneOptions { InitialStep = 0.3, MinStep = 0.3 };
        options.Validate();
        options.MinStep = Math.BitIncrement(0.3);
        OptionRule.AssertRejected(options.Validate, "MinStep", Math.BitIncrement(0.3), typeof(ArgumentOutOfRangeException));
    }
}
