using System;
using System.Collections.Generic;
using Microsoft.ML.AdaptivePruning.Tests.Validation;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>Bad stage options fail with a .NET exception that names the option.</summary>
[TestFixture]
public class StageOptionValidationTests
{
    private readonly MLContext _ml = new(seed: 61);

    [TestCase(1.0)]
    [TestCase(-0.1)]
    [TestCase(double.NaN)]
    public void SparsityOutsideZeroToOneIsRejected(double sparsity)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.Prune(StageTestData.SmallBreastCancer, new PruneOptions { Sparsity = sparsity }));
        Assert.That(ex!.ParamName, Is.EqualTo(nameof(PruneOptions.Sparsity)));
        Assert.That(ex.Message, Does.Contain("Sparsity"));
    }

    [Test]
    public void PerLayerNeuronSparsityThatWouldEmptyALayerIsRejected()
    {
        var options = new PruneOptions { Granularity = PruningGranularity.Neuron, Scope = PruningScope.PerLayer, Sparsity = 0.999, MinKeptFraction = 0 };
        var estimator = _ml.Transforms.Prune(StageTestData.SmallBreastCancer, options);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => estimator.Fit(StageTestData.BreastCancerTrain));
        Assert.That(ex!.ParamName, Is.EqualTo(nameof(PruneOptions.Sparsity)));
        Assert.That(ex.Message, Does.Contain("4 units"));
    }

    [Test]
    public void NeuronPruningOfANetworkWithoutHiddenLayersIsRejected()
    {
        NeuralNetworkTransformer linear = StageTestData.TrainBreastCancer(Array.Empty<int>(), epochs: 1);
        var estimator = _ml.Transforms.Prune(linear, 0.5, granularity: PruningGranularity.Neuron);

        var ex = Assert.Throws<ArgumentException>(() => estimator.Fit(StageTestData.BreastCancerTrain));
        Assert.That(ex!.Message, Does.Contain("hidden layer"));
        Assert.That(ex.ParamName, Is.EqualTo(nameof(PruneOptions.Granularity)));
    }

    [Test]
    public void AdjustWithoutEpochsIsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.Adjust(StageTestData.SmallBreastCancer, new AdjustOptions { Epochs = 0 }));
        Assert.That(ex!.ParamName, Is.EqualTo(nameof(AdjustOptions.Epochs)));
        Assert.That(ex.Message, Does.Contain("Epochs"));
    }

    [Test]
    public void NegativeMaxMetricDropIsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => _ml.Transforms.TaskOptimize(StageTestData.SmallBreastCancer, new TaskOptimizeOptions { MaxMetricDrop = -1 }));
        Assert.That(ex!.ParamName, Is.EqualTo(nameof(TaskOptimizeOptions.MaxMetricDrop)));
        Assert.That(ex.Message, Does.Contain("MaxMetricDrop"));
    }
}

