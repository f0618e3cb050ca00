using System;
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
