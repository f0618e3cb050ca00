using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>What <see cref="UnitSelector"/> and <see cref="UnitSelectionOptions"/> check before they select, and in which order.</summary>
[TestFixture]
public sealed class UnitSelectorArgumentTests
{
    private static readonly IPruningCriterion Magnitude = PruningCriteria.Create(PruningCriterion.Magnitude);
    private static readonly float[][] TwoUnitScores = { new[] { 1f, 2f } };

    private static NeuralNetwork Linear() => TinyNetworks.Random(1, PruningTask.Regression, 3, Array.Empty<int>(), 1);

    [Test]
    public void NullArgumentsAreNamed()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        var options = new UnitSelectionOptions();
        Assert.That(Assert.Throws<ArgumentNullException>(() => UnitSelector.Select(null!, Magnitude, null, new Random(0), options))!.ParamName, Is.EqualTo("network"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => UnitSelector.Select(net, (IPruningCriterion)null!, null, new Random(0), options))!.ParamName, Is.EqualTo("criterion"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => UnitSelector.Select(net, Magnitude, null, null!, options))!.ParamName, Is.EqualTo("random"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => UnitSelector.Select(net, Magnitude, null, new Random(0), null!))!.ParamName, Is.EqualTo("options"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => UnitSelector.Select(null!, TwoUnitScores, false, options))!.ParamName, Is.EqualTo("network"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => UnitSelector.Select(net, (float[][])null!, false, options))!.ParamName, Is.EqualTo("hiddenScores"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => UnitSelector.Select(net, TwoUnitScores, false, null!))!.ParamName, Is.EqualTo("options"));
    }

    [Test]
    public void BadOptionsAreReportedBeforeAnyScoring()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => UnitSelector.Select(TinyNetworks.ThreeTwoOne(),
            PruningCriteria.Create(PruningCriterion.Gradient), null, new Random(0), new UnitSelectionOptions { Sparsity = 2 }));
        Assert.That(ex!.ParamName, Is.EqualTo("Sparsity"));
    }

    [Test]
    public void AMissingHiddenLayerIsReportedBeforeTheStatisticsAreChecked()
    {
        GradientStatistics twoLayers = TinyNetworks.ThreeTwoOneGradients(withUnitTaylor: false);
        var ex = Assert.Throws<ArgumentException>(() => UnitSelector.Select(Linear(), Magnitude, twoLayers, new Random(0), new UnitSelectionOptions()));
        Assert.That(ex!.Message, Does.StartWith("Neuron granularity needs at least one hidden layer"));
    }

    [Test]
    public void PrecomputedScoresForANetworkWithoutHiddenLayersAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => UnitSelector.Select(Linear(), Array.Empty<float[]>(), false, new UnitSelectionOptions()));
        Assert.That(ex!.Message, Does.StartWith("Neuron granularity needs at least one hidden layer"));
    }

    [Test]
    public void GradientStatisticsWithANegativeMeanAbsoluteValueAreRejected()
    {
        var stats = new GradientStatistics(new[] { new[] { 0f, 0f, 0f, 0f, 0f, -1f }, new float[2] }, new[] { new float[6], new float[2] }, null, 1);
        var ex = Assert.Throws<ArgumentException>(() => UnitSelector.Select(TinyNetworks.ThreeTwoOne(), Magnitude, stats, new Random(0), new UnitSelectionOptions()));
        Assert.That(ex!.Message, Does.StartWith("MeanAbsGradient[0][5] is "));
    }

    [Test]
    public void ScoreCountsAreSpelledOut()
    {
        var layers = Assert.Throws<ArgumentException>(() => UnitSelector.Select(TinyNetworks.ThreeTwoOne(), new[] { new[] { 1f, 2f }, new[] { 3f } }, false, new UnitSelectionOptions()));
        Assert.That(layers!.Message, Does.StartWith("Expected unit scores for 1 hidden layers, got 2."));
        var units = Assert.Throws<InvalidOperationException>(() => UnitSelector.Select(TinyNetworks.ThreeTwoOne(), new[] { new[] { 1f, 2f, 3f } }, false, new UnitSelectionOptions()));
        Assert.That(units!.Message, Is.EqualTo("Expected 2 unit scores for layer 0, got 3."));
    }

    [Test]
    public void EveryOptionIsChecked()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => UnitSelector.Select(net, TwoUnitScores, false, new UnitSelectionOptions { Scope = (PruningScope)9 }))!.ParamName, Is.EqualTo("Scope"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => UnitSelector.Select(net, TwoUnitScores, false, new UnitSelectionOptions { MinKeptFraction = 1.5 }))!.ParamName, Is.EqualTo("MinKeptFraction"));
    }
}