/// <summary>Every rule of the three stages' options, one bad value at a time, checked where the catalog creates the stage.</summary>
[TestFixture]
public class StageOptionRuleTests
{
    public static IEnumerable<TestCaseData> EveryPruneRule()
    {
        foreach (TestCaseData data in OptionRule.ColumnCases<PruneOptions>()) yield return data;
        yield return OptionRule.OutOfRange<PruneOptions>("Criterion", (PruningCriterion)40, o => o.Criterion = (PruningCriterion)40);
        yield return OptionRule.OutOfRange<PruneOptions>("Granularity", (PruningGranularity)40, o => o.Granularity = (PruningGranularity)40);
        yield return OptionRule.OutOfRange<PruneOptions>("Scope", (PruningScope)40, o => o.Scope = (PruningScope)40);
        foreach (double bad in new[] { 1.0, -0.1, double.NaN })
            yield return OptionRule.OutOfRange<PruneOptions>("Sparsity", bad, o => o.Sparsity = bad);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity, double.NegativeInfinity })
            yield return OptionRule.OutOfRange<PruneOptions>("Threshold", bad, o => o.Threshold = bad);
        yield return OptionRule.Invalid<PruneOptions>("Threshold", 0.5, o => { o.Threshold = 0.5; o.Granularity = PruningGranularity.Neuron; }, "WithNeuronGranularity");
        foreach (double bad in new[] { -0.1, 1.5, double.NaN })
            yield return OptionRule.OutOfRange<PruneOptions>("MinKeptFraction", bad, o => o.MinKeptFraction = bad);
        yield return OptionRule.OutOfRange<PruneOptions>("GradientBatches", 0, o => o.GradientBatches = 0);
    }

    [TestCaseSource(nameof(EveryPruneRule))]
    public void PruneRule(string option, object? value, Type exception, Action<PruneOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => new MLContext(seed: 1).Transforms.Prune(StageTestData.SmallBreastCancer, o), option, value, exception);

    public static IEnumerable<TestCaseData> EveryAdjustRule()
    {
        foreach (TestCaseData data in OptionRule.ValidationCases<AdjustOptions>()) yield return data;
        yield return OptionRule.OutOfRange<AdjustOptions>("Epochs", 0, o => o.Epochs = 0);
        foreach (TestCaseData data in OptionRule.OptimizerCases<AdjustOptions>(
            (o, v) => o.LearningRate = v, (o, v) => o.Momentum = v, (o, v) => o.WeightDecay = v, (o, v) => o.Device = v, (o, v) => o.Optimizer = v))
            yield return data;
        yield return OptionRule.OutOfRange<AdjustOptions>("LearningRatePatience", 0, o => o.LearningRatePatience = 0);
        foreach (double bad in new[] { 0.0, 1.0, double.NaN })
            yield return OptionRule.OutOfRange<AdjustOptions>("LearningRateDecay", bad, o => o.LearningRateDecay = bad);
        foreach (double bad in new[] { -1e-6, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdjustOptions>("MinLearningRate", bad, o => o.MinLearningRate = bad);
        yield return OptionRule.OutOfRange<AdjustOptions>("Patience", 0, o => o.Patience = 0);
        foreach (double bad in new[] { -0.1, 1.1, double.NaN })
            yield return OptionRule.OutOfRange<AdjustOptions>("RegrowFraction", bad, o => o.RegrowFraction = bad);
        foreach (double bad in new[] { -1.0, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<AdjustOptions>("RegrowThreshold", bad, o => o.RegrowThreshold = bad);
        foreach (double bad in new[] { double.NaN, double.NegativeInfinity })
            yield return OptionRule.OutOfRange<AdjustOptions>("StopAtMetric", bad, o => o.StopAtMetric = bad);
    }

    [TestCaseSource(nameof(EveryAdjustRule))]
    public void AdjustRule(string option, object? value, Type exception, Action<AdjustOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => new MLContext(seed: 1).Transforms.Adjust(StageTestData.SmallBreastCancer, o), option, value, exception);

    public static IEnumerable<TestCaseData> EveryTaskOptimizeRule()
    {
        foreach (TestCaseData data in OptionRule.ValidationCases<TaskOptimizeOptions>()) yield return data;
        foreach (double bad in new[] { -1.0, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<TaskOptimizeOptions>("MaxMetricDrop", bad, o => o.MaxMetricDrop = bad);
        foreach (double bad in new[] { double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<TaskOptimizeOptions>("ReferenceMetric", bad, o => o.ReferenceMetric = bad);
        yield return OptionRule.OutOfRange<TaskOptimizeOptions>("MaxParameters", 0L, o => o.MaxParameters = 0);
        yield return OptionRule.OutOfRange<TaskOptimizeOptions>("MaxFlops", -5L, o => o.MaxFlops = -5);
        yield return OptionRule.OutOfRange<TaskOptimizeOptions>("MaxLatency", TimeSpan.Zero, o => o.MaxLatency = TimeSpan.Zero);
        yield return OptionRule.OutOfRange<TaskOptimizeOptions>("MaxLatency", TimeSpan.FromMilliseconds(-1), o => o.MaxLatency = TimeSpan.FromMilliseconds(-1), "Negative");
        foreach (double bad in new[] { 0.0, 1.0, double.NaN })
            yield return OptionRule.OutOfRange<TaskOptimizeOptions>("ShrinkFraction", bad, o => o.ShrinkFraction = bad);
        yield return OptionRule.OutOfRange<TaskOptimizeOptions>("FineTuneEpochs", -1, o => o.FineTuneEpochs = -1);
        foreach (double bad in new[] { 0.0, double.NaN, double.PositiveInfinity })
            yield return OptionRule.OutOfRange<TaskOptimizeOptions>("LearningRate", bad, o => o.LearningRate = bad);
    }

    [TestCaseSource(nameof(EveryTaskOptimizeRule))]
    public void TaskOptimizeRule(string option, object? value, Type exception, Action<TaskOptimizeOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => new MLContext(seed: 1).Transforms.TaskOptimize(StageTestData.SmallBreastCancer, o), option, value, exception);

    [Test]
    public void ValidationFractionIsIgnoredWhenValidationDataIsGiven()
    {
        // The split rule applies only when the stage has to split; with data of its own any fraction is unused.
        var options = new AdjustOptions { ValidationData = StageTestData.BreastCancerTest, ValidationFraction = 0 };
        AdjustEstimator estimator = new MLContext(seed: 1).Transforms.Adjust(StageTestData.SmallBreastCancer, options);
        Assert.That(estimator, Is.Not.Null);
        options.ValidationData = null;
        OptionRule.AssertRejected(() => new MLContext(seed: 1).Transforms.Adjust(StageTestData.SmallBreastCancer, options), "ValidationFraction", 0.0, typeof(ArgumentOutOfRangeException));
    }
}
